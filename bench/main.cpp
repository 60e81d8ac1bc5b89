// vigil-bench: measures vigil and its peers side by side in one run and
// writes the report. bench/run.sh installs the peers, builds everything and
// runs this; see docs/benchmarks.md for what each figure means.
//
//   vigil-bench --vigil PATH --markdown FILE --chart FILE [--out DIR]
//               [--helper PATH] [--grpc-server PATH] [--smoke]
//
// Exit status 0 when every measurement produced a figure for vigil, 1 when
// one did not (the report is written either way), 2 on a usage error.
//
// Files: measure_*.cpp hold one measurement each; init_session, spawn,
// shared_page, reap_watch and proc_files are the process plumbing;
// http_server and grpc_server are what the probes ask; targets.cpp judges
// the goals, with peer_comparison and rank_statistics for the timings;
// report_*.cpp write the outputs; bench_child.cpp is the program the inits
// supervise.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

#include "bench_config.h"
#include "clock.h"
#include "machine.h"
#include "measurements.h"
#include "report.h"
#include "subjects.h"

using namespace bench;

namespace {

const char* usage =
    "usage: vigil-bench --vigil PATH --markdown FILE --chart FILE [--out DIR] [--helper PATH] "
    "[--grpc-server PATH] [--smoke]\n";

std::string directory_of(const std::string& path) {
    size_t slash = path.rfind('/');
    return slash == std::string::npos ? "." : path.substr(0, slash);
}

bool parse_arguments(int argc, char** argv, BenchConfig& config) {
    config.out_dir = "bench/out";
    config.helper = directory_of(argv[0]) + "/bench-child";
    config.grpc_server = directory_of(argv[0]) + "/grpc-health-server";
    for (int i = 1; i < argc; ++i) {
        std::string_view flag = argv[i];
        if (flag == "--smoke") {
            config.use_smoke_sizes();
            continue;
        }
        if (i + 1 == argc)
            return false;
        std::string value = argv[++i];
        if (flag == "--vigil")
            config.vigil = value;
        else if (flag == "--markdown")
            config.markdown = value;
        else if (flag == "--chart")
            config.chart = value;
        else if (flag == "--out")
            config.out_dir = value;
        else if (flag == "--helper")
            config.helper = value;
        else if (flag == "--grpc-server")
            config.grpc_server = value;
        else
            return false;
    }
    return !config.vigil.empty() && !config.markdown.empty() && !config.chart.empty();
}

// Runs one step and says how long it took, so a slow full run shows progress.
template <typename Step>
auto timed(const char* what, Step step) {
    std::fprintf(stderr, "bench: %s ...\n", what);
    int64_t started = monotonic_ns();
    auto result = step();
    std::fprintf(stderr, "bench: %s done in %.1f s\n", what,
                 double(monotonic_ns() - started) / 1e9);
    return result;
}

// Every measurement must have a number for vigil; say which ones do not.
bool vigil_has_every_figure(const std::vector<Measurement>& measurements) {
    bool complete = true;
    for (const Measurement& measurement : measurements) {
        const Figure& vigil = measurement.figures.front();
        if (!vigil.ok()) {
            std::fprintf(stderr, "bench: no figure for %s in \"%s\": %s\n", vigil.subject.c_str(),
                         measurement.title.c_str(),
                         vigil.error.empty() ? "no samples" : vigil.error.c_str());
            complete = false;
        }
    }
    return complete;
}

}  // namespace

int main(int argc, char** argv) {
    BenchConfig config;
    if (!parse_arguments(argc, argv, config)) {
        std::fputs(usage, stderr);
        return 2;
    }
    if (geteuid() != 0) {
        std::fputs("bench: needs root: every init runs as PID 1 of a new PID namespace\n", stderr);
        return 2;
    }
    for (const std::string& binary : {config.vigil, config.helper}) {
        if (std::string missing = missing_binary(binary); !missing.empty()) {
            std::fprintf(stderr, "bench: %s\n", missing.c_str());
            return 2;
        }
    }
    if (mkdir(config.out_dir.c_str(), 0755) < 0 && errno != EEXIST) {
        std::fprintf(stderr, "bench: mkdir %s: %s\n", config.out_dir.c_str(), std::strerror(errno));
        return 1;
    }
    // What the inits and bench-child print goes here, for when a run fails.
    std::string log_path = config.out_dir + "/children.log";
    config.log_fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (config.log_fd < 0) {
        std::fprintf(stderr, "bench: open %s: %s\n", log_path.c_str(), std::strerror(errno));
        return 1;
    }

    const std::vector<Init> inits = inits_under_test(config.vigil);
    const std::vector<Probe> probes = probes_under_test(config.vigil);
    RunResults results;
    results.machine = describe_machine(config.vigil);
    std::vector<Measurement>& measurements = results.measurements;
    auto add = [&](std::vector<Measurement> more) {
        measurements.insert(measurements.end(), more.begin(), more.end());
    };

    add({measure_init_binaries(inits)});
    add({timed("start-up overhead", [&] { return measure_startup(config, inits); })});
    add(timed("memory and idle wakeups", [&] { return measure_idle(config, inits); }));
    add({timed("signal forwarding", [&] { return measure_signal_forwarding(config, inits); })});
    add(timed("reaping", [&] { return measure_reaping(config, inits); }));
    add({timed("shutdown", [&] { return measure_shutdown(config, inits); })});
    add({measure_probe_binaries(probes)});
    add(timed("probes", [&] { return measure_probes(config, probes); }));
    results.targets = evaluate_targets(measurements, results.rule);

    std::string json_path = config.out_dir + "/results.json";
    std::string script_path = config.out_dir + "/chart.gp";
    for (const Result<bool>& written :
         {write_json(results, config, json_path), write_markdown(results, config),
          write_chart_script(results, config, script_path)}) {
        if (!written) {
            std::fprintf(stderr, "bench: %s\n", written.error().c_str());
            return 1;
        }
    }
    std::fprintf(stderr, "bench: wrote %s, %s and %s\n", config.markdown.c_str(), json_path.c_str(),
                 script_path.c_str());
    return vigil_has_every_figure(measurements) ? 0 : 1;
}
