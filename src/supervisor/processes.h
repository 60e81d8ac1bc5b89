// vigil's place in the process tree: subreaper registration, the parent-death
// signal, and the process table as /proc shows it (proc(5)), read without
// allocating so that the drain can find every descendant.
#pragma once

#include <sys/types.h>

#include <cstdint>

namespace vigil {

// Asks the kernel to reparent orphaned descendants to vigil instead of to the
// namespace's init (PR_SET_CHILD_SUBREAPER). Returns 0 or an errno value.
int become_subreaper();

// Asks the kernel to send `signal` to vigil when its parent dies
// (PR_SET_PDEATHSIG). Returns 0 or an errno value.
int set_parent_death_signal(int signal);

// One process, from /proc/PID/stat.
// No default member values: the drain keeps thousands of these in static
// storage, which stays untouched (and costs no memory) until it is used.
struct ProcessEntry {
    pid_t pid;
    pid_t parent;  // field 4, ppid
    pid_t group;   // field 5, pgrp
    // Field 22, starttime in clock ticks since boot: with the PID, it names a
    // process for good, across PID reuse.
    uint64_t start_time;
};

// True when /proc can be read and shows vigil's own PID namespace: a PID
// namespace made without remounting /proc (unshare --pid without
// --mount-proc) shows the host's processes, whose PIDs mean other processes
// to vigil, so nothing there may be signalled. `errno_out` says why not.
bool proc_shows_own_namespace(pid_t own_pid, int& error);

// Reads /proc/PID/stat of one process; false when it is gone or unreadable.
bool read_process_entry(int proc_fd, const char* pid_name, ProcessEntry& out);

// Calls visit(entry, context) for each process in /proc (in PID order).
// Returns the number visited, or -1 when /proc cannot be read.
int for_each_process(void (*visit)(const ProcessEntry& entry, void* context), void* context);

}  // namespace vigil
