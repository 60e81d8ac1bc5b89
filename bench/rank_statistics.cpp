#include "rank_statistics.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <utility>

namespace bench {
namespace {

// Doubles mapped to unsigned integers in the same order (-0.0 just below
// +0.0), so that a bisection over the integers visits every double between
// two values: at most 64 steps, however near zero the values are.
constexpr uint64_t sign_bit = uint64_t{1} << 63;

uint64_t order_key(double value) {
    auto bits = std::bit_cast<uint64_t>(value);
    return (bits & sign_bit) ? ~bits : bits | sign_bit;
}

double from_order_key(uint64_t key) {
    return std::bit_cast<double>((key & sign_bit) ? key & ~sign_bit : ~key);
}

// #{(i, j): x_i − y_j <= d} for x and y sorted ascending, in O(n + m). For
// each x_i the differences fall as j grows, so those <= d are the j from
// some first one on; that first j never moves back as x_i grows. Rounding is
// monotonic, so the computed differences keep these orders.
size_t count_differences_at_most(const std::vector<double>& x, const std::vector<double>& y,
                                 double d) {
    size_t count = 0;
    size_t first = 0;
    for (double value : x) {
        while (first < y.size() && value - y[first] > d) ++first;
        count += y.size() - first;
    }
    return count;
}

}  // namespace

double normal_upper_tail(double z) {
    return 0.5 * std::erfc(z / std::sqrt(2.0));
}

RankTest mann_whitney(const std::vector<double>& x, const std::vector<double>& y) {
    const size_t n = x.size();
    const size_t m = y.size();
    RankTest test;
    if (n == 0 || m == 0)
        return test;

    // Both samples in one sorted list; ties get the mean of their ranks.
    std::vector<std::pair<double, bool>> pooled;  // value, belongs to x
    pooled.reserve(n + m);
    for (double value : x) pooled.emplace_back(value, true);
    for (double value : y) pooled.emplace_back(value, false);
    std::sort(pooled.begin(), pooled.end());
    double rank_sum_x = 0;
    double tie_term = 0;  // Σ(t³ − t)
    for (size_t start = 0; start < pooled.size();) {
        size_t end = start;
        while (end < pooled.size() && pooled[end].first == pooled[start].first) ++end;
        double mean_rank = (static_cast<double>(start + 1) + static_cast<double>(end)) / 2;
        for (size_t i = start; i < end; ++i) {
            if (pooled[i].second)
                rank_sum_x += mean_rank;
        }
        double tied = static_cast<double>(end - start);
        tie_term += tied * tied * tied - tied;
        start = end;
    }

    const double nx = static_cast<double>(n);
    const double ny = static_cast<double>(m);
    const double total = nx + ny;
    test.u = rank_sum_x - nx * (nx + 1) / 2;
    const double mean = nx * ny / 2;
    const double variance = nx * ny / 12 * ((total + 1) - tie_term / (total * (total - 1)));
    if (!(variance > 0))
        return test;
    const double sigma = std::sqrt(variance);
    test.p_greater = std::min(1.0, normal_upper_tail((test.u - mean - 0.5) / sigma));
    test.p_less = std::min(1.0, normal_upper_tail((mean - test.u - 0.5) / sigma));
    return test;
}

double kth_difference(const std::vector<double>& x, const std::vector<double>& y, size_t k) {
    // The smallest double d with at least k differences <= d is the k-th.
    uint64_t low = order_key(x.front() - y.back());
    uint64_t high = order_key(x.back() - y.front());
    while (low < high) {
        uint64_t middle = low + (high - low) / 2;
        if (count_differences_at_most(x, y, from_order_key(middle)) >= k)
            high = middle;
        else
            low = middle + 1;
    }
    return from_order_key(low);
}

ShiftEstimate hodges_lehmann(std::vector<double> x, std::vector<double> y, double z) {
    ShiftEstimate shift;
    if (x.empty() || y.empty())
        return shift;
    std::sort(x.begin(), x.end());
    std::sort(y.begin(), y.end());
    const size_t pairs = x.size() * y.size();
    shift.estimate =
        pairs % 2 ? kth_difference(x, y, (pairs + 1) / 2)
                  : (kth_difference(x, y, pairs / 2) + kth_difference(x, y, pairs / 2 + 1)) / 2;

    const double nx = static_cast<double>(x.size());
    const double ny = static_cast<double>(y.size());
    const double sigma = std::sqrt(nx * ny * (nx + ny + 1) / 12);
    const double c = std::floor(nx * ny / 2 - z * sigma + 0.5);
    if (c < 1) {
        shift.lower = -std::numeric_limits<double>::infinity();
        shift.upper = std::numeric_limits<double>::infinity();
        return shift;
    }
    auto order = static_cast<size_t>(c);
    shift.lower = kth_difference(x, y, order);
    shift.upper = kth_difference(x, y, pairs + 1 - order);
    return shift;
}

std::vector<double> holm_adjusted(const std::vector<double>& p) {
    std::vector<size_t> order(p.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return p[a] < p[b]; });
    std::vector<double> adjusted(p.size());
    double running = 0;
    for (size_t rank = 0; rank < order.size(); ++rank) {
        double scaled = std::min(1.0, static_cast<double>(p.size() - rank) * p[order[rank]]);
        running = std::max(running, scaled);
        adjusted[order[rank]] = running;
    }
    return adjusted;
}

}  // namespace bench
