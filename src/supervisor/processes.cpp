#include "supervisor/processes.h"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>

#include "base/format.h"
#include "base/text.h"

namespace vigil {
namespace {

// getdents64's record; declared here because musl and glibc expose it
// differently.
struct LinuxDirent64 {
    ino64_t inode;
    off64_t offset;
    unsigned short record_length;
    unsigned char type;
    char name[];
};

// The next space-separated field of `rest`, which it then skips.
std::string_view next_field(std::string_view& rest) {
    size_t space = rest.find(' ');
    std::string_view field = rest.substr(0, space);
    rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
    return field;
}

}  // namespace

int become_subreaper() {
    return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0 ? 0 : errno;
}

int set_parent_death_signal(int signal) {
    return prctl(PR_SET_PDEATHSIG, signal, 0, 0, 0) == 0 ? 0 : errno;
}

bool proc_shows_own_namespace(pid_t own_pid, int& error) {
    char target[24] = {};
    // readlinkat(2) itself: musl's readlink() adds 170 bytes for the empty
    // buffer that this one is not.
    long length = syscall(SYS_readlinkat, AT_FDCWD, "/proc/self", target, sizeof target - 1);
    if (length < 0) {
        error = errno;
        return false;
    }
    auto pid = parse_number<pid_t>(std::string_view(target, static_cast<size_t>(length)));
    error = 0;
    return pid && *pid == own_pid;
}

// The command name (field 2) may hold spaces and parentheses, so parsing
// starts after the last ')': "PID (COMM) STATE PPID PGRP SESSION ...".
bool read_process_entry(int proc_fd, const char* pid_name, ProcessEntry& out) {
    auto pid = parse_number<pid_t>(pid_name);
    if (!pid)
        return false;
    char path[40];
    format_into(path, sizeof path, "%s/stat", pid_name);
    int fd = openat(proc_fd, path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    char buffer[1024];
    ssize_t length = read(fd, buffer, sizeof buffer);
    close(fd);  // a read-only descriptor: nothing to lose on close
    if (length <= 0)
        return false;
    std::string_view stat(buffer, static_cast<size_t>(length));
    size_t close_paren = stat.rfind(')');
    if (close_paren == std::string_view::npos || close_paren + 2 >= stat.size())
        return false;
    std::string_view rest = stat.substr(close_paren + 2);
    next_field(rest);  // 3: state
    auto parent = parse_number<pid_t>(next_field(rest));
    auto group = parse_number<pid_t>(next_field(rest));
    for (int field = 6; field < 22; ++field) next_field(rest);
    // In clock ticks since boot: far below 2^63.
    auto start_time = parse_number<int64_t>(next_field(rest));
    if (!parent || !group || !start_time)
        return false;
    out = ProcessEntry{*pid, *parent, *group, static_cast<uint64_t>(*start_time)};
    return true;
}

int for_each_process(void (*visit)(const ProcessEntry&, void*), void* context) {
    // openat(): musl's open() adds a fallback for kernels without O_CLOEXEC.
    int proc_fd = openat(AT_FDCWD, "/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (proc_fd < 0)
        return -1;
    int visited = 0;
    alignas(8) char buffer[4096];
    for (;;) {
        long length = syscall(SYS_getdents64, proc_fd, buffer, sizeof buffer);
        if (length <= 0)
            break;
        for (long offset = 0; offset < length;) {
            auto* entry = reinterpret_cast<LinuxDirent64*>(buffer + offset);
            offset += entry->record_length;
            ProcessEntry process;
            if (read_process_entry(proc_fd, entry->name, process)) {
                visit(process, context);
                ++visited;
            }
        }
    }
    close(proc_fd);  // a read-only directory descriptor: nothing to lose
    return visited;
}

}  // namespace vigil
