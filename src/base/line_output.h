// Writing whole lines to a descriptor that vigil shares with the application
// (its stderr, the probe's stdout) without ever waiting for it. PID 1 must not
// stop reaping and forwarding because a log driver or log shipper stopped
// reading: a line that cannot be written now is dropped and counted instead.
//
// The descriptor's open file description is the application's too, so
// O_NONBLOCK is never set on it (the application would see EAGAIN). Instead:
//   - a pipe, FIFO or terminal is opened again through /proc/self/fd/N, which
//     gives vigil a description of its own on the same pipe or terminal, and
//     that one is non-blocking (O_NOCTTY: a terminal never becomes vigil's);
//   - a socket is written with send(MSG_DONTWAIT);
//   - without /proc, a pipe or terminal is polled for room before each write
//     (a line of at most PIPE_BUF bytes then fits, unless the application
//     fills the pipe in between: the one case that can still block);
//   - a regular file, or anything else, is written as it is.
// Lines of at most PIPE_BUF (4096) bytes go into a pipe whole or not at all
// (pipe(7)), so dropped lines never leave half a line behind.
#pragma once

#include <cstddef>
#include <cstdint>

namespace vigil {

class LineOutput {
  public:
    // Prepares to write to `fd`. May open one descriptor of its own
    // (close-on-exec); call once.
    void open(int fd);

    // Writes `line` (its newline included). Waits up to `wait_ms` for room
    // (0: not at all). Returns false, and counts the line as dropped, when it
    // could not be written whole.
    bool write_line(const char* line, size_t length, int wait_ms = 0);

    // Lines dropped since the last reset_dropped().
    uint64_t dropped() const { return dropped_; }
    void reset_dropped() { dropped_ = 0; }

  private:
    enum class Kind { plain, own_nonblocking, socket, poll_first };

    bool wait_for_room(int wait_ms) const;
    long write_some(const char* data, size_t length) const;

    int fd_ = -1;
    Kind kind_ = Kind::plain;
    uint64_t dropped_ = 0;
};

}  // namespace vigil
