// testapp: the application the integration and end-to-end tests run under
// vigil. Static, no shell needed, so it also runs in FROM-scratch images.
//
// Flags (processed in order, then the app waits until told to stop):
//   --record FILE        append "N\n" to FILE for every signal N received
//                        (every catchable signal, 1..31 and real-time)
//   --ready FILE         create FILE once set up (tests wait for it)
//   --pid-file FILE      write the app's PID to FILE
//   --ignore-term        ignore SIGTERM (SIG_IGN)
//   --term-delay MS      on SIGTERM, take MS milliseconds to shut down, then exit 0
//   --marker FILE        write "done\n" to FILE when a delayed shutdown finished
//   --exit CODE          exit with CODE (after --sleep, else at once)
//   --sleep MS           run for MS milliseconds, then exit (code from --exit)
//   --kill-self SIGNAL   raise SIGNAL (a number) once set up
//   --orphans N          create N orphans: each a grandchild whose parent exits
//                        at once; the orphan exits after --orphan-life MS (default 0)
//   --orphan-life MS
//   --fork-recorder FILE fork a child in the same process group that records
//                        its signals to FILE (a grandchild of vigil)
//   --daemon-term-delay MS  fork a helper that leaves the process group's
//                        parent (an orphan once the app exits), needs MS ms to
//                        finish after SIGTERM, then writes --marker
//   --daemon-recorder FILE  start a daemon (double fork, setsid: another
//                        session, an orphan at once) that records its signals
//                        to FILE and exits on SIGTERM
//   --recorder-on-term FILE  on SIGTERM, start a recorder of its own (to FILE,
//                        exits on SIGTERM), then exit after --term-delay: a
//                        process born during the drain, adopted when the app
//                        exits. No signal is lost between fork and the
//                        recorder's handlers: SIGTERM stays blocked meanwhile
//   --exec-stderr-to PATH PROGRAM [ARG...]  open PATH (a FIFO nobody reads,
//                        say) read-write as stderr and exec PROGRAM: a stalled
//                        log pipe, in a scratch image without a shell
//   --serve PORT         answer HTTP GET on 127.0.0.1:PORT: 200 "ok\n" on /healthz
//                        (and any other path), or 503 "sick\n" while
//                        --unhealthy-file exists; 302 to /healthz on /redirect
//   --unhealthy-file FILE
//   --body-file FILE     with --serve: while FILE exists, the 200's body is its
//                        content (at most 256 bytes) instead of "ok\n"
//   --silent             with --serve: accept and read requests, never answer
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

volatile sig_atomic_t term_received = 0;
int record_fd = -1;

void sleep_ms(long ms) {
    timespec duration{ms / 1000, (ms % 1000) * 1000000};
    while (nanosleep(&duration, &duration) < 0 && errno == EINTR) {
    }
}

void write_file(const char* path, const char* text) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return;
    ssize_t ignored = write(fd, text, strlen(text));
    (void)ignored;
    fsync(fd);
    close(fd);
}

void on_signal_record(int signal) {
    int saved = errno;
    char line[8];
    int length = 0;
    if (signal >= 10)
        line[length++] = static_cast<char>('0' + signal / 10);
    line[length++] = static_cast<char>('0' + signal % 10);
    line[length++] = '\n';
    if (record_fd >= 0) {
        ssize_t ignored = write(record_fd, line, static_cast<size_t>(length));
        (void)ignored;
    }
    if (signal == SIGTERM)
        term_received = 1;
    errno = saved;
}

void on_term(int) {
    term_received = 1;
}

// The handlers first, then the file: a test that waits for the file to exist
// knows that every signal from then on is recorded.
void record_signals_to(const char* path) {
    struct sigaction action {};
    action.sa_handler = on_signal_record;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    for (int signal = 1; signal <= SIGRTMAX; ++signal) {
        if (signal == SIGKILL || signal == SIGSTOP || (signal > 31 && signal < SIGRTMIN))
            continue;
        sigaction(signal, &action, nullptr);
    }
    record_fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
}

// A recorder the app starts tells it when its handlers are in place, so that
// the app (which may exit at once) never leaves one that a signal would kill
// before it could record it.
void tell_ready(int ready[2]) {
    close(ready[0]);
    ssize_t ignored = write(ready[1], "r", 1);
    (void)ignored;
    close(ready[1]);
}

