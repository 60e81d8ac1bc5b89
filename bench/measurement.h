// What a measurement produces: one figure per subject (vigil first), each
// with its raw samples or the reason it has none. The report, the chart and
// the raw JSON are all written from these.
#pragma once

#include <string>
#include <vector>

namespace bench {

struct Figure {
    std::string subject;          // "vigil", "tini", "busybox wget", ...
    std::vector<double> samples;  // in the measurement's unit
    std::string note;             // e.g. "static" or "dynamic, 2 shared libraries"
    std::string error;            // why there is no number, if there is none
    // What the rank tests compare, when not `samples`: start-up ranks the raw
    // times of `INIT -- /bin/true`, since its per-round differences share
    // the bare run's noise across inits (targets.cpp).
    std::vector<double> ranked;

    bool ok() const { return error.empty() && !samples.empty(); }
    double median() const;
    double p99() const;
};

struct Measurement {
    std::string key;    // stable name for the JSON and the chart files
    std::string title;  // heading in the report
    std::string unit;   // of every sample: "µs", "ms", "KiB", "bytes", "count"
    std::string how;    // how it was measured, a few sentences for the report
    bool show_p99 = false;
    bool show_range = false;  // min–max: for few, scattered samples
    std::vector<Figure> figures;

    const Figure* find(const std::string& subject) const;
};

}  // namespace bench
