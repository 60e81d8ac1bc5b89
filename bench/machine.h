// Where and when a run happened, and what was measured: the report states it
// so that figures from different machines are never compared by accident.
#pragma once

#include <string>

namespace bench {

struct Machine {
    std::string cpu;               // model name from /proc/cpuinfo
    int cores = 0;                 // online CPUs
    bool virtual_machine = false;  // the CPU's "hypervisor" flag
    long memory_mib = 0;
    std::string kernel;  // uname: release and version
    std::string date;    // UTC, ISO 8601
    std::string vigil_version;
    std::string peer_versions;  // "tini 0.19.0-1, ..." from dpkg
};

Machine describe_machine(const std::string& vigil_path);

}  // namespace bench
