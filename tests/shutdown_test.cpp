// The shutdown state machine, driven by events and a fake clock: every rule
// of the stop delay, the grace period, the drain and giving up, without a
// process or a real second passing.
#include "supervisor/shutdown.h"

#include <gtest/gtest.h>

#include <csignal>

using namespace vigil;

namespace {

using Phase = Shutdown::Phase;
using Note = Shutdown::Note;

// The clock the tests move by hand, in milliseconds.
struct FakeClock {
    int64_t now = 1'000'000;
    int64_t advance(int64_t ms) { return now += ms; }
};

ShutdownTimes times(std::optional<int64_t> grace_ms = std::nullopt, int64_t drain_ms = 3000,
                    int64_t stop_delay_ms = 0) {
    ShutdownTimes times;
    times.grace_ms = grace_ms;
    times.drain_ms = drain_ms;
    times.stop_delay_ms = stop_delay_ms;
    return times;
}

bool nothing(const Shutdown::Actions& actions) {
    return !actions.stop_probing && !actions.forward_held && !actions.forward &&
           !actions.kill_main_child && !actions.signal_leftovers && actions.note == Note::none;
}

}  // namespace

TEST(Shutdown, ATerminationRequestIsForwardedAtOnceWithoutStopDelay) {
    FakeClock clock;
    Shutdown shutdown(times());
    auto actions = shutdown.on_termination_request(SIGTERM, SIGTERM, clock.now);
    EXPECT_EQ(actions.forward, SIGTERM);
    EXPECT_EQ(actions.forward_held, 0);
    EXPECT_TRUE(actions.stop_probing);
    EXPECT_EQ(shutdown.phase(), Phase::stopping);
    EXPECT_FALSE(shutdown.next_deadline()) << "no grace: the orchestrator decides";
}

TEST(Shutdown, GraceIsCountedFromTheForwardingAndKillsTheMainChildOnce) {
    FakeClock clock;
    Shutdown shutdown(times(2000));
    auto actions = shutdown.on_termination_request(SIGTERM, SIGTERM, clock.now);
    EXPECT_EQ(actions.note, Note::grace_started);
    EXPECT_EQ(shutdown.next_deadline(), clock.now + 2000);

    EXPECT_TRUE(nothing(shutdown.on_time(clock.advance(1999))));
    auto expired = shutdown.on_time(clock.advance(1));
    EXPECT_TRUE(expired.kill_main_child);
    EXPECT_EQ(expired.note, Note::grace_expired);
    EXPECT_TRUE(nothing(shutdown.on_time(clock.advance(5000)))) << "SIGKILL is sent once";
    EXPECT_FALSE(shutdown.next_deadline());
}

TEST(Shutdown, ASecondRequestIsForwardedButDoesNotRestartTheGrace) {
    FakeClock clock;
    Shutdown shutdown(times(1000));
    shutdown.on_termination_request(SIGTERM, SIGTERM, clock.now);
    auto second = shutdown.on_termination_request(SIGINT, SIGTERM, clock.advance(600));
    EXPECT_EQ(second.forward, SIGINT);
    EXPECT_EQ(second.note, Note::none);
    EXPECT_FALSE(second.stop_probing) << "probing already ended with the first";
    EXPECT_TRUE(shutdown.on_time(clock.advance(400)).kill_main_child);
}

TEST(Shutdown, SigintIsATerminationRequestWhateverTheStopSignal) {
    FakeClock clock;
    Shutdown shutdown(times(500));
    auto actions = shutdown.on_termination_request(SIGINT, SIGQUIT, clock.now);
    EXPECT_EQ(actions.forward, SIGINT);
    EXPECT_EQ(actions.note, Note::grace_started);
    EXPECT_TRUE(shutdown.on_time(clock.advance(500)).kill_main_child);
}

TEST(Shutdown, StopDelayHoldsTheStopSignalThenReleasesItByTime) {
    FakeClock clock;
    Shutdown shutdown(times(1000, 3000, 5000));
    auto held = shutdown.on_termination_request(SIGQUIT, SIGQUIT, clock.now);
    EXPECT_EQ(held.forward, 0);
    EXPECT_EQ(held.note, Note::holding);
    EXPECT_TRUE(held.stop_probing) << "probing ends when the request arrives, not when forwarded";
    EXPECT_EQ(shutdown.phase(), Phase::holding);
    EXPECT_EQ(shutdown.next_deadline(), clock.now + 5000);

    EXPECT_TRUE(nothing(shutdown.on_time(clock.advance(4999))));
    auto released = shutdown.on_time(clock.advance(1));
    EXPECT_EQ(released.forward_held, SIGQUIT);
    EXPECT_EQ(released.note, Note::grace_started);
    EXPECT_EQ(shutdown.next_deadline(), clock.now + 1000) << "grace counts from the release";
}

