// Probe latency and peak memory: each probe runs as a Docker HEALTHCHECK
// runs it, a fresh process per check, against a local server: the HTTP
// probes all ask the same HTTP server, `vigil probe grpc://` asks grpc-go's
// health server.
//
// Peak memory is not ru_maxrss: that is the peak over every memory image the
// process had, the copy of the driver that fork made included, and on this
// kernel's per-CPU RSS counters it reads 0 for a process of a few pages.
// Instead the probe runs under ptrace, stops as it is about to exit, and
// /proc/PID/status gives its VmHWM, the peak of its own image since exec.
#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>

#include "clock.h"
#include "grpc_server.h"
#include "http_server.h"
#include "measurements.h"
#include "proc_files.h"
#include "spawn.h"

namespace bench {
namespace {

constexpr int probe_timeout_ms = 10'000;

Result<bool> check_exit(const ExitInfo& exit) {
    if (!exit.succeeded())
        return fail("reported the healthy server unhealthy (" + exit.describe() + ")");
    return true;
}

// Microseconds from clone to wait4 returning.
Result<double> time_probe(const Probe& probe, const std::string& url, int output_fd) {
    int64_t started = monotonic_ns();
    Result<Child> child = Child::spawn(probe.command(url), {.output_fd = output_fd});
    if (!child)
        return fail(child.error());
    Result<ExitInfo> exit = child->wait(probe_timeout_ms);
    if (!exit)
        return fail(exit.error());
    if (Result<bool> healthy = check_exit(*exit); !healthy)
        return fail(healthy.error());
    return static_cast<double>(exit->exited_ns - started) / 1e3;
}

// VmHWM in KiB, read at the probe's exit stop.
Result<double> probe_peak_memory(const Probe& probe, const std::string& url) {
    Result<Child> child = Child::spawn(probe.command(url), {.traced = true});
    if (!child)
        return fail(child.error());
    Result<long> peak = fail("never stopped at exit");
    Result<ExitInfo> exit =
        child->wait_traced(probe_timeout_ms, [&](pid_t pid) { peak = status_field(pid, "VmHWM"); });
    if (!exit)
        return fail(exit.error());
    if (Result<bool> healthy = check_exit(*exit); !healthy)
        return fail(healthy.error());
    if (!peak)
        return fail(peak.error());
    return static_cast<double>(*peak);
}

// One run with the output kept, so that a probe that does not work (an old
// vigil without `probe`, say) is reported with its own words.
std::string check_probe(const Probe& probe, const std::string& url) {
    if (std::string missing = missing_binary(probe.path); !missing.empty())
        return missing;
    int output = memfd_create("probe-output", MFD_CLOEXEC);
    if (output < 0)
        return errno_message("memfd_create");
    Result<double> run = time_probe(probe, url, output);
    std::string error;
    if (!run) {
        char text[512] = {};
        ssize_t length = pread(output, text, sizeof text - 1, 0);
        std::string said = length > 0 ? std::string(text, static_cast<size_t>(length)) : "";
        if (size_t newline = said.find('\n'); newline != std::string::npos)
            said.resize(newline);
        error = run.error() + (said.empty() ? "" : "; it said: " + said);
    }
    close(output);
    return error;
}

}  // namespace

std::vector<Measurement> measure_probes(const BenchConfig& config,
                                        const std::vector<Probe>& probes) {
    std::vector<Figure> latency;
    std::vector<Figure> memory;
    Result<std::unique_ptr<HttpServer>> http = HttpServer::start();
    Result<std::unique_ptr<GrpcServer>> grpc = GrpcServer::start(config.grpc_server, config.log_fd);
    // Each probe's URL, or why its server is not there.
    std::vector<Result<std::string>> urls;
    for (const Probe& probe : probes) {
        if (probe.protocol == ProbeProtocol::grpc)
            urls.push_back(grpc ? Result<std::string>((*grpc)->url()) : fail(grpc.error()));
        else
            urls.push_back(http ? Result<std::string>((*http)->url()) : fail(http.error()));
    }
    for (size_t i = 0; i < probes.size(); ++i) {
        std::string error = urls[i] ? check_probe(probes[i], *urls[i]) : urls[i].error();
        if (!error.empty())
            std::fprintf(stderr, "bench: %s: %s\n", probes[i].name.c_str(), error.c_str());
        latency.push_back({.subject = probes[i].name, .error = error});
        memory.push_back({.subject = probes[i].name, .error = error});
    }
    for (int round = 0; round < config.probe_rounds; ++round) {
        for (size_t i = 0; i < probes.size(); ++i) {
            if (!latency[i].error.empty())
                continue;
            Result<double> elapsed = time_probe(probes[i], *urls[i], -1);
            if (elapsed)
                latency[i].samples.push_back(*elapsed);
            else
                latency[i].error = elapsed.error();
        }
    }
    // Separate runs: being traced slows a probe down.
    for (int round = 0; round < config.probe_memory_rounds; ++round) {
        for (size_t i = 0; i < probes.size(); ++i) {
            if (!memory[i].error.empty())
                continue;
            Result<double> peak = probe_peak_memory(probes[i], *urls[i]);
            if (peak)
                memory[i].samples.push_back(*peak);
            else
                memory[i].error = peak.error();
        }
    }

    Measurement latency_measurement{
        .key = "probe_latency",
        .title = "Probe latency",
        .unit = "µs",
        .how =
            "Wall time from `clone()` to `wait4()` returning for one probe process, run as a "
            "HEALTHCHECK runs it: `vigil probe URL`, `busybox wget -q --spider URL`, "
            "`curl -fsS -o /dev/null URL`, output to /dev/null, exit status 0 required. The "
            "HTTP probes ask the same server: a process forked by the driver on 127.0.0.1 that "
            "answers `HTTP/1.1 200 OK` with `Content-Length` and `Connection: close`. "
            "`vigil probe (gRPC)` is `vigil probe grpc://127.0.0.1:PORT`: one "
            "`grpc.health.v1.Health/Check` over HTTP/2 against a real gRPC server, grpc-go's own "
            "health service (`tests/grpc/health_server.go`, the server of the gRPC probe's "
            "tests, built offline from Debian's golang-google-grpc-dev), which answers "
            "SERVING; its figure includes grpc-go's work, so it compares the two protocols "
            "as a user meets them, not the probe's code alone. Rounds run each probe in turn.",
        .show_p99 = true,
        .figures = latency};
    Measurement memory_measurement{
        .key = "probe_memory",
        .title = "Probe peak memory",
        .unit = "KiB",
        .how =
            "`VmHWM` (peak resident set) from `/proc/PID/status` of the probe, read while it "
            "is stopped about to exit: the probe runs under `ptrace` with "
            "`PTRACE_O_TRACEEXIT`, in runs of its own (interleaved, same servers), since being "
            "traced slows it down. Shared library pages it touched count. Not `ru_maxrss`: "
            "that includes the copy of the driver's memory that `fork` made before `exec`, "
            "and this kernel's per-CPU RSS counters make it read 0 for a process of a few "
            "pages.",
        .figures = memory};
    return {latency_measurement, memory_measurement};
}

}  // namespace bench
