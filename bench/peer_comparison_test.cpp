// The decision rule on made-up timings: what passes, what misses, what the
// samples cannot decide, and the chance of a false miss when vigil and its
// peers are in truth the same.
#include "peer_comparison.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "statistics.h"

namespace bench {
namespace {

RankedSamples subject(const std::string& name, std::vector<double> samples) {
    double middle = median(samples);
    return {name, std::move(samples), middle};
}

std::vector<double> evenly(double from, double to, int count) {
    std::vector<double> values;
    for (int i = 0; i < count; ++i) values.push_back(from + (to - from) * i / (count - 1));
    return values;
}

std::vector<double> plus(std::vector<double> values, double shift) {
    for (double& value : values) value += shift;
    return values;
}

TEST(PeerComparison, TheSameTimingsPassWithinTheMargin) {
    std::vector<double> timings = evenly(100, 200, 200);
    auto comparisons = compare_with_peers(subject("vigil", timings), {subject("tini", timings)});
    ASSERT_EQ(comparisons.size(), 1u);
    EXPECT_EQ(comparisons[0].verdict, Verdict::pass);
    EXPECT_DOUBLE_EQ(comparisons[0].shift.estimate, 0);
    EXPECT_DOUBLE_EQ(comparisons[0].margin, 15);  // 10% of the median, 150
    EXPECT_LT(comparisons[0].shift.upper, comparisons[0].margin);
}

TEST(PeerComparison, SlowerByMoreThanTheMarginMisses) {
    std::vector<double> peer = evenly(100, 200, 200);
    auto comparisons =
        compare_with_peers(subject("vigil", plus(peer, 40)), {subject("tini", peer)});
    EXPECT_EQ(comparisons[0].verdict, Verdict::miss);
    EXPECT_NEAR(comparisons[0].shift.estimate, 40, 1e-9);
    EXPECT_GT(comparisons[0].shift.lower, comparisons[0].margin);
    EXPECT_LT(comparisons[0].p_slower, 0.05);
}

TEST(PeerComparison, SlowerByLessThanTheMarginPasses) {
    std::vector<double> peer = evenly(100, 200, 400);
    auto comparisons = compare_with_peers(subject("vigil", plus(peer, 3)), {subject("tini", peer)});
    EXPECT_EQ(comparisons[0].verdict, Verdict::pass);
    EXPECT_NEAR(comparisons[0].shift.estimate, 3, 1e-9);
}

TEST(PeerComparison, FasterPasses) {
    std::vector<double> peer = evenly(100, 200, 50);
    auto comparisons =
        compare_with_peers(subject("vigil", plus(peer, -60)), {subject("tini", peer)});
    EXPECT_EQ(comparisons[0].verdict, Verdict::pass);
    EXPECT_LT(comparisons[0].shift.upper, 0);
}

TEST(PeerComparison, TooFewSamplesAreNotDecidable) {
    std::vector<double> peer = evenly(100, 200, 9);
    auto comparisons =
        compare_with_peers(subject("vigil", plus(peer, -60)), {subject("tini", peer)});
    EXPECT_EQ(comparisons[0].verdict, Verdict::undecided);
    EXPECT_EQ(comparisons[0].reason, "fewer than 10 samples");
}

// A storm's bursts: 300–1200 ms, the two sets overlapping all the way, the
// margin 75 ms. The interval reaches past the margin on both sides.
TEST(PeerComparison, WideOverlappingSpreadIsNotDecidable) {
    std::vector<double> peer = evenly(300, 1200, 12);
    auto comparisons =
        compare_with_peers(subject("vigil", plus(peer, 20)), {subject("tini", peer)});
    EXPECT_EQ(comparisons[0].verdict, Verdict::undecided);
    EXPECT_EQ(comparisons[0].margin, 75);
    EXPECT_LT(comparisons[0].shift.lower, comparisons[0].margin);
    EXPECT_GT(comparisons[0].shift.upper, comparisons[0].margin);
    EXPECT_EQ(comparisons[0].reason,
              "the samples cannot tell whether vigil is slower by more than the margin");
}

TEST(PeerComparison, AdjustsPValuesOverThePeersWithHolm) {
    std::vector<double> vigil = evenly(100, 200, 30);
    std::vector<RankedSamples> peers{subject("a", plus(vigil, -8)), subject("b", plus(vigil, 4)),
                                     subject("c", plus(vigil, -20))};
    auto comparisons = compare_with_peers(subject("vigil", vigil), peers);
    std::vector<double> raw_slower;
    std::vector<double> raw_within;
    for (const RankedSamples& peer : peers) {
        RankTest test = mann_whitney(plus(vigil, -0.1 * peer.median), peer.samples);
        raw_slower.push_back(test.p_greater);
        raw_within.push_back(test.p_less);
    }
    std::vector<double> slower = holm_adjusted(raw_slower);
    std::vector<double> within = holm_adjusted(raw_within);
    for (size_t i = 0; i < peers.size(); ++i) {
        EXPECT_DOUBLE_EQ(comparisons[i].p_slower, slower[i]) << peers[i].subject;
        EXPECT_DOUBLE_EQ(comparisons[i].p_within, within[i]) << peers[i].subject;
    }
}

TEST(PeerComparison, OverallVerdict) {
    auto with = [](std::vector<Verdict> verdicts) {
        std::vector<PeerComparison> comparisons;
        for (Verdict verdict : verdicts) comparisons.push_back({.verdict = verdict});
        return overall_verdict(comparisons);
    };
    EXPECT_EQ(with({Verdict::pass, Verdict::pass}), Verdict::pass);
    EXPECT_EQ(with({Verdict::pass, Verdict::undecided}), Verdict::undecided);
    EXPECT_EQ(with({Verdict::undecided, Verdict::miss}), Verdict::miss);
    EXPECT_EQ(with({Verdict::pass, Verdict::not_judged}), Verdict::pass);
    EXPECT_EQ(with({Verdict::not_judged}), Verdict::not_judged);
    EXPECT_EQ(with({}), Verdict::not_judged);
}

// The issue's complaint: with five identical inits, "vigil's median no worse
// than the best peer's median" misses four times in five. The rank tests
// must miss against any peer in at most α = 5% of such runs.
TEST(PeerComparison, IdenticalInitsRarelyMissUnlikeTheBestMedianRule) {
    std::mt19937 random(5);
    std::lognormal_distribution<double> timing(6.5, 0.4);  // ~700 ms, skewed
    const int runs = 400;
    int rank_misses = 0;
    int median_misses = 0;
    for (int run = 0; run < runs; ++run) {
        std::vector<RankedSamples> all;
        for (const char* name : {"vigil", "tini", "tini-static", "dumb-init", "catatonit"}) {
            std::vector<double> samples(40);
            for (double& value : samples) value = timing(random);
            all.push_back(subject(name, samples));
        }
        std::vector<RankedSamples> peers(all.begin() + 1, all.end());
        if (overall_verdict(compare_with_peers(all[0], peers)) == Verdict::miss)
            ++rank_misses;
        double best_peer = all[1].median;
        for (const RankedSamples& peer : peers) best_peer = std::min(best_peer, peer.median);
        if (all[0].median > best_peer)
            ++median_misses;
    }
    EXPECT_LE(rank_misses, runs / 20);
    EXPECT_GT(median_misses, runs * 7 / 10);  // about 4 in 5
}

}  // namespace
}  // namespace bench
