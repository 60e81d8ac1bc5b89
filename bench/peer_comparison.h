// The verdict on a timing that is mostly the kernel's work (start-up,
// signal forwarding, reaping, shutdown): is vigil slower than each peer by
// more than a practical margin? Decided over all samples with rank tests
// (rank_statistics.h), corrected for testing several peers at once, and
// answered "not decidable" where the samples cannot tell. The rule is
// written out for readers in the report (report_markdown.cpp); a plain
// function of the samples, unit-tested in peer_comparison_test.cpp.
#pragma once

#include <string>
#include <vector>

#include "rank_statistics.h"

namespace bench {

enum class Verdict { pass, miss, undecided, not_judged };

const char* verdict_name(Verdict verdict);  // "pass", "miss", "not decidable", "not judged"

struct DecisionRule {
    double alpha = 0.05;            // chance of any false verdict over one target's peers
    double margin_fraction = 0.10;  // δ: this share of the peer's median
    size_t min_samples = 10;        // per subject; the normal approximation needs about that
};

// One subject's samples as the test sees them.
struct RankedSamples {
    std::string subject;
    std::vector<double> samples;  // what the tests rank
    double median = 0;            // of the reported figure; the margin is a share of it
};

struct PeerComparison {
    std::string peer;
    size_t vigil_samples = 0;
    size_t peer_samples = 0;
    double margin = 0;    // δ, in the measurement's unit
    bool tested = false;  // enough samples on both sides for the tests to run
    ShiftEstimate shift;  // vigil − peer (positive: vigil slower), 95% interval
    double p_slower = 1;  // Holm-adjusted: vigil slower than the peer by more than δ
    double p_within = 1;  // Holm-adjusted: vigil slower by less than δ, or faster
    Verdict verdict = Verdict::not_judged;
    std::string reason;  // why not decidable
};

// For each peer: the Mann–Whitney test of vigil's samples minus δ against
// the peer's, one-sided each way, each family of p-values Holm-adjusted over
// the peers with enough samples. miss: adjusted p_slower < α; pass: adjusted
// p_within < α; otherwise not decidable (also below min_samples on a side).
std::vector<PeerComparison> compare_with_peers(const RankedSamples& vigil,
                                               const std::vector<RankedSamples>& peers,
                                               const DecisionRule& rule = {});

// The target's verdict: miss against any peer is a miss; pass against every
// peer with samples is a pass; no such peer is not judged; anything else is
// not decidable.
Verdict overall_verdict(const std::vector<PeerComparison>& comparisons);

}  // namespace bench
