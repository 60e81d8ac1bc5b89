#include "peer_comparison.h"

#include <cmath>

namespace bench {

const char* verdict_name(Verdict verdict) {
    switch (verdict) {
        case Verdict::pass:
            return "pass";
        case Verdict::miss:
            return "miss";
        case Verdict::undecided:
            return "not decidable";
        case Verdict::not_judged:
            return "not judged";
    }
    return "?";
}

std::vector<PeerComparison> compare_with_peers(const RankedSamples& vigil,
                                               const std::vector<RankedSamples>& peers,
                                               const DecisionRule& rule) {
    std::vector<PeerComparison> comparisons;
    std::vector<size_t> tested;  // indices into comparisons: the Holm family
    std::vector<double> p_slower;
    std::vector<double> p_within;
    for (const RankedSamples& peer : peers) {
        PeerComparison comparison{.peer = peer.subject,
                                  .vigil_samples = vigil.samples.size(),
                                  .peer_samples = peer.samples.size(),
                                  .margin = rule.margin_fraction * std::fabs(peer.median)};
        if (vigil.samples.empty() || peer.samples.empty()) {
            comparison.reason = "no samples";
            comparisons.push_back(comparison);
            continue;
        }
        comparison.shift = hodges_lehmann(vigil.samples, peer.samples, z_95);
        if (vigil.samples.size() < rule.min_samples || peer.samples.size() < rule.min_samples) {
            comparison.verdict = Verdict::undecided;
            comparison.reason = "fewer than " + std::to_string(rule.min_samples) + " samples";
            comparisons.push_back(comparison);
            continue;
        }
        // One test at the margin answers both questions: vigil's samples less
        // δ ranked against the peer's, read one-sided each way.
        std::vector<double> shifted = vigil.samples;
        for (double& sample : shifted) sample -= comparison.margin;
        RankTest test = mann_whitney(shifted, peer.samples);
        tested.push_back(comparisons.size());
        p_slower.push_back(test.p_greater);
        p_within.push_back(test.p_less);
        comparisons.push_back(comparison);
    }

    std::vector<double> slower = holm_adjusted(p_slower);
    std::vector<double> within = holm_adjusted(p_within);
    for (size_t i = 0; i < tested.size(); ++i) {
        PeerComparison& comparison = comparisons[tested[i]];
        comparison.tested = true;
        comparison.p_slower = slower[i];
        comparison.p_within = within[i];
        if (slower[i] < rule.alpha) {
            comparison.verdict = Verdict::miss;
        } else if (within[i] < rule.alpha) {
            comparison.verdict = Verdict::pass;
        } else {
            comparison.verdict = Verdict::undecided;
            comparison.reason =
                "the samples cannot tell whether vigil is slower by more than the margin";
        }
    }
    return comparisons;
}

Verdict overall_verdict(const std::vector<PeerComparison>& comparisons) {
    bool all_pass = true;
    bool any_judged = false;
    for (const PeerComparison& comparison : comparisons) {
        if (comparison.verdict == Verdict::miss)
            return Verdict::miss;
        if (comparison.verdict == Verdict::not_judged)
            continue;  // a peer without samples has nothing to compare
        any_judged = true;
        if (comparison.verdict != Verdict::pass)
            all_pass = false;
    }
    if (!any_judged)
        return Verdict::not_judged;
    return all_pass ? Verdict::pass : Verdict::undecided;
}

}  // namespace bench
