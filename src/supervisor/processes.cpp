#include "supervisor/processes.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>

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

bool parse_pid(std::string_view text, pid_t& pid) {
    std::optional<pid_t> parsed = parse_number<pid_t>(text);
    pid = parsed.value_or(0);
    return parsed.has_value();
}

// The parent PID from /proc/PID/stat. The command name (field 2) may hold
// spaces and parentheses, so parsing starts after the last ')'.
bool read_parent_pid(int proc_fd, const char* pid_name, pid_t& parent) {
    char path[32];
    std::memcpy(path, pid_name, std::strlen(pid_name) + 1);
    std::strncat(path, "/stat", sizeof path - std::strlen(path) - 1);
    int fd = openat(proc_fd, path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    char buffer[512];
    ssize_t length = read(fd, buffer, sizeof buffer - 1);
    close(fd);
    if (length <= 0)
        return false;
    std::string_view stat(buffer, static_cast<size_t>(length));
    size_t close_paren = stat.rfind(')');
    // ") S PPID ..."
    if (close_paren == std::string_view::npos || close_paren + 4 >= stat.size())
        return false;
    std::string_view rest = stat.substr(close_paren + 4);
    size_t space = rest.find(' ');
    return parse_pid(rest.substr(0, space), parent);
}

}  // namespace

int become_subreaper() {
    return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0 ? 0 : errno;
}

int set_parent_death_signal(int signal) {
    return prctl(PR_SET_PDEATHSIG, signal, 0, 0, 0) == 0 ? 0 : errno;
}

int for_each_child_process(pid_t parent, void (*visit)(pid_t, void*), void* context) {
    int proc_fd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
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
            pid_t pid = 0;
            pid_t entry_parent = 0;
            if (parse_pid(entry->name, pid) &&
                read_parent_pid(proc_fd, entry->name, entry_parent) && entry_parent == parent) {
                visit(pid, context);
                ++visited;
            }
        }
    }
    close(proc_fd);
    return visited;
}

}  // namespace vigil
