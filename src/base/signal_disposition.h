// A signal's disposition, SIG_DFL or SIG_IGN, set and read with rt_sigaction(2)
// itself. vigil installs no signal handler anywhere (the supervisor reads its
// signals from a signalfd), and libc's sigaction() and signal() carry what a
// handler needs: musl's bring a restorer, a lock for SIGABRT and the refusal
// of its reserved real-time signals, some 900 bytes of a static binary.
#pragma once

namespace vigil {

// Sets `signal` to SIG_DFL or SIG_IGN (no handler: nothing else is
// supported). Returns false, with errno set, for SIGKILL, SIGSTOP or a
// number that is no signal.
bool set_signal_disposition(int signal, void (*disposition)(int));

// True when `signal` is ignored (SIG_IGN).
bool signal_ignored(int signal);

}  // namespace vigil
