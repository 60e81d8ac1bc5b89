#include "machine.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <fstream>
#include <sstream>

#include "shell.h"

namespace bench {
namespace {

// The value of the first "key : value" line in a /proc file.
std::string proc_value(const char* path, const std::string& key) {
    std::ifstream file(path);
    std::string line;
    while (std::getline(file, line)) {
        if (line.compare(0, key.size(), key) != 0)
            continue;
        size_t colon = line.find(':');
        if (colon == std::string::npos)
            continue;
        size_t start = line.find_first_not_of(" \t", colon + 1);
        return start == std::string::npos ? "" : line.substr(start);
    }
    return "";
}

std::string first_line(std::string text) {
    if (size_t newline = text.find('\n'); newline != std::string::npos)
        text.resize(newline);
    return text;
}

}  // namespace

Machine describe_machine(const std::string& vigil_path) {
    Machine machine;
    machine.cpu = proc_value("/proc/cpuinfo", "model name");
    if (machine.cpu.empty())
        machine.cpu = "unknown CPU";
    machine.cores = static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN));
    std::string flags = proc_value("/proc/cpuinfo", "flags");
    flags += ' ';
    machine.virtual_machine = flags.find("hypervisor ") != std::string::npos;
    machine.memory_mib =
        std::strtol(proc_value("/proc/meminfo", "MemTotal").c_str(), nullptr, 10) / 1024;

    utsname names{};
    if (uname(&names) == 0)
        machine.kernel =
            std::string(names.sysname) + " " + names.release + " (" + names.version + ")";

    std::time_t now = std::time(nullptr);
    char date[32];
    std::strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", std::gmtime(&now));
    machine.date = date;

    Result<std::string> version = shell_output("'" + vigil_path + "' --version 2>/dev/null");
    machine.vigil_version = version ? first_line(*version) : "vigil (version unknown)";
    Result<std::string> packages = shell_output(
        "dpkg-query -W -f '${Package} ${Version}, ' tini dumb-init catatonit busybox-static curl "
        "golang-google-grpc-dev 2>/dev/null");
    if (packages && packages->size() > 2)
        machine.peer_versions = packages->substr(0, packages->size() - 2);
    else
        machine.peer_versions = "unknown (dpkg-query failed)";
    return machine;
}

}  // namespace bench
