// The chart: a gnuplot multiplot with one bar panel per figure, vigil in
// green, peers in grey, each bar labelled with its value. Panels whose bars
// span more than 30× (and have no zero) use a log scale so that the small
// ones stay visible.
#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <fstream>

#include "report.h"

namespace bench {
namespace {

struct Panel {
    const char* key;  // measurement
    bool p99;         // plot the p99 instead of the median
    const char* title;
};

// Five by three, in the report's order.
constexpr Panel panels[] = {
    {"init_size", false, "Init binary size (KiB, file only)"},
    {"startup", false, "Start-up overhead (µs, median)"},
    {"memory", false, "Init peak memory, VmHWM (KiB)"},
    {"wakeups", false, "Idle wakeups (median per window)"},
    {"signals", false, "Signal forwarding (µs, median)"},
    {"signals", true, "Signal forwarding (µs, p99)"},
    {"reaping", false, "Reaping a storm of orphans (ms, median)"},
    {"zombies", false, "Peak zombies in the storm (median)"},
    {"reaping_waiting", false, "Reaping waiting zombies (ms, median)"},
    {"shutdown", false, "Shutdown on SIGTERM (µs, median)"},
    {"probe_size", false, "Probe binary size (KiB, file only)"},
    {"probe_latency", false, "Probe latency (µs, median)"},
    {"probe_memory", false, "Probe peak memory, VmHWM (KiB)"},
};

const Measurement* find(const std::vector<Measurement>& measurements, const std::string& key) {
    for (const Measurement& measurement : measurements) {
        if (measurement.key == key)
            return &measurement;
    }
    return nullptr;
}

// One line per subject: name, value (NaN when failed), colour, label.
Result<std::pair<double, double>> write_panel_data(const Measurement& measurement, bool p99,
                                                   const std::string& path) {
    std::ofstream data(path);
    if (!data)
        return fail(errno_message("open " + path));
    double lowest = INFINITY;
    double highest = 0;
    bool in_kib = measurement.unit == "bytes";
    for (const Figure& figure : measurement.figures) {
        std::string name = figure.subject;
        std::string value = "NaN";
        std::string label = "failed";
        if (figure.ok()) {
            double number = p99 ? figure.p99() : figure.median();
            if (in_kib)
                number /= 1024;
            value = std::to_string(number);
            label = format_number(number);
            lowest = std::min(lowest, number);
            highest = std::max(highest, number);
        } else {
            name += "\\n(failed)";
        }
        if (figure.note.find("published") != std::string::npos)
            name += "\\n(published)";
        const char* colour = figure.subject.rfind("vigil", 0) == 0 ? "3066944" : "10066329";
        data << '"' << name << "\" " << value << ' ' << colour << " \"" << label << "\"\n";
    }
    if (!data)
        return fail(errno_message("write " + path));
    return std::pair{lowest, highest};
}

}  // namespace

Result<bool> write_chart_script(const RunResults& results, const BenchConfig& config,
                                const std::string& script_path) {
    std::string data_dir = config.out_dir + "/chart";
    if (mkdir(data_dir.c_str(), 0755) < 0 && errno != EEXIST)
        return fail(errno_message("mkdir " + data_dir));
    std::ofstream script(script_path);
    if (!script)
        return fail(errno_message("open " + script_path));
    const Machine& machine = results.machine;
    script << "# Drawn by bench/run.sh: gnuplot " << script_path << "\n"
           << "set terminal pngcairo noenhanced size 2100,1250 font 'DejaVu Sans,10'\n"
           << "set output '" << config.chart << "'\n"
           << "set multiplot layout 3,5 title \"vigil (green) and its peers, one run on "
           << machine.cpu << ", " << machine.cores << " cores, " << machine.date
           << (config.smoke ? " (SMOKE RUN, tiny N)" : "") << ": lower is better\" font ',13'\n"
           << "set style fill solid 0.85 border -1\nset boxwidth 0.6\nunset key\n"
           << "set grid ytics\nset xtics nomirror font ',9'\nset ytics nomirror\n"
           << "set tmargin 3\nset bmargin 3.5\nset format y '%g'\n";
    int index = 0;
    for (const Panel& panel : panels) {
        const Measurement* measurement = find(results.measurements, panel.key);
        if (!measurement)
            continue;
        std::string path = data_dir + "/" + std::to_string(index++) + "-" + panel.key + ".dat";
        Result<std::pair<double, double>> range = write_panel_data(*measurement, panel.p99, path);
        if (!range)
            return fail(range.error());
        auto [lowest, highest] = *range;
        script << "set title \"" << panel.title << "\"\n";
        if (std::isfinite(lowest) && lowest > 0 && highest / lowest > 30) {
            script << "set logscale y\nset yrange [" << lowest / 3 << ":" << highest * 4 << "]\n";
        } else {
            script << "unset logscale y\nset yrange [0:" << std::max(highest * 1.25, 1.0) << "]\n";
        }
        script << "plot '" << path << "' using 0:2:3:xtic(1) with boxes lc rgb variable, \\\n"
               << "     '' using 0:2:4 with labels offset 0,0.8 font ',9'\n";
    }
    script << "unset multiplot\n";
    script.close();
    if (!script)
        return fail(errno_message("write " + script_path));
    return true;
}

}  // namespace bench
