#include "base/log.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/civil_time.h"
#include "base/clock.h"
#include "base/format.h"
#include "base/line_output.h"

namespace vigil {
namespace {

LogFormat current_format = LogFormat::text;
int current_verbosity = 0;
LineOutput output;
bool output_open = false;

const char* level_name(LogLevel level) {
    switch (level) {
        case LogLevel::error:
            return "error";
        case LogLevel::warn:
            return "warn";
        case LogLevel::info:
            return "info";
        case LogLevel::debug:
            return "debug";
    }
    return "info";
}

// Appends to a fixed buffer, always leaving room for a final newline.
class LineBuilder {
  public:
    LineBuilder(char* buffer, size_t size) : buffer_(buffer), capacity_(size - 1) {}

    void add(const char* text) {
        while (*text) add_char(*text++);
    }
    void add_char(char c) {
        if (length_ < capacity_)
            buffer_[length_++] = c;
    }
    void add_number(long long value) {
        char digits[24];
        format_into(digits, sizeof digits, "%lld", value);
        add(digits);
    }
    void add_json_string(const char* text) {
        add_char('"');
        for (; *text; ++text) {
            unsigned char c = static_cast<unsigned char>(*text);
            if (c == '"' || c == '\\') {
                add_char('\\');
                add_char(static_cast<char>(c));
            } else if (c == '\n') {
                add("\\n");
            } else if (c < 0x20) {
                char escaped[8];
                format_into(escaped, sizeof escaped, "\\u%04x", c);
                add(escaped);
            } else {
                add_char(static_cast<char>(c));
            }
        }
        add_char('"');
    }
    size_t finish() {
        buffer_[length_++] = '\n';
        return length_;
    }

  private:
    char* buffer_;
    size_t capacity_;
    size_t length_ = 0;
};

}  // namespace

void log_configure(LogFormat format, int verbosity) {
    current_format = format;
    current_verbosity = verbosity;
    if (!output_open)
        output.open(STDERR_FILENO);
    output_open = true;
}

bool log_enabled(LogLevel level) {
    return static_cast<int>(level) <= static_cast<int>(LogLevel::warn) + current_verbosity;
}

size_t format_log_line(char* buffer, size_t size, LogFormat format, LogLevel level,
                       const timespec& now, const char* message, std::span<const LogField> fields) {
    LineBuilder line(buffer, size);
    if (format == LogFormat::text) {
        line.add("vigil: ");
        if (level == LogLevel::error || level == LogLevel::warn) {
            line.add(level_name(level));
            line.add(": ");
        }
        line.add(message);
        for (const LogField& field : fields) {
            line.add_char(' ');
            line.add(field.key);
            line.add_char('=');
            if (field.text && std::strchr(field.text, ' ')) {
                line.add_char('"');
                line.add(field.text);
                line.add_char('"');
            } else if (field.text) {
                line.add(field.text);
            } else {
                line.add_number(field.number);
            }
        }
        return line.finish();
    }

    CivilTime utc = civil_time_from_unix(now.tv_sec);
    char timestamp[64];
    format_into(timestamp, sizeof timestamp, "%04lld-%02d-%02dT%02d:%02d:%02d.%03ldZ",
                static_cast<long long>(utc.year), utc.month, utc.day, utc.hour, utc.minute,
                utc.second, now.tv_nsec / 1000000);
    line.add("{\"ts\":\"");
    line.add(timestamp);
    line.add("\",\"level\":\"");
    line.add(level_name(level));
    line.add("\",\"msg\":");
    line.add_json_string(message);
    for (const LogField& field : fields) {
        line.add_char(',');
        line.add_json_string(field.key);
        line.add_char(':');
        if (field.text)
            line.add_json_string(field.text);
        else
            line.add_number(field.number);
    }
    // Truncation may have cut the object; a closing brace is always written
    // so each line stays one object as long as the message fits.
    line.add_char('}');
    return line.finish();
}

void log_message(LogLevel level, const char* message, std::initializer_list<LogField> fields) {
    if (!log_enabled(level))
        return;
    if (!output_open)
        log_configure(current_format, current_verbosity);
    timespec now{};
    if (current_format == LogFormat::json)
        read_clock(CLOCK_REALTIME, now);
    char buffer[1024];
    // Lines dropped while stderr could not be written are counted; the first
    // line that can be written again is preceded by how many.
    if (uint64_t dropped = output.dropped()) {
        LogField count("count", static_cast<long long>(dropped));
        size_t length = format_log_line(buffer, sizeof buffer, current_format, LogLevel::warn, now,
                                        "dropped log lines: standard error was not writable",
                                        std::span<const LogField>(&count, 1));
        if (!output.write_line(buffer, length))
            return;  // still full: this line is one more dropped
        output.reset_dropped();
    }
    size_t length = format_log_line(buffer, sizeof buffer, current_format, level, now, message,
                                    std::span<const LogField>(fields.begin(), fields.size()));
    output.write_line(buffer, length);
}

bool write_all(int fd, const char* data, size_t length) {
    while (length > 0) {
        ssize_t written = write(fd, data, length);
        if (written < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        data += written;
        length -= static_cast<size_t>(written);
    }
    return true;
}

}  // namespace vigil
