#include "proc_files.h"

#include <cstdlib>
#include <cstring>
#include <fstream>

namespace bench {

Result<long> status_field(pid_t pid, const std::string& name) {
    std::string path = "/proc/" + std::to_string(pid) + "/status";
    std::ifstream status(path);
    if (!status)
        return fail(errno_message("open " + path));
    std::string line;
    std::string prefix = name + ":";
    while (std::getline(status, line)) {
        if (line.compare(0, prefix.size(), prefix) == 0)
            return std::strtol(line.c_str() + prefix.size(), nullptr, 10);
    }
    return fail(path + " has no " + name);
}

Result<std::vector<pid_t>> child_pids(pid_t pid) {
    std::string path =
        "/proc/" + std::to_string(pid) + "/task/" + std::to_string(pid) + "/children";
    std::ifstream children(path);
    if (!children)
        return fail(errno_message("open " + path));
    std::vector<pid_t> pids;
    pid_t child;
    while (children >> child) pids.push_back(child);
    if (children.bad())
        return fail(errno_message("read " + path));
    return pids;
}

}  // namespace bench
