#include "base/signal_disposition.h"

#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace vigil {
namespace {

// The kernel's struct sigaction on the Linux ABIs vigil supports (x86-64 and
// arm64): handler, flags, restorer, mask. The restorer only matters with
// SA_RESTORER in the flags, for a handler: never here.
struct KernelSigaction {
    void (*handler)(int);
    unsigned long flags;
    void (*restorer)();
    unsigned long mask;  // the kernel's sigset_t: signal N is bit N-1
};

long rt_sigaction(int signal, const KernelSigaction* action, KernelSigaction* old) {
    return syscall(SYS_rt_sigaction, signal, action, old, sizeof(unsigned long));
}

}  // namespace

bool set_signal_disposition(int signal, void (*disposition)(int)) {
    KernelSigaction action{disposition, 0, nullptr, 0};
    return rt_sigaction(signal, &action, nullptr) == 0;
}

bool signal_ignored(int signal) {
    KernelSigaction current{};
    return rt_sigaction(signal, nullptr, &current) == 0 && current.handler == SIG_IGN;
}

}  // namespace vigil
