// bench/out/results.json: everything the report shows plus every sample, for
// tools and for comparing runs.
#include <cmath>
#include <cstdio>
#include <fstream>

#include "report.h"

namespace bench {
namespace {

std::string quoted(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char escape[8];
            std::snprintf(escape, sizeof escape, "\\u%04x", c);
            out += escape;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

std::string number(double value) {
    if (!std::isfinite(value))
        return "null";
    char text[32];
    std::snprintf(text, sizeof text, "%.10g", value);
    return text;
}

// Unbounded interval ends (too few samples) become null.
void write_comparison(std::ostream& out, const PeerComparison& comparison) {
    out << "{\"peer\": " << quoted(comparison.peer) << ", \"n_vigil\": " << comparison.vigil_samples
        << ", \"n_peer\": " << comparison.peer_samples
        << ", \"shift\": " << number(comparison.shift.estimate)
        << ", \"lower\": " << number(comparison.shift.lower)
        << ", \"upper\": " << number(comparison.shift.upper)
        << ", \"margin\": " << number(comparison.margin);
    if (comparison.tested) {
        out << ", \"p_slower\": " << number(comparison.p_slower)
            << ", \"p_within\": " << number(comparison.p_within);
    }
    out << ", \"verdict\": " << quoted(verdict_name(comparison.verdict))
        << ", \"reason\": " << quoted(comparison.reason) << "}";
}

void write_figure(std::ostream& out, const Figure& figure) {
    out << "        {\"subject\": " << quoted(figure.subject);
    if (figure.ok()) {
        out << ", \"median\": " << number(figure.median()) << ", \"p99\": " << number(figure.p99())
            << ", \"n\": " << figure.samples.size();
    }
    if (!figure.note.empty())
        out << ", \"note\": " << quoted(figure.note);
    if (!figure.error.empty())
        out << ", \"error\": " << quoted(figure.error);
    auto write_numbers = [&](const char* name, const std::vector<double>& values) {
        out << ",\n         \"" << name << "\": [";
        for (size_t i = 0; i < values.size(); ++i) out << (i ? ", " : "") << number(values[i]);
        out << "]";
    };
    write_numbers("samples", figure.samples);
    if (!figure.ranked.empty())
        write_numbers("ranked", figure.ranked);
    out << "}";
}

}  // namespace

Result<bool> write_json(const RunResults& results, const BenchConfig& config,
                        const std::string& path) {
    std::ofstream out(path);
    if (!out)
        return fail(errno_message("open " + path));
    const Machine& machine = results.machine;
    out << "{\n  \"smoke\": " << (config.smoke ? "true" : "false") << ",\n"
        << "  \"machine\": {\"date\": " << quoted(machine.date)
        << ", \"cpu\": " << quoted(machine.cpu) << ", \"cores\": " << machine.cores
        << ", \"memory_mib\": " << machine.memory_mib << ", \"kernel\": " << quoted(machine.kernel)
        << ", \"virtual_machine\": " << (machine.virtual_machine ? "true" : "false")
        << ", \"vigil\": " << quoted(machine.vigil_version)
        << ", \"peers\": " << quoted(machine.peer_versions) << "},\n";
    const DecisionRule& rule = results.rule;
    out << "  \"decision_rule\": {\"alpha\": " << number(rule.alpha)
        << ", \"margin_fraction\": " << number(rule.margin_fraction)
        << ", \"min_samples\": " << rule.min_samples << "},\n";
    out << "  \"targets\": [\n";
    for (size_t i = 0; i < results.targets.size(); ++i) {
        const Target& target = results.targets[i];
        out << "    {\"goal\": " << quoted(target.goal) << ", \"vigil\": " << quoted(target.vigil)
            << ", \"limit\": " << quoted(target.reference)
            << ", \"verdict\": " << quoted(verdict_name(target.verdict))
            << ", \"note\": " << quoted(target.note);
        if (!target.comparisons.empty()) {
            out << ",\n     \"comparisons\": [";
            for (size_t j = 0; j < target.comparisons.size(); ++j)
                write_comparison(out << (j ? ",\n       " : "\n       "), target.comparisons[j]);
            out << "]";
        }
        out << "}" << (i + 1 < results.targets.size() ? ",\n" : "\n");
    }
    out << "  ],\n  \"measurements\": [\n";
    for (size_t i = 0; i < results.measurements.size(); ++i) {
        const Measurement& measurement = results.measurements[i];
        out << "    {\"key\": " << quoted(measurement.key)
            << ", \"title\": " << quoted(measurement.title)
            << ", \"unit\": " << quoted(measurement.unit)
            << ",\n     \"how\": " << quoted(measurement.how) << ",\n     \"figures\": [\n";
        for (size_t j = 0; j < measurement.figures.size(); ++j) {
            write_figure(out, measurement.figures[j]);
            out << (j + 1 < measurement.figures.size() ? ",\n" : "\n");
        }
        out << "     ]}" << (i + 1 < results.measurements.size() ? ",\n" : "\n");
    }
    out << "  ]\n}\n";
    out.close();
    if (!out)
        return fail(errno_message("write " + path));
    return true;
}

}  // namespace bench
