// Rank statistics for comparing two sets of timings without assuming their
// shape: the Mann–Whitney U test, the Hodges–Lehmann shift with its
// distribution-free confidence interval, and Holm's adjustment of p-values
// for testing several peers at once. No Debian C++ library offers these
// (Boost.Math and GSL have no rank tests; ALGLIB's Mann–Whitney test clamps
// its p-values to [0.0001, 0.25] and has no shift estimate), so they are
// written here from their textbook definitions, cited at each function, and
// checked in rank_statistics_test.cpp against values computed with SciPy.
#pragma once

#include <cstddef>
#include <vector>

namespace bench {

// Φ⁻¹(0.975): the normal quantile of a two-sided 95% interval.
constexpr double z_95 = 1.959963984540054;

// Upper tail of the standard normal distribution, 1 − Φ(z).
double normal_upper_tail(double z);

struct RankTest {
    double u = 0;          // U of x: #{x_i > y_j} + ½ #{x_i = y_j}
    double p_greater = 1;  // one-sided: x tends to be larger than y
    double p_less = 1;     // one-sided: x tends to be smaller than y
};

// The Mann–Whitney U test (Mann and Whitney, Ann. Math. Statist. 18 (1947)
// 50–60) with the normal approximation, the tie correction of its variance
// and a continuity correction of ½: z = (U − nm/2 ∓ ½) / σ with
// σ² = nm/12 · (n + m + 1 − Σ(t³ − t) / ((n + m)(n + m − 1))), t running over
// the sizes of the groups of tied values (Lehmann, Nonparametrics:
// Statistical Methods Based on Ranks, 1975, ch. 1). The same as SciPy's
// scipy.stats.mannwhitneyu(x, y, method="asymptotic").
// When every value is tied (σ = 0) both p-values are 1: there is no evidence.
RankTest mann_whitney(const std::vector<double>& x, const std::vector<double>& y);

struct ShiftEstimate {
    double estimate = 0;  // median of the n·m differences x_i − y_j
    double lower = 0;     // confidence interval; ±infinity when the samples
    double upper = 0;     // are too few for one at this level
};

// The Hodges–Lehmann estimate of the shift between x and y (Hodges and
// Lehmann, Ann. Math. Statist. 34 (1963) 598–611), with the confidence
// interval that inverts the two-sided Mann–Whitney test (Moses; Hollander,
// Wolfe and Chicken, Nonparametric Statistical Methods, 3rd ed., 2014,
// §4.3): [D(C), D(nm + 1 − C)] where D(k) is the k-th smallest difference
// and C = ⌊nm/2 − z·√(nm(n + m + 1)/12) + ½⌋, the normal approximation with
// a continuity correction. `z` is the normal quantile of the level (z_95).
// The differences are never stored: D(k) is found by bisection over the
// doubles with an O(n + m) count, so 5000 × 5000 samples cost no memory.
ShiftEstimate hodges_lehmann(std::vector<double> x, std::vector<double> y, double z);

// The k-th smallest (1-based, 1 <= k <= n·m) of the differences x_i − y_j,
// for x and y sorted ascending.
double kth_difference(const std::vector<double>& x, const std::vector<double>& y, size_t k);

// Holm's step-down adjustment (Holm, Scand. J. Statist. 6 (1979) 65–70):
// with p sorted ascending, adjusted p_(i) = max over j <= i of
// min(1, (k − j + 1)·p_(j)). Rejecting where the adjusted p-value is below α
// keeps the chance of any false rejection among the k at most α. Returned in
// the order given.
std::vector<double> holm_adjusted(const std::vector<double>& p);

}  // namespace bench
