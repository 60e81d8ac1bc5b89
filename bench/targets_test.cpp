// evaluate_targets on made-up measurements: which rule judges which target,
// and what the rank-tested ones report.
#include "targets.h"

#include <gtest/gtest.h>

#include "subjects.h"

namespace bench {
namespace {

std::vector<double> evenly(double from, double to, int count) {
    std::vector<double> values;
    for (int i = 0; i < count; ++i) values.push_back(from + (to - from) * i / (count - 1));
    return values;
}

std::vector<double> plus(std::vector<double> values, double shift) {
    for (double& value : values) value += shift;
    return values;
}

const Target& find(const std::vector<Target>& targets, const std::string& start) {
    for (const Target& target : targets) {
        if (target.goal.rfind(start, 0) == 0)
            return target;
    }
    static Target none;
    ADD_FAILURE() << "no target " << start;
    return none;
}

Measurement timing(const std::string& key, std::vector<Figure> figures) {
    return Measurement{.key = key, .title = key, .unit = "µs", .figures = std::move(figures)};
}

TEST(Targets, TimingsAreJudgedPerPeerByRankTests) {
    std::vector<double> peer = evenly(30, 40, 200);
    std::vector<Measurement> measurements{
        timing("signals", {{.subject = "vigil", .samples = plus(peer, -1)},
                           {.subject = "tini", .samples = peer},
                           {.subject = "dumb-init", .samples = plus(peer, -2)},
                           {.subject = "catatonit", .error = "not installed"}})};
    std::vector<Target> targets = evaluate_targets(measurements);
    const Target& signals = find(targets, "Signal forwarding");
    EXPECT_EQ(signals.verdict, Verdict::pass);
    ASSERT_EQ(signals.comparisons.size(), 2u);  // catatonit has no figure
    EXPECT_EQ(signals.comparisons[0].peer, "tini");
    EXPECT_NEAR(signals.comparisons[0].shift.estimate, -1, 1e-9);
    EXPECT_NEAR(signals.comparisons[1].shift.estimate, 1, 1e-9);  // slower, within δ = 3.3
    EXPECT_EQ(signals.unit, "µs");
}

TEST(Targets, AMissNamesThePeerAndTheLimit) {
    std::vector<double> peer = evenly(100, 200, 100);
    std::vector<Measurement> measurements{timing(
        "shutdown",
        {{.subject = "vigil", .samples = plus(peer, 60)}, {.subject = "tini", .samples = peer}})};
    std::vector<Target> targets = evaluate_targets(measurements);
    const Target& shutdown = find(targets, "Shutdown");
    EXPECT_EQ(shutdown.verdict, Verdict::miss);
    EXPECT_NE(shutdown.note.find("slower than tini"), std::string::npos);
    EXPECT_NE(shutdown.note.find("kernel-bound"), std::string::npos);
}

TEST(Targets, FewBurstsAreNotDecidable) {
    std::vector<Measurement> measurements{
        timing("reaping",
               {{.subject = "vigil", .samples = {800}}, {.subject = "tini", .samples = {500}}})};
    std::vector<Target> targets = evaluate_targets(measurements);
    const Target& storm = find(targets, "Reaping time (storm)");
    EXPECT_EQ(storm.verdict, Verdict::undecided);
    EXPECT_NE(storm.note.find("tini"), std::string::npos);
}

// Start-up reports per-round overheads but ranks the inits' own times.
TEST(Targets, StartupRanksTheRawTimes) {
    std::vector<double> raw = evenly(1000, 1300, 100);
    std::vector<Measurement> measurements{
        timing("startup", {{.subject = "vigil", .samples = {1, 2, 3}, .ranked = plus(raw, -500)},
                           {.subject = "tini", .samples = {4, 5, 6}, .ranked = raw}})};
    std::vector<Target> targets = evaluate_targets(measurements);
    const Target& startup = find(targets, "Start-up");
    EXPECT_EQ(startup.verdict, Verdict::pass);
    EXPECT_NEAR(startup.comparisons[0].shift.estimate, -500, 1e-9);
    EXPECT_EQ(startup.comparisons[0].vigil_samples, 100u);
}

TEST(Targets, ProbeSizeAgainstGrpcHealthProbesPublishedFigure) {
    std::vector<Measurement> measurements{
        Measurement{.key = "probe_size",
                    .unit = "bytes",
                    .figures = {{.subject = "vigil probe", .samples = {89400}},
                                {.subject = grpc_health_probe_name, .samples = {11e6}}}}};
    std::vector<Target> targets = evaluate_targets(measurements);
    const Target& grpc = find(targets, "Probe size under a hundredth");
    EXPECT_EQ(grpc.verdict, Verdict::pass);
    EXPECT_EQ(grpc.reference, "110000 bytes (grpc_health_probe ÷ 100)");
}

TEST(Targets, DeterministicFiguresCompareMedians) {
    std::vector<Measurement> measurements{
        Measurement{.key = "memory",
                    .unit = "KiB",
                    .figures = {{.subject = "vigil", .samples = {84, 84, 88}},
                                {.subject = "catatonit", .samples = {696}},
                                {.subject = "tini", .samples = {1304}}}}};
    std::vector<Target> targets = evaluate_targets(measurements);
    const Target& memory = find(targets, "Peak memory");
    EXPECT_EQ(memory.verdict, Verdict::pass);
    EXPECT_EQ(memory.reference, "174 KiB (catatonit × 0.25)");
    EXPECT_TRUE(memory.comparisons.empty());
}

}  // namespace
}  // namespace bench
