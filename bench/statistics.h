// Summaries of a figure's samples. Medians rather than means: a run on a
// shared two-core machine has outliers, and the median ignores them.
#pragma once

#include <vector>

namespace bench {

double median(std::vector<double> samples);
// Nearest-rank percentile, 0 < fraction <= 1 (0.99 for p99).
double percentile(std::vector<double> samples, double fraction);

}  // namespace bench
