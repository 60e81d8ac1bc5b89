// The rank statistics against hand computations and against SciPy 1.10.1
// (Debian 12's python3-scipy), whose figures were computed once and are
// written here: scipy.stats.mannwhitneyu(x, y, alternative=...,
// method="asymptotic", use_continuity=True), and for the shift numpy's
// median and order statistics of all x_i − y_j.
#include "rank_statistics.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

namespace bench {
namespace {

// By hand: pairs with x above y count 1, ties ½. x=1: 0; x=2, x=2: ½ each
// (the tie with y=2); x=3: 1; x=5: 3 (above 2, 4, 4). U = 5 of nm = 30.
// Ties in the pooled sample: 2 three times, 4 twice, Σ(t³ − t) = 24 + 6.
TEST(MannWhitney, SmallSampleWithTiesMatchesHandAndScipy) {
    RankTest test = mann_whitney({1, 2, 2, 3, 5}, {2, 4, 4, 6, 7, 8});
    EXPECT_DOUBLE_EQ(test.u, 5);
    // σ² = 30/12 · (12 − 30/110); z = (15 − 5 − ½)/σ for "less".
    double sigma = std::sqrt(30.0 / 12 * (12 - 30.0 / 110));
    EXPECT_NEAR(test.p_less, normal_upper_tail(9.5 / sigma), 1e-15);
    EXPECT_NEAR(test.p_less, 0.03967184159885751, 1e-12);    // SciPy
    EXPECT_NEAR(test.p_greater, 0.9737610105144929, 1e-12);  // SciPy
}

TEST(MannWhitney, MatchesScipyOnTimingsWithTies) {
    std::vector<double> x{12.1, 13.4, 11.8, 12.9, 14.2, 12.1, 13.0, 15.1, 12.7, 13.3, 12.2, 14.0};
    std::vector<double> y{11.2, 12.1, 11.9, 12.4, 11.5, 12.8, 11.1, 12.1,
                          13.1, 11.7, 12.0, 11.6, 12.3, 11.4, 12.6};
    RankTest test = mann_whitney(x, y);
    EXPECT_DOUBLE_EQ(test.u, 150);
    EXPECT_NEAR(test.p_greater, 0.0018202307607187971, 1e-12);
    EXPECT_NEAR(test.p_less, 0.9984448123758829, 1e-12);
}

// Many samples, many ties: the same formula in Python gave SciPy's figures.
std::vector<double> tied_timings(int count, int step, int modulus, double base) {
    std::vector<double> values;
    for (int i = 0; i < count; ++i) values.push_back((i * step) % modulus / 10.0 + base);
    return values;
}

TEST(MannWhitney, MatchesScipyOnHundredsOfTiedSamples) {
    std::vector<double> x = tied_timings(300, 37, 101, 30);
    std::vector<double> y = tied_timings(200, 53, 89, 31);
    RankTest test = mann_whitney(x, y);
    EXPECT_DOUBLE_EQ(test.u, 27373);
    EXPECT_NEAR(test.p_greater, 0.9515630903719074, 1e-12);
    EXPECT_NEAR(test.p_less, 0.048500477763565246, 1e-12);
    ShiftEstimate shift = hodges_lehmann(x, y, z_95);
    EXPECT_NEAR(shift.estimate, -0.4000000000000057, 1e-12);  // numpy's median
    EXPECT_NEAR(shift.lower, -1.0, 1e-12);                    // D(26898)
    EXPECT_NEAR(shift.upper, 0.10000000000000142, 1e-12);     // D(60000 + 1 − 26898)
}

TEST(MannWhitney, UCountsPairsWhereXIsLarger) {
    EXPECT_DOUBLE_EQ(mann_whitney({10, 11, 12}, {1, 2}).u, 6);
    EXPECT_DOUBLE_EQ(mann_whitney({1, 2}, {10, 11, 12}).u, 0);
    EXPECT_DOUBLE_EQ(mann_whitney({5}, {5}).u, 0.5);
}

TEST(MannWhitney, AllTiedGivesNoEvidence) {
    RankTest test = mann_whitney({3, 3, 3}, {3, 3});
    EXPECT_EQ(test.p_greater, 1);
    EXPECT_EQ(test.p_less, 1);
}

// Tabulated: with n = m = 10 the one-sided 5% critical value of U is 27,
// the largest U with exact P(U <= u) <= 0.05 (0.0446; 0.0526 for 28). The
// normal approximation must put the line between the same two values. Each x
// lies above 0, 3, 5, 6, 6 and 7 (then 8) of the y = 10..19: U = 27 (28).
TEST(MannWhitney, FivePercentLineFallsWhereTheExactTablePutsIt) {
    std::vector<double> y{10, 11, 12, 13, 14, 15, 16, 17, 18, 19};
    RankTest at_27 = mann_whitney({5, 5, 5, 5, 5, 12.5, 14.5, 15.5, 15.5, 16.5}, y);
    RankTest at_28 = mann_whitney({5, 5, 5, 5, 5, 12.5, 14.5, 15.5, 15.5, 17.5}, y);
    EXPECT_DOUBLE_EQ(at_27.u, 27);
    EXPECT_DOUBLE_EQ(at_28.u, 28);
    EXPECT_NEAR(at_27.p_less, 0.043224987969449735, 1e-12);  // SciPy, asymptotic
    EXPECT_NEAR(at_28.p_less, 0.050686642343213635, 1e-12);
    EXPECT_NEAR(at_27.p_less, 0.04460477602892464, 0.002);  // SciPy, exact
    EXPECT_LT(at_27.p_less, 0.05);
    EXPECT_GT(at_28.p_less, 0.05);
}

TEST(HodgesLehmann, MedianOfPairwiseDifferences) {
    // Differences 1, 2, 3: the median is 2.
    EXPECT_DOUBLE_EQ(hodges_lehmann({1, 2, 3}, {0}, z_95).estimate, 2);
    // Differences 9, 10, 10, 11: even count, mean of the middle two.
    EXPECT_DOUBLE_EQ(hodges_lehmann({10, 11}, {0, 1}, z_95).estimate, 10);
}

TEST(HodgesLehmann, MatchesBruteForceOrderStatistics) {
    std::vector<double> x{12.1, 13.4, 11.8, 12.9, 14.2, 12.1, 13.0, 15.1, 12.7, 13.3, 12.2, 14.0};
    std::vector<double> y{11.2, 12.1, 11.9, 12.4, 11.5, 12.8, 11.1, 12.1,
                          13.1, 11.7, 12.0, 11.6, 12.3, 11.4, 12.6};
    ShiftEstimate shift = hodges_lehmann(x, y, z_95);
    // numpy: median of the 180 differences 1.0; C = ⌊90 − 1.96·√(180·28/12)
    // + ½⌋ = 50, so the interval is [D(50), D(131)].
    EXPECT_NEAR(shift.estimate, 1.0, 1e-12);
    EXPECT_NEAR(shift.lower, 0.3000000000000007, 1e-12);
    EXPECT_NEAR(shift.upper, 1.700000000000001, 1e-12);
}

TEST(HodgesLehmann, TooFewSamplesForAnIntervalGiveAnUnboundedOne) {
    ShiftEstimate shift = hodges_lehmann({1, 2}, {3, 4}, z_95);
    EXPECT_TRUE(std::isinf(shift.lower) && shift.lower < 0);
    EXPECT_TRUE(std::isinf(shift.upper) && shift.upper > 0);
}

TEST(KthDifference, AgreesWithSortingAllDifferences) {
    std::mt19937 random(7);
    std::uniform_int_distribution<int> value(-20, 20);  // ties, zeros and signs
    for (int round = 0; round < 20; ++round) {
        std::vector<double> x(1 + round % 7);
        std::vector<double> y(1 + round % 5);
        for (double& v : x) v = value(random) / 4.0;
        for (double& v : y) v = value(random) / 4.0;
        std::sort(x.begin(), x.end());
        std::sort(y.begin(), y.end());
        std::vector<double> all;
        for (double a : x)
            for (double b : y) all.push_back(a - b);
        std::sort(all.begin(), all.end());
        for (size_t k = 1; k <= all.size(); ++k)
            ASSERT_EQ(kth_difference(x, y, k), all[k - 1]) << "round " << round << " k " << k;
    }
}

// The interval is meant to cover the true shift 95% of the time.
TEST(HodgesLehmann, IntervalCoversTheTrueShiftAboutNinetyFivePercentOfTheTime) {
    std::mt19937 random(11);
    std::exponential_distribution<double> skewed(1.0);  // as timings are
    const double true_shift = 0.3;
    int covered = 0;
    const int rounds = 1000;
    for (int round = 0; round < rounds; ++round) {
        std::vector<double> x(20);
        std::vector<double> y(25);
        for (double& v : x) v = skewed(random) + true_shift;
        for (double& v : y) v = skewed(random);
        ShiftEstimate shift = hodges_lehmann(x, y, z_95);
        if (shift.lower <= true_shift && true_shift <= shift.upper)
            ++covered;
    }
    EXPECT_GT(covered, 930);
    EXPECT_LT(covered, 975);
}

TEST(Holm, StepDownAdjustment) {
    // Sorted: 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06, 0.04·1 = 0.04,
    // which the running maximum lifts to 0.06.
    std::vector<double> adjusted = holm_adjusted({0.01, 0.04, 0.03, 0.005});
    ASSERT_EQ(adjusted.size(), 4u);
    EXPECT_DOUBLE_EQ(adjusted[0], 0.03);
    EXPECT_DOUBLE_EQ(adjusted[1], 0.06);
    EXPECT_DOUBLE_EQ(adjusted[2], 0.06);
    EXPECT_DOUBLE_EQ(adjusted[3], 0.02);
}

TEST(Holm, CapsAtOne) {
    std::vector<double> adjusted = holm_adjusted({0.6, 0.9});
    EXPECT_DOUBLE_EQ(adjusted[0], 1);
    EXPECT_DOUBLE_EQ(adjusted[1], 1);
    EXPECT_TRUE(holm_adjusted({}).empty());
}

}  // namespace
}  // namespace bench