TEST(Shutdown, ASecondStopSignalReleasesTheHeldOneAndStandsForBoth) {
    FakeClock clock;
    Shutdown shutdown(times(std::nullopt, 3000, 5000));
    shutdown.on_termination_request(SIGTERM, SIGTERM, clock.now);
    auto released = shutdown.on_termination_request(SIGTERM, SIGTERM, clock.advance(100));
    EXPECT_EQ(released.forward_held, SIGTERM);
    EXPECT_EQ(released.forward, 0);
    EXPECT_EQ(shutdown.phase(), Phase::stopping);
}

TEST(Shutdown, SigintReleasesTheHeldStopSignalAndIsForwardedToo) {
    FakeClock clock;
    Shutdown shutdown(times(std::nullopt, 3000, 5000));
    shutdown.on_termination_request(SIGTERM, SIGTERM, clock.now);
    auto released = shutdown.on_termination_request(SIGINT, SIGTERM, clock.advance(100));
    EXPECT_EQ(released.forward_held, SIGTERM);
    EXPECT_EQ(released.forward, SIGINT);
}

TEST(Shutdown, SigintIsNeverHeld) {
    FakeClock clock;
    Shutdown shutdown(times(std::nullopt, 3000, 5000));
    EXPECT_EQ(shutdown.on_termination_request(SIGINT, SIGTERM, clock.now).forward, SIGINT);
    // The stop delay is for the orchestrator's first request only: once
    // stopping, a stop signal is forwarded at once.
    EXPECT_EQ(shutdown.on_termination_request(SIGTERM, SIGTERM, clock.now).forward, SIGTERM);
}

TEST(Shutdown, TheMainChildExitingEndsTheHoldAndTheGraceAndStartsTheDrain) {
    FakeClock clock;
    Shutdown shutdown(times(1000, 3000, 5000));
    shutdown.on_termination_request(SIGTERM, SIGTERM, clock.now);
    auto exited = shutdown.on_main_child_exited(false, clock.advance(10));
    EXPECT_EQ(exited.forward_held, 0) << "nothing left to stop";
    EXPECT_EQ(exited.signal_leftovers, SIGTERM);
    EXPECT_EQ(shutdown.phase(), Phase::draining);
    EXPECT_FALSE(shutdown.on_time(clock.advance(5000)).forward_held);
}

TEST(Shutdown, DrainSignalsLeftoversAgainUntilItsDeadlineThenKillsThem) {
    FakeClock clock;
    Shutdown shutdown(times(std::nullopt, 300));
    shutdown.on_main_child_exited(false, clock.now);
    // Looks again every 50 ms for processes adopted or started meanwhile.
    EXPECT_EQ(shutdown.next_deadline(), clock.now + 50);
    EXPECT_EQ(shutdown.on_time(clock.advance(50)).signal_leftovers, SIGTERM);
    EXPECT_EQ(shutdown.on_reaped(clock.advance(10)).signal_leftovers, SIGTERM)
        << "a reap may have brought new orphans";
    auto killed = shutdown.on_time(clock.advance(240));
    EXPECT_EQ(killed.signal_leftovers, SIGKILL);
    EXPECT_EQ(killed.note, Note::drain_expired);
    EXPECT_EQ(shutdown.phase(), Phase::killed);
}

TEST(Shutdown, DrainEndsAsSoonAsNothingIsLeft) {
    FakeClock clock;
    Shutdown shutdown(times(std::nullopt, 3000));
    shutdown.on_main_child_exited(false, clock.now);
    shutdown.on_leftovers_gone();
    EXPECT_TRUE(shutdown.finished());
    EXPECT_FALSE(shutdown.next_deadline());
}

TEST(Shutdown, NothingToDrainAsPid1WithoutChildren) {
    FakeClock clock;
    Shutdown shutdown(times(std::nullopt, 3000));
    auto actions = shutdown.on_main_child_exited(true, clock.now);
    EXPECT_EQ(actions.signal_leftovers, 0);
    EXPECT_TRUE(shutdown.finished());
}

