// docs/benchmarks.md: what was run where, the targets, then one table per
// measurement with how it was measured.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "report.h"

namespace bench {
namespace {

// Text for a table cell: a '|' would end the cell, a newline the row.
std::string cell(const std::string& text) {
    std::string escaped;
    for (char c : text) {
        if (c == '|')
            escaped += "\\|";
        else
            escaped += c == '\n' ? ' ' : c;
    }
    return escaped;
}

// peer ÷ vigil, so that above 1 reads "vigil is smaller or faster".
std::string ratio(double peer, double vigil) {
    if (vigil == 0)
        return peer == 0 ? "1×" : "—";
    return format_number(peer / vigil) + "×";
}

std::string result_cell(const Target& target) {
    switch (target.verdict) {
        case Verdict::pass:
            return "**pass**";
        case Verdict::miss:
            return "**miss**";
        case Verdict::undecided:
            return "not decidable";
        case Verdict::not_judged:
            return "not judged";
    }
    return "?";
}

std::string p_value(double p) {
    if (p < 0.0001)
        return "< 0.0001";
    char text[16];
    std::snprintf(text, sizeof text, "%.2g", p);
    return text;
}

// A shift or a bound, with a typographic minus as ∞ has.
std::string signed_number(double value) {
    if (std::isinf(value))
        return value < 0 ? "−∞" : "∞";
    std::string text = format_number(value);
    return text[0] == '-' ? "−" + text.substr(1) : text;
}

// How the rank-tested targets are decided, with the rule's own numbers.
void write_method(std::ostream& out, const DecisionRule& rule) {
    std::string alpha = format_number(rule.alpha);
    std::string margin = format_number(rule.margin_fraction * 100) + "%";
    out << "### How the timing targets are decided\n\n"
        << "Start-up, signal forwarding, reaping and shutdown are mostly the kernel's work, and "
           "their figures move more from run to run than the five inits differ. Comparing "
           "vigil's median with the best of four peers' medians would miss about four times in "
           "five by chance alone, even if all five inits were the same. These targets compare "
           "distributions instead, vigil against each peer over all samples (start-up: the "
           "times of `INIT -- /bin/true` themselves, whose shift is the shift of the overhead):"
           "\n\n"
        << "- **Effect size.** The Hodges–Lehmann shift, vigil − peer: the median of the "
           "differences between every sample of vigil's and every sample of the peer's "
           "(positive: vigil slower), with its 95% distribution-free confidence interval "
           "(Moses' interval: order statistics of those differences, by the normal "
           "approximation; Hollander, Wolfe and Chicken, *Nonparametric Statistical Methods*, "
           "3rd ed., 2014, §4.2–4.3).\n"
        << "- **Practical margin δ = " << margin
        << " of the peer's median.** A smaller difference is one no user of an init "
           "notices, and less than the same init's median moved between the four runs of this "
           "report committed before this rule, on the same machine (vigil's signal forwarding "
           "33.4 to 38.1 µs, its reaping of waiting zombies 42.7 to 54.1 ms).\n"
        << "- **Tests.** For each peer, one Mann–Whitney U test (Mann and Whitney, 1947) of "
           "vigil's samples minus δ against the peer's, with the normal approximation, the "
           "tie correction and a continuity correction (as SciPy's `mannwhitneyu(..., "
           "method=\"asymptotic\")`), read one-sided each way: *slower*, that vigil is slower "
           "than the peer by more than δ, and *within*, that it is slower by less than δ or "
           "faster. Each family of p-values is adjusted over the peers by Holm's step-down "
           "method (Holm, 1979), so that the chance of any false verdict among a target's "
           "peers is at most α = "
        << alpha << ".\n"
        << "- **Against one peer:** **miss** when the adjusted *slower* p-value is below " << alpha
        << "; **pass** when the adjusted *within* p-value is below " << alpha
        << "; otherwise **not decidable**: the samples cannot tell whether vigil is slower "
           "than the peer by more than δ (its interval reaches across δ). Also not decidable "
           "with fewer than "
        << rule.min_samples << " samples on either side, where the normal approximation is poor.\n"
        << "- **The target:** **miss** if it misses against any peer; **pass** if it passes "
           "against every peer, so against the best one too; otherwise **not decidable**.\n"
        << "- **What the tests assume.** Independent samples. Samples taken close together "
           "share the machine's state of the moment, which makes the p-values somewhat too "
           "small when N is large; the inits take turns round by round so that such drift "
           "falls on all of them alike, and the margin keeps a small systematic difference "
           "from becoming a verdict.\n\n"
        << "The code is `bench/rank_statistics.cpp` and `bench/peer_comparison.cpp`, "
           "unit-tested in `bench/*_test.cpp` against hand computations, tabulated critical "
           "values and SciPy's figures.\n\n";
}

void write_comparisons(std::ostream& out, const Target& target) {
    const std::string& unit = target.unit;
    out << "#### " << target.goal << "\n\n"
        << "| peer | shift vigil − peer (" << unit << ") | 95% interval (" << unit << ") | δ ("
        << unit << ") | p slower by > δ | p within δ | N vigil / peer | verdict |\n"
        << "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n";
    for (const PeerComparison& comparison : target.comparisons) {
        bool tested = comparison.tested;
        out << "| " << comparison.peer << " | " << signed_number(comparison.shift.estimate) << " | "
            << signed_number(comparison.shift.lower) << " to "
            << signed_number(comparison.shift.upper) << " | " << format_number(comparison.margin)
            << " | " << (tested ? p_value(comparison.p_slower) : "—") << " | "
            << (tested ? p_value(comparison.p_within) : "—") << " | " << comparison.vigil_samples
            << " / " << comparison.peer_samples << " | " << verdict_name(comparison.verdict)
            << (comparison.reason.empty() || tested ? "" : " (" + comparison.reason + ")")
            << " |\n";
    }
    out << "\n";
}

void write_targets(std::ostream& out, const std::vector<Target>& targets,
                   const DecisionRule& rule) {
    out << "## Targets\n\n"
        << "Each target compares vigil with the peers measured in this same run. Sizes, peak "
           "memory and idle wakeups hardly vary from run to run, and the probe's figures lie "
           "far from busybox wget's: for those, vigil's median is compared with the limit as "
           "it is. The timings that are mostly the kernel's work are compared with each peer's "
           "by rank tests over all samples, with a practical margin, and may be *not "
           "decidable*; how is said below the table.\n\n"
        << "| target | vigil | limit | result | note |\n"
        << "| --- | --- | --- | --- | --- |\n";
    for (const Target& target : targets) {
        out << "| " << target.goal << " | " << (target.vigil.empty() ? "—" : target.vigil) << " | "
            << (target.reference.empty() ? "—" : target.reference) << " | " << result_cell(target)
            << " | " << cell(target.note) << " |\n";
    }
    out << "\n";
    write_method(out, rule);
    out << "### Rank tests: vigil against each peer\n\n"
        << "Shifts and intervals in the measurement's unit, p-values Holm-adjusted over the "
           "peers of each target.\n\n";
    for (const Target& target : targets) {
        if (!target.comparisons.empty())
            write_comparisons(out, target);
    }
}

void write_measurement(std::ostream& out, const Measurement& measurement) {
    bool is_probe = measurement.key.rfind("probe_", 0) == 0;
    bool is_size = measurement.unit == "bytes";
    const Figure* vigil = measurement.figures.empty() ? nullptr : &measurement.figures.front();
    bool vigil_ok = vigil && vigil->ok();

    out << "## " << measurement.title << "\n\n" << measurement.how << "\n\n";
    out << "| " << (is_probe ? "probe" : "init");
    if (is_size) {
        out << " | size (bytes) | linkage | ÷ vigil |\n| --- | ---: | --- | ---: |\n";
    } else {
        out << " | median (" << measurement.unit << ")";
        if (measurement.show_p99)
            out << " | p99 (" << measurement.unit << ")";
        if (measurement.show_range)
            out << " | min–max (" << measurement.unit << ")";
        out << " | N | median ÷ vigil";
        if (measurement.show_p99)
            out << " | p99 ÷ vigil";
        out << " |\n| --- | ---: |" << (measurement.show_p99 ? " ---: |" : "")
            << (measurement.show_range ? " ---: |" : "") << " ---: | ---: |"
            << (measurement.show_p99 ? " ---: |" : "") << "\n";
    }
    for (const Figure& figure : measurement.figures) {
        out << "| " << figure.subject << " | ";
        if (!figure.ok()) {
            int columns = is_size ? 3 : 3 + 2 * measurement.show_p99 + measurement.show_range;
            out << "failed: " << cell(figure.error.empty() ? "no samples" : figure.error);
            for (int column = 1; column < columns; ++column) out << " | ";
            out << " |\n";
            continue;
        }
        auto compare = [&](double peer, double base) {
            return &figure == vigil ? std::string("—") : vigil_ok ? ratio(peer, base) : "—";
        };
        if (is_size) {
            out << format_number(figure.median()) << " | " << figure.note << " | "
                << compare(figure.median(), vigil_ok ? vigil->median() : 0) << " |\n";
            continue;
        }
        out << format_number(figure.median()) << " | ";
        if (measurement.show_p99)
            out << format_number(figure.p99()) << " | ";
        if (measurement.show_range) {
            auto [lowest, highest] =
                std::minmax_element(figure.samples.begin(), figure.samples.end());
            out << format_number(*lowest) << "–" << format_number(*highest) << " | ";
        }
        out << figure.samples.size() << " | "
            << compare(figure.median(), vigil_ok ? vigil->median() : 0);
        if (measurement.show_p99)
            out << " | " << compare(figure.p99(), vigil_ok ? vigil->p99() : 0);
        out << " |\n";
    }
    out << "\n";
}

}  // namespace

Result<bool> write_markdown(const RunResults& results, const BenchConfig& config) {
    std::ofstream out(config.markdown);
    if (!out)
        return fail(errno_message("open " + config.markdown));
    const Machine& machine = results.machine;
    out << "# Benchmarks: vigil and its peers\n\n"
        << "Generated by `bash bench/run.sh" << (config.smoke ? " --smoke" : "")
        << "` (the driver is in [`bench/`](../bench/)); do not edit by hand. "
        << "Every init and probe was measured in the same run on the same machine, interleaved "
           "round by round (A B C A B C …), so drift on the machine affects all of them alike. "
           "Figures are medians unless marked p99; N is the number of samples behind each. "
           "Ratios are peer ÷ vigil: above 1 means vigil is smaller or faster. Every init runs "
           "as PID 1 of a fresh PID namespace, as in a container.\n\n";
    if (config.smoke)
        out << "**Smoke run: tiny N, the figures prove only that each measurement works.**\n\n";
    out << "- **Date:** " << machine.date << "\n"
        << "- **CPU:** " << machine.cpu << ", " << machine.cores << " cores"
        << (machine.virtual_machine ? " (virtual machine)" : "") << ", " << machine.memory_mib
        << " MiB RAM\n"
        << "- **Kernel:** " << machine.kernel << "\n"
        << "- **Under test:** " << machine.vigil_version << "; Debian packages "
        << machine.peer_versions << "\n"
        << "- **Raw results:** every sample is in `bench/out/results.json` of the run (not "
           "committed).\n\n"
        << "![Each panel: one measurement, lower is better](benchmarks.png)\n\n";
    write_targets(out, results.targets, results.rule);
    for (const Measurement& measurement : results.measurements) write_measurement(out, measurement);
    out.close();
    if (!out)
        return fail(errno_message("write " + config.markdown));
    return true;
}

}  // namespace bench
