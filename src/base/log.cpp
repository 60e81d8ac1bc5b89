#include "base/log.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>

#include "base/civil_time.h"
#include "base/clock.h"
#include "base/escape.h"
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

// Said inside the string (or after the value) where a line was cut.
constexpr char truncation_marker[] = "...(truncated)";
constexpr size_t truncation_marker_length = sizeof truncation_marker - 1;

// Appends to a fixed buffer, always leaving room for a final newline. What
// comes from outside goes through add_escaped, which keeps room for what the
// line still has to say (`reserve`: the fields after it, closing quotes and
// the brace) and cuts with the marker when the rest does not fit.
class LineBuilder {
  public:
    LineBuilder(char* buffer, size_t size) : buffer_(buffer), end_(size - 1) {}

    // vigil's own text, whose room was reserved.
    void add(const char* text) { add(text, std::strlen(text)); }
    void add(const char* text, size_t length) {
        for (size_t i = 0; i < length && length_ < end_; ++i) buffer_[length_++] = text[i];
    }
    void add_number(long long value) {
        char digits[24];
        add(digits, static_cast<size_t>(format_into(digits, sizeof digits, "%lld", value)));
    }
    void add_escaped(std::string_view text, EscapeForm form, size_t reserve) {
        size_t limit = end_ > reserve ? end_ - reserve : 0;
        size_t room = limit > length_ + truncation_marker_length
                          ? limit - length_ - truncation_marker_length
                          : 0;
        size_t written = 0;
        size_t used = escape_some(text, form, buffer_ + length_, room, written);
        length_ += written;
        if (used == text.size())
            return;
        // Near the end: the rest if it fits in the marker's room, else the marker.
        text.remove_prefix(used);
        room = limit > length_ ? limit - length_ : 0;
        if (escape_some(text, form, buffer_ + length_, room, written) == text.size())
            length_ += written;
        else
            add(truncation_marker, truncation_marker_length);
    }
    size_t finish() {
        buffer_[length_++] = '\n';
        return length_;
    }

  private:
    char* buffer_;
    size_t end_;
    size_t length_ = 0;
};

size_t number_length(long long value) {
    size_t length = value < 0 ? 2 : 1;
    for (; value <= -10 || value >= 10; value /= 10) ++length;
    return length;
}

// A text value is written bare when it is printable ASCII without a space,
// '=', quote or backslash; anything else is quoted (and escaped as needed).
bool is_bare(std::string_view value) {
    for (char c : value)
        if (!is_plain_ascii(c) || c == ' ' || c == '=')
            return false;
    return !value.empty();
}

// The least room a field needs: its key, its number, or quotes around a
// string value that may be cut to the marker.
size_t least_room(const LogField& field, bool json) {
    return std::strlen(field.key) + (json ? 4 : 2) +
           (field.text ? 2 + truncation_marker_length : number_length(field.number));
}

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
    bool json = format == LogFormat::json;
    if (json) {
        CivilTime utc = civil_time_from_unix(now.tv_sec);
        char timestamp[64];
        format_into(timestamp, sizeof timestamp, "%04lld-%02d-%02dT%02d:%02d:%02d.%03ldZ",
                    static_cast<long long>(utc.year), utc.month, utc.day, utc.hour, utc.minute,
                    utc.second, now.tv_nsec / 1000000);
        line.add("{\"ts\":\"");
        line.add(timestamp);
        line.add("\",\"level\":\"");
        line.add(level_name(level));
        line.add("\",\"msg\":\"");
    } else {
        line.add("vigil: ");
        if (level == LogLevel::error || level == LogLevel::warn) {
            line.add(level_name(level));
            line.add(": ");
        }
    }
    // Every string is closed and a JSON line's brace written, whatever the
    // inputs: a value that does not fit is cut inside its string, which says
    // so, and the fields after it keep their room (`reserve`).
    size_t reserve = json ? 1 : 0;
    for (const LogField& field : fields) reserve += least_room(field, json);
    line.add_escaped(message, json ? EscapeForm::json : EscapeForm::line, reserve + (json ? 1 : 0));
    if (json)
        line.add("\"");
    for (const LogField& field : fields) {
        reserve -= least_room(field, json);
        line.add(json ? ",\"" : " ");
        line.add(field.key);
        line.add(json ? "\":" : "=");
        if (!field.text) {
            line.add_number(field.number);
            continue;
        }
        // A bare value is the same in every form.
        bool quoted = json || !is_bare(field.text);
        if (quoted)
            line.add("\"");
        line.add_escaped(field.text, json ? EscapeForm::json : EscapeForm::quoted,
                         reserve + (quoted ? 1 : 0));
        if (quoted)
            line.add("\"");
    }
    if (json)
        line.add("}");
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
