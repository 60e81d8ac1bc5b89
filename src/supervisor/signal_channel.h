// How signals reach vigil: every signal is blocked, and the ones vigil acts on
// are read from a signalfd inside the event loop, so a signal never interrupts
// vigil mid-operation and an idle vigil sleeps in one poll(2).
#pragma once

#include <signal.h>

namespace vigil {

struct SignalChannel {
    int fd = -1;                // the signalfd (blocking, close-on-exec)
    sigset_t original_mask;     // the mask vigil inherited: the child gets it back
    sigset_t ignored_at_start;  // signals vigil inherited as SIG_IGN: ignored again in the child
};

// Blocks every signal and opens a signalfd for the forwardable ones and
// SIGCHLD. Faults the kernel raises in vigil itself (SIGSEGV on a bad pointer)
// are forced through the block and kill vigil with a core dump; the same
// signals sent with kill() stay pending and are read like any other. Returns
// false (with errno set) on failure.
bool open_signal_channel(SignalChannel& channel);

// Adds `signal` to `set` as the kernel reads it, libc's reserved real-time
// signals included (sigaddset refuses those).
void add_to_kernel_mask(sigset_t& set, int signal);

// rt_sigprocmask without libc's filtering of its reserved signals, so that a
// mask saved by open_signal_channel is restored exactly (in the child).
bool set_kernel_signal_mask(int how, const sigset_t* set, sigset_t* old);

}  // namespace vigil
