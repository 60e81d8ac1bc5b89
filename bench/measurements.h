// The measurements, one file each. Every one takes the subjects, runs them
// interleaved (one round = each subject once), and returns figures in the
// order of the subjects, vigil first; a subject that fails gets an error in
// its figure and the run goes on.
#pragma once

#include <vector>

#include "bench_config.h"
#include "measurement.h"
#include "subjects.h"

namespace bench {

// measure_binaries.cpp: size on disk and linkage.
Measurement measure_init_binaries(const std::vector<Init>& inits);
Measurement measure_probe_binaries(const std::vector<Probe>& probes);

// measure_startup.cpp: `INIT -- /bin/true` minus bare /bin/true.
Measurement measure_startup(const BenchConfig& config, const std::vector<Init>& inits);

// measure_idle.cpp: peak memory and voluntary wakeups of an idle init.
std::vector<Measurement> measure_idle(const BenchConfig& config, const std::vector<Init>& inits);

// measure_signals.cpp: kill() on the init to the child's handler.
Measurement measure_signal_forwarding(const BenchConfig& config, const std::vector<Init>& inits);

// measure_reaping.cpp: time to reap a burst of orphans, and zombies seen.
std::vector<Measurement> measure_reaping(const BenchConfig& config, const std::vector<Init>& inits);

// measure_shutdown.cpp: SIGTERM to the init until it has exited.
Measurement measure_shutdown(const BenchConfig& config, const std::vector<Init>& inits);

// measure_probes.cpp: latency and peak memory of one probe process.
std::vector<Measurement> measure_probes(const BenchConfig& config,
                                        const std::vector<Probe>& probes);

}  // namespace bench
