#include "base/error_text.h"

#include <cerrno>

#include "base/format.h"

namespace vigil {
namespace {

// One string: each entry is the errno as a byte, then its text, then a NUL.
// The texts are musl's (src/errno/__strerror.h), which glibc mostly shares.
constexpr char texts[] =
    "\x01Operation not permitted\0"
    "\x02No such file or directory\0"
    "\x03No such process\0"
    "\x04Interrupted system call\0"
    "\x05I/O error\0"
    "\x07"
    "Argument list too long\0"
    "\x08"
    "Exec format error\0"
    "\x09"
    "Bad file descriptor\0"
    "\x0b"
    "Resource temporarily unavailable\0"
    "\x0c"
    "Out of memory\0"
    "\x0d"
    "Permission denied\0"
    "\x11"
    "File exists\0"
    "\x14"
    "Not a directory\0"
    "\x15"
    "Is a directory\0"
    "\x16"
    "Invalid argument\0"
    "\x17"
    "Too many open files in system\0"
    "\x18"
    "No file descriptors available\0"
    "\x19"
    "Not a tty\0"
    "\x1a"
    "Text file busy\0"
    "\x1c"
    "No space left on device\0"
    "\x1e"
    "Read-only file system\0"
    "\x20"
    "Broken pipe\0"
    "\x24"
    "Filename too long\0"
    "\x28"
    "Symbolic link loop\0"
    "\x58"
    "Not a socket\0"
    "\x61"
    "Address family not supported by protocol\0"
    "\x63"
    "Address not available\0"
    "\x65"
    "Network unreachable\0"
    "\x68"
    "Connection reset by peer\0"
    "\x6e"
    "Operation timed out\0"
    "\x6f"
    "Connection refused\0"
    "\x71"
    "Host is unreachable\0";
static_assert(ENOENT == 2 && EACCES == 13 && ELOOP == 40 && ECONNREFUSED == 111 &&
                  EHOSTUNREACH == 113 && EAFNOSUPPORT == 97,
              "the table's numbers are Linux's generic errnos");

}  // namespace

const char* error_text(int error) {
    for (const char* entry = texts; *entry;) {
        const char* text = entry + 1;
        if (static_cast<unsigned char>(*entry) == error)
            return text;
        while (*text) ++text;
        entry = text + 1;
    }
    static char unknown[24];  // one message at a time: vigil is single-threaded
    format_into(unknown, sizeof unknown, "error %d", error);
    return unknown;
}

}  // namespace vigil
