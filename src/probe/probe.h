// `vigil probe`: one health check as a command, for Docker's HEALTHCHECK and
// Kubernetes exec probes. Exit status 0 when healthy and 1 for everything
// else, usage errors included: Docker reserves 2, and a probe must not use it.
#pragma once

namespace vigil {

inline constexpr int probe_healthy = 0;
inline constexpr int probe_unhealthy = 1;

// argv[0] is the word "probe". Returns the exit status.
int run_probe(int argc, char** argv);

}  // namespace vigil