void await_ready(int ready[2]) {
    close(ready[1]);
    char byte;
    while (read(ready[0], &byte, 1) < 0 && errno == EINTR) {
    }
    close(ready[0]);
}

// A recorder started on SIGTERM: SIGTERM is blocked across the fork, so one
// that comes before the child's handlers are in place waits for them.
void start_recorder_now(const char* path) {
    sigset_t term, old;
    sigemptyset(&term);
    sigaddset(&term, SIGTERM);
    sigprocmask(SIG_BLOCK, &term, &old);
    int ready[2];
    if (pipe(ready) < 0)
        _exit(65);
    if (fork() == 0) {
        term_received = 0;
        record_signals_to(path);
        tell_ready(ready);
        while (!term_received) sigsuspend(&old);
        _exit(0);
    }
    await_ready(ready);
    sigprocmask(SIG_SETMASK, &old, nullptr);
}

void make_orphans(long count, long life_ms) {
    for (long i = 0; i < count; ++i) {
        pid_t parent = fork();
        if (parent == 0) {
            pid_t orphan = fork();
            if (orphan == 0) {
                if (life_ms > 0)
                    sleep_ms(life_ms);
                _exit(0);
            }
            _exit(0);
        }
        if (parent > 0)
            waitpid(parent, nullptr, 0);
    }
}

// A helper that outlives the app: double-forked, so it is an orphan as soon as
// the app exits, and it needs `delay_ms` after SIGTERM to flush its work.
void start_slow_helper(long delay_ms, const char* marker) {
    pid_t first = fork();
    if (first != 0) {
        if (first > 0)
            waitpid(first, nullptr, 0);
        return;
    }
    if (fork() != 0)
        _exit(0);
    struct sigaction action {};
    action.sa_handler = on_term;
    sigaction(SIGTERM, &action, nullptr);
    while (!term_received) pause();
    sleep_ms(delay_ms);
    if (marker)
        write_file(marker, "done\n");
    _exit(0);
}

// The answer to one request: a redirect, 503 while `unhealthy_file` exists,
// else 200 with "ok\n" or the content of `body_file` while that exists.
void answer(int connection, const char* request, const char* unhealthy_file,
            const char* body_file) {
    char response[512];
    struct stat info;
    if (strncmp(request, "GET /redirect ", 14) == 0) {
        strcpy(response,
               "HTTP/1.1 302 Found\r\nLocation: /healthz\r\nContent-Length: 0\r\n"
               "Connection: close\r\n\r\n");
    } else if (unhealthy_file && stat(unhealthy_file, &info) == 0) {
        strcpy(response,
               "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 5\r\n"
               "Connection: close\r\n\r\nsick\n");
    } else {
        char body[257] = "ok\n";
        int fd = body_file ? open(body_file, O_RDONLY | O_CLOEXEC) : -1;
        if (fd >= 0) {
            ssize_t length = read(fd, body, sizeof body - 1);
            body[length > 0 ? length : 0] = '\0';
            close(fd);
        }
        snprintf(response, sizeof response,
                 "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n%s",
                 strlen(body), body);
    }
    ssize_t ignored = write(connection, response, strlen(response));
    (void)ignored;
}

// A minimal HTTP responder for health checks.
void serve_forever(int port, const char* unhealthy_file, const char* body_file, bool silent) {
    int listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int yes = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) < 0 ||
        listen(listener, 16) < 0) {
        perror("testapp: listen");
        _exit(3);
    }
    while (!term_received) {
        pollfd ready{listener, POLLIN, 0};
        if (poll(&ready, 1, 100) <= 0)
            continue;
        int connection = accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
        if (connection < 0)
            continue;
        char request[2048];
        ssize_t length = read(connection, request, sizeof request - 1);
        request[length > 0 ? length : 0] = '\0';
        if (silent)
            continue;  // the connection stays open, unanswered, for ever
        answer(connection, request, unhealthy_file, body_file);
        close(connection);
    }
}

}  // namespace

