// vigil's place in the process tree: PID 1 or not, subreaper registration,
// and the direct children it has adopted.
#pragma once

#include <sys/types.h>

namespace vigil {

// Asks the kernel to reparent orphaned descendants to vigil instead of to the
// namespace's init (PR_SET_CHILD_SUBREAPER). Returns 0 or an errno value.
int become_subreaper();

// Asks the kernel to send `signal` to vigil when its parent dies
// (PR_SET_PDEATHSIG). Returns 0 or an errno value.
int set_parent_death_signal(int signal);

// Calls visit(pid, context) for each live process whose parent is `parent`,
// found by scanning /proc. Returns the number visited, or -1 when /proc
// cannot be read. Does not allocate.
int for_each_child_process(pid_t parent, void (*visit)(pid_t pid, void* context), void* context);

}  // namespace vigil
