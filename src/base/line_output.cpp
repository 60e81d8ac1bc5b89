#include "base/line_output.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "base/format.h"

namespace vigil {

void LineOutput::open(int fd) {
    fd_ = fd;
    kind_ = Kind::plain;
    // What the descriptor is, asked without fstat(), whose code in musl is
    // 550 bytes: a socket answers SO_TYPE; a pipe, FIFO or terminal cannot
    // seek (ESPIPE). What can seek (a regular file, /dev/null) never makes a
    // write wait; a closed descriptor's writes fail and are counted.
    int type = 0;
    socklen_t type_length = sizeof type;
    if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &type_length) == 0) {
        kind_ = Kind::socket;
        return;
    }
    if (lseek(fd, 0, SEEK_CUR) >= 0 || errno != ESPIPE)
        return;
    char path[32];
    format_into(path, sizeof path, "/proc/self/fd/%d", fd);
    // openat(): musl's open() adds a fallback for kernels without O_CLOEXEC.
    int own = openat(AT_FDCWD, path, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (own >= 0) {
        fd_ = own;
        kind_ = Kind::own_nonblocking;
        return;
    }
    // No /proc, or a pipe whose reader is gone (ENXIO): look before writing.
    kind_ = Kind::poll_first;
}

bool LineOutput::wait_for_room(int wait_ms) const {
    pollfd ready{fd_, POLLOUT, 0};
    int count;
    do {
        count = poll(&ready, 1, wait_ms);
    } while (count < 0 && errno == EINTR);
    return count > 0 && (ready.revents & POLLOUT);
}

long LineOutput::write_some(const char* data, size_t length) const {
    for (;;) {
        long written = kind_ == Kind::socket ? send(fd_, data, length, MSG_DONTWAIT | MSG_NOSIGNAL)
                                             : write(fd_, data, length);
        if (written >= 0 || errno != EINTR)
            return written;
    }
}

bool LineOutput::write_line(const char* line, size_t length, int wait_ms) {
    if (kind_ == Kind::poll_first && !wait_for_room(wait_ms)) {
        ++dropped_;
        return false;
    }
    size_t done = 0;
    bool waited = false;
    while (done < length) {
        long written = write_some(line + done, length - done);
        if (written > 0) {
            done += static_cast<size_t>(written);
            continue;
        }
        // EAGAIN with nothing written: no room now. A terminal or socket may
        // also take part of a line; the rest gets one wait at most.
        bool again = written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
        int wait = done > 0 && wait_ms == 0 ? 10 : wait_ms;
        if (!again || waited || wait == 0 || !wait_for_room(wait)) {
            ++dropped_;
            return false;
        }
        waited = true;
    }
    return true;
}

}  // namespace vigil