int main(int argc, char** argv) {
    const char* ready_file = nullptr;
    const char* marker = nullptr;
    long term_delay_ms = -1;
    long sleep_for_ms = -1;
    long orphan_life_ms = 0;
    int exit_code = 0;
    int serve_port = 0;
    const char* unhealthy_file = nullptr;
    const char* body_file = nullptr;
    bool silent = false;
    const char* recorder_on_term = nullptr;

    // By default the app exits 0 on SIGTERM, as a well-behaved service does.
    struct sigaction on_term_action {};
    on_term_action.sa_handler = on_term;
    sigaction(SIGTERM, &on_term_action, nullptr);

    for (int i = 1; i < argc; ++i) {
        const char* flag = argv[i];
        const char* value = i + 1 < argc ? argv[i + 1] : "";
        auto is = [&](const char* name) { return strcmp(flag, name) == 0; };
        if (is("--ignore-term")) {
            signal(SIGTERM, SIG_IGN);
            continue;
        }
        if (is("--silent")) {
            silent = true;
            continue;
        }
        if (is("--exec-stderr-to") && i + 2 < argc) {
            // Read-write: opening a FIFO for writing alone would wait for a reader.
            int log = open(value, O_RDWR);
            if (log < 0 || dup2(log, STDERR_FILENO) < 0) {
                perror("testapp: --exec-stderr-to");
                return 66;
            }
            execv(argv[i + 2], argv + i + 2);
            perror("testapp: exec");
            return 67;
        }
        ++i;
        if (is("--record")) {
            record_signals_to(value);
        } else if (is("--ready")) {
            ready_file = value;
        } else if (is("--pid-file")) {
            char text[24];
            snprintf(text, sizeof text, "%d\n", getpid());
            write_file(value, text);
        } else if (is("--term-delay")) {
            term_delay_ms = atol(value);
            struct sigaction action {};
            action.sa_handler = on_term;
            sigaction(SIGTERM, &action, nullptr);
        } else if (is("--marker")) {
            marker = value;
        } else if (is("--exit")) {
            exit_code = atoi(value);
            if (sleep_for_ms < 0)
                sleep_for_ms = 0;
        } else if (is("--sleep")) {
            sleep_for_ms = atol(value);
        } else if (is("--kill-self")) {
            signal(atoi(value), SIG_DFL);
            raise(atoi(value));
        } else if (is("--orphan-life")) {
            orphan_life_ms = atol(value);
        } else if (is("--orphans")) {
            make_orphans(atol(value), orphan_life_ms);
        } else if (is("--fork-recorder")) {
            int ready[2];
            if (pipe(ready) < 0)
                return 65;
            if (fork() == 0) {
                record_signals_to(value);
                tell_ready(ready);
                for (;;) pause();
            }
            await_ready(ready);
        } else if (is("--daemon-recorder")) {
            int ready[2];
            if (pipe(ready) < 0)
                return 65;
            pid_t first = fork();
            if (first == 0) {
                setsid();
                if (fork() == 0) {
                    record_signals_to(value);
                    tell_ready(ready);
                    while (!term_received) pause();
                    _exit(0);
                }
                _exit(0);
            }
            if (first > 0)
                waitpid(first, nullptr, 0);
            await_ready(ready);
        } else if (is("--recorder-on-term")) {
            recorder_on_term = value;
        } else if (is("--daemon-term-delay")) {
            start_slow_helper(atol(value), marker);
        } else if (is("--serve")) {
            serve_port = atoi(value);
        } else if (is("--unhealthy-file")) {
            unhealthy_file = value;
        } else if (is("--body-file")) {
            body_file = value;
        } else {
            fprintf(stderr, "testapp: unknown flag %s\n", flag);
            return 64;
        }
    }

    if (ready_file)
        write_file(ready_file, "ready\n");
    if (serve_port)
        serve_forever(serve_port, unhealthy_file, body_file, silent);

    if (sleep_for_ms >= 0) {
        sleep_ms(sleep_for_ms);
        return exit_code;
    }
    while (!term_received) pause();
    if (recorder_on_term)
        start_recorder_now(recorder_on_term);
    if (term_delay_ms > 0)
        sleep_ms(term_delay_ms);
    if (marker)
        write_file(marker, "done\n");
    return 0;
}
