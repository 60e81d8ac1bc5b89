// The programs under test and how each is invoked: the inits (vigil and its
// peers) and the HTTP probes. Their command lines differ slightly.
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

struct Probe {
    std::string name;
    std::string path;
    std::vector<std::string> options;  // before the URL

    std::vector<std::string> command(const std::string& url) const;
};

// vigil first: the report compares every peer with it.
std::vector<Init> inits_under_test(const std::string& vigil_path);
std::vector<Probe> probes_under_test(const std::string& vigil_path);

// Why `path` cannot be run, or "" when it can.
std::string missing_binary(const std::string& path);

}  // namespace bench
