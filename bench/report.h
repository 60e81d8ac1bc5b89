// The three outputs of a run: the Markdown report, the raw results as JSON
// (every sample), and the chart's data with a gnuplot script that draws it.
#pragma once

#include <string>
#include <vector>

#include "bench_config.h"
#include "machine.h"
#include "measurement.h"
#include "result.h"
#include "targets.h"

namespace bench {

struct RunResults {
    Machine machine;
    std::vector<Measurement> measurements;
    DecisionRule rule;  // how the timing targets were decided
    std::vector<Target> targets;
};

// report_markdown.cpp
Result<bool> write_markdown(const RunResults& results, const BenchConfig& config);
// report_json.cpp
Result<bool> write_json(const RunResults& results, const BenchConfig& config,
                        const std::string& path);
// report_chart.cpp: the data files and the script; run.sh runs gnuplot on it.
Result<bool> write_chart_script(const RunResults& results, const BenchConfig& config,
                                const std::string& script_path);

}  // namespace bench
