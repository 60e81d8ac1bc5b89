// What one run of the driver measures, how often, and where it writes.
#pragma once

#include <string>

namespace bench {

struct BenchConfig {
    std::string vigil;        // the vigil binary under test
    std::string helper;       // bench-child
    std::string grpc_server;  // grpc-go's health server, for the gRPC probe
    std::string out_dir;      // raw results, chart data and the children's log
    std::string markdown;     // the report
    std::string chart;        // the PNG the gnuplot script draws
    bool smoke = false;       // tiny N: proves every measurement still works
    int log_fd = -1;          // stdout and stderr of the inits under test

    // Rounds: each round runs every subject once, in turn (A B C A B C ...),
    // so drift on the machine affects all subjects alike.
    int startup_rounds = 1000;
    int idle_rounds = 3;
    int idle_seconds = 10;
    int signal_rounds = 5000;
    // Two bursts each, a storm and waiting zombies: enough for the rank tests
    // to decide the waiting zombies, and to narrow the storm's wide spread.
    int reaping_rounds = 40;
    int orphans = 10000;
    int shutdown_rounds = 300;
    int probe_rounds = 1000;
    int probe_memory_rounds = 100;

    void use_smoke_sizes() {
        smoke = true;
        startup_rounds = 20;
        idle_rounds = 1;
        idle_seconds = 1;
        signal_rounds = 50;
        reaping_rounds = 1;
        orphans = 1000;
        shutdown_rounds = 10;
        probe_rounds = 10;
        probe_memory_rounds = 3;
    }
};

}  // namespace bench
