#include "supervisor/signal_channel.h"

#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>

#include "base/signal_disposition.h"
#include "supervisor/signals.h"

namespace vigil {
// libc hides the real-time signals it reserves for itself (musl: 32-34,
// glibc: 32-33) from sigaddset, sigprocmask and sigaction. vigil runs no threads or
// timers that use them, and a `docker kill -s 34` must neither kill vigil nor
// be lost, so the kernel's mask is set directly: signal N is bit N-1 of the
// first word, on every Linux ABI vigil supports.
void add_to_kernel_mask(sigset_t& set, int signal) {
    unsigned long word;
    std::memcpy(&word, &set, sizeof word);
    word |= 1UL << (signal - 1);
    std::memcpy(&set, &word, sizeof word);
}

bool set_kernel_signal_mask(int how, const sigset_t* set, sigset_t* old) {
    return syscall(SYS_rt_sigprocmask, how, set, old, max_signal / 8) == 0;
}

bool open_signal_channel(SignalChannel& channel) {
    sigset_t all;
    sigemptyset(&all);
    sigemptyset(&channel.original_mask);
    for (int signal = 1; signal <= max_signal; ++signal) add_to_kernel_mask(all, signal);
    if (!set_kernel_signal_mask(SIG_BLOCK, &all, &channel.original_mask))
        return false;

    // An ignored signal is discarded before it can be read, so vigil takes
    // signals it inherited as ignored back to their default (harmless while
    // blocked) and the child gets them ignored again. SIGCHLD matters most:
    // ignored, the kernel would reap the child and vigil would lose its status.
    // libc's reserved real-time signals are among them: libc's sigaction()
    // refuses those, rt_sigaction(2) does not (base/signal_disposition.h).
    sigset_t handled;
    sigemptyset(&handled);
    sigemptyset(&channel.ignored_at_start);
    for (int signal = 1; signal <= max_signal; ++signal) {
        if (!is_forwardable(signal) && signal != SIGCHLD)
            continue;
        add_to_kernel_mask(handled, signal);
        if (signal_ignored(signal)) {
            add_to_kernel_mask(channel.ignored_at_start, signal);
            set_signal_disposition(signal, SIG_DFL);  // cannot fail: a valid, catchable signal
        }
    }

    channel.fd = signalfd(-1, &handled, SFD_CLOEXEC);
    return channel.fd >= 0;
}

}  // namespace vigil
