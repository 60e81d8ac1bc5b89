#include "subjects.h"

#include <unistd.h>

namespace bench {

std::vector<std::string> Init::command(const std::vector<std::string>& program) const {
    std::vector<std::string> argv{path};
    argv.insert(argv.end(), options.begin(), options.end());
    argv.insert(argv.end(), program.begin(), program.end());
    return argv;
}

std::vector<std::string> Probe::command(const std::string& url) const {
    std::vector<std::string> argv{path};
    argv.insert(argv.end(), options.begin(), options.end());
    argv.push_back(url);
    return argv;
}

std::vector<Init> inits_under_test(const std::string& vigil_path) {
    // dumb-init takes the program directly; "--" would be run as the program.
    return {
        {"vigil", vigil_path, {"--"}},
        {"tini", "/usr/bin/tini", {"--"}},
        {"tini-static", "/usr/bin/tini-static", {"--"}},
        {"dumb-init", "/usr/bin/dumb-init", {}},
        {"catatonit", "/usr/bin/catatonit", {"--"}},
    };
}

std::vector<Probe> probes_under_test(const std::string& vigil_path) {
    // How each is written as a Docker HEALTHCHECK: quiet, exit status only.
    return {
        {"vigil probe", vigil_path, {"probe"}},
        {"busybox wget", "/bin/busybox", {"wget", "-q", "--spider"}},
        {"curl", "/usr/bin/curl", {"-fsS", "-o", "/dev/null"}},
        {"vigil probe (gRPC)", vigil_path, {"probe"}, ProbeProtocol::grpc},
    };
}

std::string missing_binary(const std::string& path) {
    if (access(path.c_str(), X_OK) == 0)
        return "";
    return "not installed (" + path + " is not executable)";
}

}  // namespace bench