TEST(Shutdown, DrainOfZeroKillsAtOnce) {
    FakeClock clock;
    Shutdown shutdown(times(std::nullopt, 0));
    EXPECT_EQ(shutdown.on_main_child_exited(false, clock.now).signal_leftovers, SIGKILL);
    EXPECT_EQ(shutdown.phase(), Phase::killed);
}

TEST(Shutdown, GivesUpOneSecondAfterSigkillOnWhatCannotBeReaped) {
    FakeClock clock;
    Shutdown shutdown(times(std::nullopt, 100));
    shutdown.on_main_child_exited(false, clock.now);
    shutdown.on_time(clock.advance(100));  // SIGKILL
    // Reparented children of the killed get theirs too, as they come.
    EXPECT_EQ(shutdown.on_reaped(clock.advance(10)).signal_leftovers, SIGKILL);
    EXPECT_EQ(shutdown.on_time(clock.advance(40)).signal_leftovers, SIGKILL);
    EXPECT_FALSE(shutdown.finished());
    auto gave_up = shutdown.on_time(clock.advance(950));
    EXPECT_EQ(gave_up.note, Note::gave_up);
    EXPECT_TRUE(shutdown.finished());
}

TEST(Shutdown, RequestsAfterTheMainChildExitedReachWhatRemains) {
    FakeClock clock;
    Shutdown shutdown(times(1000, 3000, 5000));
    shutdown.on_main_child_exited(false, clock.now);
    auto actions = shutdown.on_termination_request(SIGTERM, SIGTERM, clock.advance(10));
    EXPECT_EQ(actions.forward, SIGTERM) << "not held, and no grace";
    EXPECT_EQ(actions.note, Note::none);
    EXPECT_EQ(shutdown.phase(), Phase::draining);
}

TEST(Shutdown, WatchdogStopsWithTheStopSignalAndEndsWithoutGrace) {
    FakeClock clock;
    ShutdownTimes defaults = times();
    Shutdown shutdown(defaults);
    auto actions = shutdown.on_watchdog_fired(SIGQUIT, clock.now);
    EXPECT_EQ(actions.forward, SIGQUIT);
    EXPECT_EQ(actions.note, Note::grace_started);
    EXPECT_TRUE(shutdown.stopped_by_watchdog());
    // No --grace: the watchdog's own default still ends it.
    EXPECT_EQ(shutdown.next_deadline(), clock.now + defaults.watchdog_grace_ms);
    EXPECT_TRUE(shutdown.on_time(clock.advance(defaults.watchdog_grace_ms)).kill_main_child);
}

TEST(Shutdown, WatchdogStopUsesGraceWhenSetAndHonoursTheStopDelay) {
    FakeClock clock;
    Shutdown shutdown(times(2000, 3000, 1000));
    auto held = shutdown.on_watchdog_fired(SIGTERM, clock.now);
    EXPECT_EQ(held.note, Note::holding);
    EXPECT_EQ(shutdown.on_time(clock.advance(1000)).forward_held, SIGTERM);
    EXPECT_EQ(shutdown.next_deadline(), clock.now + 2000);
}

TEST(Shutdown, WatchdogCannotFireOnceStopping) {
    FakeClock clock;
    Shutdown shutdown(times());
    shutdown.on_termination_request(SIGTERM, SIGTERM, clock.now);
    EXPECT_TRUE(nothing(shutdown.on_watchdog_fired(SIGTERM, clock.now)));
    EXPECT_FALSE(shutdown.stopped_by_watchdog()) << "an ordinary stop is not the watchdog's";
}

TEST(Shutdown, DeadlinesAtTheThirtyDayCapFire) {
    constexpr int64_t thirty_days = 30LL * 24 * 3600 * 1000;
    FakeClock clock;
    Shutdown shutdown(times(thirty_days, thirty_days, thirty_days));
    shutdown.on_termination_request(SIGTERM, SIGTERM, clock.now);
    EXPECT_EQ(shutdown.next_deadline(), clock.now + thirty_days);
    EXPECT_TRUE(nothing(shutdown.on_time(clock.advance(thirty_days - 1))));
    EXPECT_EQ(shutdown.on_time(clock.advance(1)).forward_held, SIGTERM);
    EXPECT_TRUE(nothing(shutdown.on_time(clock.advance(thirty_days - 1))));
    EXPECT_TRUE(shutdown.on_time(clock.advance(1)).kill_main_child);
}
