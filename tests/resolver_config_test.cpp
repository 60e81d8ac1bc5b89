#include "resolver/resolver_config.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

#include "base/socket_address.h"
#include "process_harness.h"

using namespace vigil;

namespace {

ResolverConfig parse_resolv_conf(const std::string& text) {
    ResolverConfig config;
    size_t start = 0;
    while (start <= text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string::npos)
            end = text.size();
        config.add_line(std::string_view(text).substr(start, end - start));
        start = end + 1;
    }
    config.finish();
    return config;
}

std::string server(const ResolverConfig& config, size_t i) {
    char text[64];
    format_socket_address(config.nameservers[i], text, sizeof text);
    return text;
}

}  // namespace

TEST(ResolverConfig, DefaultsToLocalServerWithoutSearchList) {
    ResolverConfig config = parse_resolv_conf("");
    ASSERT_EQ(config.nameserver_count, 1u);
    EXPECT_EQ(server(config, 0), "127.0.0.1:53");
    EXPECT_EQ(config.search_count, 0u);
    EXPECT_EQ(config.ndots, 1);
}

TEST(ResolverConfig, ReadsAKubernetesResolvConf) {
    ResolverConfig config = parse_resolv_conf(
        "# generated\n"
        "search default.svc.cluster.local svc.cluster.local cluster.local\n"
        "nameserver 10.96.0.10\n"
        "options ndots:5 timeout:2\n");
    ASSERT_EQ(config.nameserver_count, 1u);
    EXPECT_EQ(server(config, 0), "10.96.0.10:53");
    ASSERT_EQ(config.search_count, 3u);
    EXPECT_EQ(config.search_domain(0), "default.svc.cluster.local");
    EXPECT_EQ(config.search_domain(2), "cluster.local");
    EXPECT_EQ(config.ndots, 5);
}

TEST(ResolverConfig, KeepsThreeServersOfEitherFamilyAndTheLastSearchLine) {
    ResolverConfig config = parse_resolv_conf(
        "nameserver 127.0.0.11\n"
        "nameserver ::1 ; comment\n"
        "nameserver not-an-address\n"
        "nameserver 10.0.0.1\n"
        "nameserver 10.0.0.2\n"
        "domain first.example\n"
        "search second.example. third.example\n");
    ASSERT_EQ(config.nameserver_count, 3u);
    EXPECT_EQ(server(config, 1), "[::1]:53");
    EXPECT_EQ(server(config, 2), "10.0.0.1:53");
    ASSERT_EQ(config.search_count, 2u);
    EXPECT_EQ(config.search_domain(0), "second.example");
}

// Found by fuzz_resolver_files: a NUL inside a domain shifted the domains
// after it, so "search a x<NUL>y b" searched a, x and y instead of a and b.
TEST(ResolverConfig, SkipsASearchDomainWithANulInIt) {
    ResolverConfig config;
    config.add_line(std::string_view("search a x\0y b", 14));
    ASSERT_EQ(config.search_count, 2u);
    EXPECT_EQ(config.search_domain(0), "a");
    EXPECT_EQ(config.search_domain(1), "b");
}

TEST(HostsLookup, FindsANameAmongAliasesInAnyCase) {
    HostsLookup lookup("Db.Local");
    for (const char* line : {"127.0.0.1 localhost", "# 10.0.0.9 db.local", "10.0.0.5\tweb db.local",
                             "fd00::5 DB.LOCAL", "bad-address db.local", "10.0.0.6 db.localhost"})
        lookup.add_line(line);
    ASSERT_EQ(lookup.addresses().size(), 2u);
    EXPECT_EQ(lookup.addresses()[0].family, AF_INET);
    EXPECT_EQ(lookup.addresses()[0].bytes[3], 5);
    EXPECT_EQ(lookup.addresses()[1].family, AF_INET6);
}

TEST(ReadLines, SplitsAFileIntoLinesAndSkipsOverlongOnes) {
    vigil_test::TempDir directory;
    std::string path = directory.file("lines");
    std::ofstream(path) << "first\n"
                        << std::string(5000, 'x') << "\nsecond\r\nlast-without-newline";
    struct Collector {
        std::vector<std::string> lines;
        void add_line(std::string_view line) { lines.emplace_back(line); }
    } collector;
    ASSERT_TRUE(read_lines(path.c_str(), collector));
    EXPECT_EQ(collector.lines,
              (std::vector<std::string>{"first", "second\r", "last-without-newline"}));
    EXPECT_FALSE(read_lines(directory.file("missing").c_str(), collector));
}

// The watchdog reads resolv.conf and hosts inside PID 1: a FIFO in their
// place (without a writer, or with one that sends nothing) or an endless file
// must not stop it. Each read runs in a child that must end within 5 s.
TEST(ReadLines, NeverWaitsForAFifoOrAnEndlessFile) {
    vigil_test::TempDir directory;
    std::string fifo = directory.file("fifo");
    ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
    auto ends_by_itself = [](const std::string& path) {
        pid_t child = fork();
        if (child == 0) {
            struct Counter {
                size_t lines = 0;
                void add_line(std::string_view) { ++lines; }
            } counter;
            _exit(read_lines(path.c_str(), counter) ? 0 : 1);
        }
        int status = 0;
        for (int i = 0; i < 500; ++i) {
            if (waitpid(child, &status, WNOHANG) == child)
                return WIFEXITED(status) && WEXITSTATUS(status) == 0;
            usleep(10000);
        }
        kill(child, SIGKILL);
        waitpid(child, &status, 0);
        return false;
    };
    EXPECT_TRUE(ends_by_itself(fifo)) << "a FIFO without a writer";
    int writer = open(fifo.c_str(), O_RDWR);  // a writer that sends nothing
    ASSERT_GE(writer, 0);
    EXPECT_TRUE(ends_by_itself(fifo)) << "a FIFO whose writer sends nothing";
    close(writer);
    EXPECT_TRUE(ends_by_itself("/dev/zero")) << "an endless file";
}
