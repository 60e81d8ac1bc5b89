// The programs under test and how each is invoked: the inits (vigil and its
// peers) and the probes, HTTP and gRPC. Their command lines differ slightly.
#pragma once

#include <string>
#include <vector>

namespace bench {

struct Init {
    std::string name;
    std::string path;
    std::vector<std::string> options;  // between the init and the program, e.g. "--"

    // The command line that runs `program` under this init.
    std::vector<std::string> command(const std::vector<std::string>& program) const;
};

// What a probe asks: the driver's HTTP server, or the grpc-go health server.
enum class ProbeProtocol { http, grpc };

struct Probe {
    std::string name;
    std::string path;
    std::vector<std::string> options;  // before the URL
    ProbeProtocol protocol = ProbeProtocol::http;

    std::vector<std::string> command(const std::string& url) const;
};

// vigil first: the report compares every peer with it.
std::vector<Init> inits_under_test(const std::string& vigil_path);
std::vector<Probe> probes_under_test(const std::string& vigil_path);

// The gRPC probe vigil is compared with. It cannot be installed here (it is
// in no Debian release), so only its published size is in the report.
inline constexpr char grpc_health_probe_name[] = "grpc_health_probe";

// Why `path` cannot be run, or "" when it can.
std::string missing_binary(const std::string& path);

}  // namespace bench
