// The goals vigil is held to (issue 5), judged against the peers of the same
// run: a pass needs no figure from another machine or another day.
//
// Two kinds. Deterministic figures (sizes, peak memory, idle wakeups, and
// the probe's against busybox wget, far apart) compare vigil's median with a
// limit. Timings that are mostly the kernel's work (start-up, signal
// forwarding, reaping, shutdown) compare distributions: vigil against each
// peer by rank tests over all samples, with a practical margin, and may be
// "not decidable" (peer_comparison.h).
#pragma once

#include <string>
#include <vector>

#include "measurement.h"
#include "peer_comparison.h"

namespace bench {

struct Target {
    std::string goal;                       // "Start-up overhead no worse than any peer's"
    std::string vigil;                      // vigil's figure, formatted
    std::string reference;                  // what it is compared with, formatted
    Verdict verdict = Verdict::not_judged;  // not judged: a figure is missing
    std::string note;
    // Rank-tested targets: the measurement and one comparison per peer.
    std::string measurement_key;
    std::string unit;
    std::vector<PeerComparison> comparisons;
};

std::vector<Target> evaluate_targets(const std::vector<Measurement>& measurements,
                                     const DecisionRule& rule = {});

// Formats a figure for the report: integers for large values, a few
// significant digits for small ones.
std::string format_number(double value);

}  // namespace bench
