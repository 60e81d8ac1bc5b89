// vigil's own messages, on stderr only (stdout belongs to the application).
//
// Two formats: text ("vigil: child exited pid=42 status=3") for people, and
// JSON (one object per line with ts, level, msg and the fields) for log
// pipelines. Lines are formatted into a stack buffer and written with one
// write(2), so they never interleave and never allocate; a line that stderr
// cannot take at once is dropped and counted, never waited for
// (line_output.h), and the next line that gets through is preceded by
// "dropped log lines ... count=N".
//
// Whatever the values hold, one event is one line (base/escape.h): a text
// value is written bare when it is printable ASCII without a space, '=',
// quote or backslash, else between double quotes and escaped
// (program="/no/such\nvigil: forged"); a JSON line is valid JSON and
// valid UTF-8 and ends with '}'. A line that does not fit is cut inside a
// value, which ends with "...(truncated)"; the fields after it keep their
// keys and numbers.
#pragma once

#include <cstddef>
#include <ctime>
#include <initializer_list>
#include <span>

namespace vigil {

enum class LogLevel { error = 0, warn = 1, info = 2, debug = 3 };
enum class LogFormat { text, json };

// A key (vigil's own name for the field, written as it is) and either a
// number or a string value (escaped).
struct LogField {
    LogField(const char* key_, long long number_) : key(key_), number(number_) {}
    LogField(const char* key_, int number_) : key(key_), number(number_) {}
    LogField(const char* key_, const char* text_) : key(key_), text(text_) {}
    const char* key;
    long long number = 0;
    const char* text = nullptr;  // set: a string field; null: a number field
};

// Process-wide settings, set once from the command line (and stderr prepared
// for writing). Verbosity 0 prints warnings and errors, 1 adds info, 2 and
// more add debug.
void log_configure(LogFormat format, int verbosity);
bool log_enabled(LogLevel level);

void log_message(LogLevel level, const char* message, std::initializer_list<LogField> fields = {});

// Formats one line (with its newline) into `buffer`, truncating safely, and
// returns its length. `size` must leave room for the keys and numbers (256
// bytes is plenty; log_message uses 1 KiB). Exposed for tests.
size_t format_log_line(char* buffer, size_t size, LogFormat format, LogLevel level,
                       const timespec& now, const char* message, std::span<const LogField> fields);

// Writes all of `length` bytes of `data` to `fd`, retrying on EINTR and short
// writes. Returns false on error.
bool write_all(int fd, const char* data, size_t length);

}  // namespace vigil
