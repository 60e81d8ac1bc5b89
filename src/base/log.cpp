#include "base/log.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>

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
        while (!text.empty()) {
            EscapedCharacter escaped = escape_character(text, form);
            if (length_ + escaped.length + truncation_marker_length > limit &&
                length_ + escaped_length(text, form) > limit)
                return add(truncation_marker, truncation_marker_length);
            add(escaped.text, escaped.length);
            text.remove_prefix(escaped.consumed);
        }
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
    return static_cast<size_t>(format_into(nullptr, 0, "%lld", value));
}

// A text value is written bare when it needs neither quotes nor escapes.
bool is_bare(std::string_view value) {
    return !value.empty() && value.find_first_of(" =") == std::string_view::npos &&
           escaped_length(value, EscapeForm::quoted) == value.size();
}

// The least room the fields from `first` on need: keys, numbers, and quotes
// around a string value that may be cut to the marker; and JSON's brace.
size_t reserve_for(std::span<const LogField> fields, size_t first, bool json) {
    size_t reserve = json ? 1 : 0;
    for (const LogField& field : fields.subspan(first))
        reserve += std::strlen(field.key) + (json ? 4 : 2) +
                   (field.text ? 2 + truncation_marker_length : number_length(field.number));
    return reserve;
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
        tm utc;
        time_t seconds = now.tv_sec;
        gmtime_r(&seconds, &utc);
        char timestamp[64];
        format_into(timestamp, sizeof timestamp, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ",
                    utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min,
                    utc.tm_sec, now.tv_nsec / 1000000);
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
    // so, and the fields after it keep their room.
    line.add_escaped(message, json ? EscapeForm::json : EscapeForm::line,
                     (json ? 1 : 0) + reserve_for(fields, 0, json));
    if (json)
        line.add("\"");
    for (size_t i = 0; i < fields.size(); ++i) {
        const LogField& field = fields[i];
        line.add(json ? ",\"" : " ");
        line.add(field.key);
        line.add(json ? "\":" : "=");
        if (!field.text) {
            line.add_number(field.number);
            continue;
        }
        bool quoted = json || !is_bare(field.text);
        if (quoted)
            line.add("\"");
        line.add_escaped(field.text,
                         json     ? EscapeForm::json
                         : quoted ? EscapeForm::quoted
                                  : EscapeForm::line,
                         (quoted ? 1 : 0) + reserve_for(fields, i + 1, json));
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
        clock_gettime(CLOCK_REALTIME, &now);
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
