#include "supervisor/signals.h"

#include <gtest/gtest.h>

#include <csignal>
#include <string>

using namespace vigil;

TEST(SignalNames, ParsesNamesWithAndWithoutPrefixAndNumbers) {
    EXPECT_EQ(parse_signal("TERM"), SIGTERM);
    EXPECT_EQ(parse_signal("SIGTERM"), SIGTERM);
    EXPECT_EQ(parse_signal("term"), SIGTERM);
    EXPECT_EQ(parse_signal("sigusr1"), SIGUSR1);
    EXPECT_EQ(parse_signal("15"), SIGTERM);
    EXPECT_EQ(parse_signal("HUP"), SIGHUP);
    EXPECT_EQ(parse_signal("CLD"), SIGCHLD);
    EXPECT_EQ(parse_signal("WINCH"), SIGWINCH);
}

TEST(SignalNames, ParsesRealTimeSignals) {
    EXPECT_EQ(parse_signal("RTMIN"), SIGRTMIN);
    EXPECT_EQ(parse_signal("SIGRTMIN+3"), SIGRTMIN + 3);
    EXPECT_EQ(parse_signal("RTMAX"), SIGRTMAX);
    EXPECT_EQ(parse_signal("RTMAX-2"), SIGRTMAX - 2);
    EXPECT_FALSE(parse_signal("RTMIN-1"));
    EXPECT_FALSE(parse_signal("RTMAX+1"));
    EXPECT_FALSE(parse_signal("RTMIN+99"));
}

TEST(SignalNames, RejectsUnknownAndOutOfRange) {
    EXPECT_EQ(parse_signal("64"), 64);
    EXPECT_EQ(parse_signal("32"), 32);
    for (const char* bad : {"", "SIG", "FOO", "SIGFOO", "-1", "65", "1000", "TERM ", "15x"})
        EXPECT_FALSE(parse_signal(bad)) << "'" << bad << "'";
    EXPECT_FALSE(parse_signal("0"));
    EXPECT_EQ(parse_signal_or_zero("0"), 0);
}

TEST(SignalNames, NamesRoundTrip) {
    char buffer[24];
    for (int signal = 1; signal <= SIGRTMAX; ++signal) {
        if (signal > 31 && signal < SIGRTMIN)
            continue;
        std::string name = signal_name(signal, buffer, sizeof buffer);
        EXPECT_EQ(parse_signal(name), signal) << name;
    }
    EXPECT_STREQ(signal_name(SIGTERM, buffer, sizeof buffer), "SIGTERM");
    EXPECT_STREQ(signal_name(SIGABRT, buffer, sizeof buffer), "SIGABRT");
}

TEST(SignalForwarding, EveryCatchableSignalButChildIsForwarded) {
    for (int signal = 1; signal <= 31; ++signal) {
        bool expected = signal != SIGKILL && signal != SIGSTOP && signal != SIGCHLD;
        EXPECT_EQ(is_forwardable(signal), expected) << signal;
    }
    for (int signal = 32; signal <= 64; ++signal)  // libc-reserved ones included
        EXPECT_TRUE(is_forwardable(signal)) << signal;
    EXPECT_FALSE(is_forwardable(0));
    EXPECT_FALSE(is_forwardable(65));
}

TEST(SignalRewrites, IdentityUnlessRewritten) {
    SignalRewrites rewrites;
    EXPECT_EQ(rewrites.apply(SIGTERM), SIGTERM);
    rewrites.set(SIGTERM, SIGQUIT);
    rewrites.set(SIGUSR1, 0);
    EXPECT_EQ(rewrites.apply(SIGTERM), SIGQUIT);
    EXPECT_EQ(rewrites.apply(SIGUSR1), 0);
    EXPECT_EQ(rewrites.apply(SIGQUIT), SIGQUIT);  // not transitive
    EXPECT_EQ(rewrites.apply(SIGINT), SIGINT);
}
