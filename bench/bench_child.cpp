// bench-child: the program every init supervises in the benchmark. It talks
// to the driver through a shared page (shared_state.h) instead of pipes,
// because the inits differ in which descriptors they pass on.
//
//   bench-child wait SHM            report ready, then sleep until killed
//                                   (SIGTERM's default action ends it at once)
//   bench-child signals SHM         the same, and stamp each SIGUSR1's arrival
//   bench-child orphans SHM COUNT   leave COUNT orphans to the init, each
//                                   blocked until the driver releases them all
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "clock.h"
#include "shared_state.h"

using bench::shared;
using bench::SharedState;

namespace {

SharedState* state = nullptr;

[[noreturn]] void die(const char* operation) {
    std::fprintf(stderr, "bench-child: %s: %s\n", operation, std::strerror(errno));
    if (state) {
        shared(state->ready).store(bench::child_failed);
        bench::futex_wake_all(state->ready);
    }
    std::exit(2);
}

SharedState* map_shared_state(const char* path) {
    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0)
        die("open shared page");
    void* page = mmap(nullptr, sizeof(SharedState), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (page == MAP_FAILED)
        die("mmap shared page");
    close(fd);
    return static_cast<SharedState*>(page);
}

void report_ready() {
    shared(state->ready).store(bench::child_ready);
    bench::futex_wake_all(state->ready);
}

[[noreturn]] void sleep_forever() {
    for (;;) pause();
}

// Runs in the handler: only async-signal-safe calls (clock_gettime, futex).
void stamp_signal(int) {
    shared(state->last_signal_ns).store(bench::monotonic_ns());
    shared(state->signals_seen).fetch_add(1);
    bench::futex_wake_all(state->signals_seen);
}

[[noreturn]] void orphan_main() {
    shared(state->orphans_waiting).fetch_add(1);
    while (shared(state->release_orphans).load() == 0)
        bench::futex_wait(state->release_orphans, 0, -1);
    shared(state->orphans_exited).fetch_add(1);
    _exit(0);
}

// A parent forks COUNT children and exits: the kernel hands them to the
// nearest reaper, the init under test (PID 1 of the namespace).
void make_orphans(long count) {
    pid_t parent = fork();
    if (parent < 0)
        die("fork orphans' parent");
    if (parent == 0) {
        for (long i = 0; i < count; ++i) {
            pid_t orphan = fork();
            if (orphan < 0)
                die("fork orphan");
            if (orphan == 0)
                orphan_main();
        }
        _exit(0);
    }
    int status = 0;
    while (waitpid(parent, &status, 0) < 0) {
        if (errno != EINTR)
            die("waitpid orphans' parent");
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        errno = ECHILD;
        die("orphans' parent failed");
    }
    // Ready only when every orphan is blocked, so the release starts a clean burst.
    while (shared(state->orphans_waiting).load() < static_cast<uint32_t>(count))
        bench::sleep_ns(1'000'000);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: bench-child wait|signals|orphans SHM [COUNT]\n");
        return 2;
    }
    std::string_view mode = argv[1];
    state = map_shared_state(argv[2]);

    // Whatever the init passed on, start from default signal handling.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    signal(SIGTERM, SIG_DFL);

    if (mode == "signals") {
        struct sigaction action {};
        action.sa_handler = stamp_signal;
        action.sa_flags = SA_RESTART;
        sigemptyset(&action.sa_mask);
        if (sigaction(SIGUSR1, &action, nullptr) < 0)
            die("sigaction SIGUSR1");
    } else if (mode == "orphans" && argc == 4) {
        make_orphans(std::strtol(argv[3], nullptr, 10));
    } else if (mode != "wait") {
        std::fprintf(stderr, "bench-child: unknown mode '%s'\n", argv[1]);
        errno = EINVAL;
        die("parse arguments");
    }
    report_ready();
    sleep_forever();
}
