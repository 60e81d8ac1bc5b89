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
    out << ",\n         \"samples\": [";
    for (size_t i = 0; i < figure.samples.size(); ++i)
        out << (i ? ", " : "") << number(figure.samples[i]);
    out << "]}";
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
    out << "  \"targets\": [\n";
    for (size_t i = 0; i < results.targets.size(); ++i) {
        const Target& target = results.targets[i];
        out << "    {\"goal\": " << quoted(target.goal) << ", \"vigil\": " << quoted(target.vigil)
            << ", \"limit\": " << quoted(target.reference)
            << ", \"met\": " << (target.met ? (*target.met ? "true" : "false") : "null")
            << ", \"note\": " << quoted(target.note) << "}"
            << (i + 1 < results.targets.size() ? ",\n" : "\n");
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
