// What writing one of vigil's log lines costs, escaping included: the time
// to format a line into log_message's 1 KiB buffer (the write(2) that
// follows is the same for every line and not counted). Three lines: the one
// -vv writes for every forwarded signal, a watchdog probe with a summary, and
// a hostile 2 KiB value full of bytes to escape, cut at 1 KiB. Prints the
// best of five runs of 200,000 lines each (or of the number given), in
// nanoseconds per line.
//
//   cmake -S . -B build/bench -DVIGIL_BUILD_BENCH=ON -DCMAKE_BUILD_TYPE=Release
//   cmake --build build/bench --target log-line-cost && build/bench/bench/log-line-cost
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "base/log.h"

using namespace vigil;

namespace {

struct Case {
    const char* name;
    const char* message;
    std::vector<LogField> fields;
};

int lines = 200000;

double nanoseconds_per_line(const Case& line, LogFormat format) {
    char buffer[1024];
    timespec now{1795444695, 123456789};
    double best = 1e18;
    size_t sink = 0;
    for (int run = 0; run < 5; ++run) {
        auto started = std::chrono::steady_clock::now();
        for (int i = 0; i < lines; ++i)
            sink += format_log_line(buffer, sizeof buffer, format, LogLevel::debug, now,
                                    line.message, line.fields);
        std::chrono::duration<double, std::nano> took = std::chrono::steady_clock::now() - started;
        best = std::min(best, took.count() / lines);
    }
    if (sink == 0)
        std::puts("");
    return best;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc > 1)  // fewer lines, for valgrind --tool=callgrind
        lines = std::atoi(argv[1]);
    std::string hostile;
    for (int i = 0; i < 512; ++i) hostile += "\x9b\xc2\x9b\x1b\"";
    std::vector<Case> cases{
        {"forwarded signal (-vv)",
         "forwarded signal",
         {{"signal", "SIGTERM"}, {"to", "group"}, {"pid", 42}}},
        {"watchdog probe (-v)",
         "watchdog probe",
         {{"result", "unhealthy"},
          {"summary", "unhealthy: HTTP 503 from 127.0.0.1:8080 in 0.4 ms"},
          {"failures", 2}}},
        {"hostile 2 KiB value, cut",
         "watchdog probe",
         {{"summary", hostile.c_str()}, {"failures", 3}}},
    };
    std::printf("| line | text (ns) | JSON (ns) |\n| --- | ---: | ---: |\n");
    for (const Case& line : cases)
        std::printf("| %s | %.0f | %.0f |\n", line.name,
                    nanoseconds_per_line(line, LogFormat::text),
                    nanoseconds_per_line(line, LogFormat::json));
    return 0;
}
