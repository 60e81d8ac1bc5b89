#include "base/format.h"

#include <cstdint>
#include <cstring>

#include "base/escape.h"

namespace vigil {
namespace {

// Writes into the buffer while there is room and counts everything. Once
// something did not fit, nothing more is written, so that a cut never falls
// inside an escape.
class Output {
  public:
    Output(char* buffer, size_t size) : buffer_(buffer), size_(size) {}
    void put(char c) {
        if (written_ == length_ && length_ + 1 < size_)
            buffer_[written_++] = c;
        ++length_;
    }
    // Escaped text (base/escape.h's line form): as much as fits, whole
    // escapes only. The count is then no longer exact, which only
    // vformat_one_line, which returns none, needs.
    void put_escaped(std::string_view text) {
        size_t room = written_ == length_ && size_ > written_ ? size_ - 1 - written_ : 0;
        size_t written = 0;
        size_t used = escape_some(text, EscapeForm::line, buffer_ + written_, room, written);
        written_ += written;
        length_ += written + (used < text.size() ? 1 : 0);
    }
    void put_repeated(char c, size_t count) {
        while (count-- > 0) put(c);
    }
    int finish() {
        if (size_ > 0)
            buffer_[written_] = '\0';
        return static_cast<int>(length_);
    }

  private:
    char* buffer_;
    size_t size_;
    size_t length_ = 0;   // of the whole text
    size_t written_ = 0;  // of what is in the buffer
};

struct Spec {
    bool left = false;
    bool zero = false;
    size_t width = 0;
    int precision = -1;  // strings only; -1: none
};

// The width counts the bytes of `text`, before any escaping.
void put_padded(Output& out, const Spec& spec, const char* text, size_t length, bool escape) {
    size_t padding = spec.width > length ? spec.width - length : 0;
    if (!spec.left)
        out.put_repeated(spec.zero ? '0' : ' ', padding);
    if (escape)
        out.put_escaped(std::string_view(text, length));
    else
        for (size_t i = 0; i < length; ++i) out.put(text[i]);
    if (spec.left)
        out.put_repeated(' ', padding);
}

void put_number(Output& out, Spec spec, uint64_t magnitude, bool negative, unsigned base) {
    char digits[24];
    size_t count = 0;
    do {
        unsigned digit = static_cast<unsigned>(magnitude % base);
        digits[count++] = static_cast<char>(digit < 10 ? '0' + digit : 'a' + digit - 10);
        magnitude /= base;
    } while (magnitude > 0);
    char text[25];
    size_t length = 0;
    size_t width = spec.width;
    if (negative) {
        if (spec.zero && !spec.left) {  // the sign goes before the zeros
            out.put('-');
            spec.width = width > 0 ? width - 1 : 0;
        } else {
            text[length++] = '-';
        }
    }
    while (count > 0) text[length++] = digits[--count];
    put_padded(out, spec, text, length, false);
}

// The formatter; with `escape`, the text of %s and %c arguments is written
// in base/escape.h's line form.
int format_to(Output& out, const char* format, va_list arguments, bool escape) {
    for (const char* cursor = format; *cursor; ++cursor) {
        if (*cursor != '%') {
            out.put(*cursor);
            continue;
        }
        const char* start = cursor++;
        Spec spec;
        for (;; ++cursor) {
            if (*cursor == '-')
                spec.left = true;
            else if (*cursor == '0')
                spec.zero = true;
            else
                break;
        }
        while (*cursor >= '0' && *cursor <= '9')
            spec.width = spec.width * 10 + static_cast<size_t>(*cursor++ - '0');
        if (*cursor == '.') {
            ++cursor;
            if (*cursor == '*') {
                spec.precision = va_arg(arguments, int);
                ++cursor;
            } else {
                spec.precision = 0;
                while (*cursor >= '0' && *cursor <= '9')
                    spec.precision = spec.precision * 10 + (*cursor++ - '0');
            }
        }
        int longs = 0;
        bool size_type = false;
        for (;; ++cursor) {
            if (*cursor == 'l')
                ++longs;
            else if (*cursor == 'z')
                size_type = true;
            else
                break;
        }

        switch (*cursor) {
            case '%':
                out.put('%');
                break;
            case 'c': {
                char c = static_cast<char>(va_arg(arguments, int));
                put_padded(out, spec, &c, 1, escape);
                break;
            }
            case 's': {
                const char* text = va_arg(arguments, const char*);
                if (!text)
                    text = "(null)";
                size_t length = spec.precision >= 0
                                    ? strnlen(text, static_cast<size_t>(spec.precision))
                                    : std::strlen(text);
                spec.zero = false;
                put_padded(out, spec, text, length, escape);
                break;
            }
            case 'd':
            case 'i':
            case 'u':
            case 'x': {
                // One va_arg for each width, signed or not: each one is a
                // dozen instructions. An int is widened with its sign.
                bool is_signed = *cursor == 'd' || *cursor == 'i';
                bool wide = size_type   ? sizeof(size_t) == sizeof(long long)
                            : longs > 1 ? true
                            : longs     ? sizeof(long) == sizeof(long long)
                                        : false;
                uint64_t value =
                    wide ? va_arg(arguments, unsigned long long) : va_arg(arguments, unsigned);
                if (is_signed && !wide)
                    value = static_cast<uint64_t>(static_cast<int64_t>(static_cast<int>(value)));
                bool negative = is_signed && static_cast<int64_t>(value) < 0;
                put_number(out, spec, negative ? 0 - value : value, negative,
                           *cursor == 'x' ? 16 : 10);
                break;
            }
            default:  // not in the subset: show the directive itself
                for (const char* c = start; c <= cursor && *c; ++c) out.put(*c);
                if (!*cursor)
                    return out.finish();
                break;
        }
    }
    return out.finish();
}

}  // namespace

int vformat_into(char* buffer, size_t size, const char* format, va_list arguments) {
    Output out(buffer, size);
    return format_to(out, format, arguments, false);
}

void vformat_one_line(char* buffer, size_t size, const char* format, va_list arguments) {
    Output out(buffer, size);
    format_to(out, format, arguments, true);
}

int format_into(char* buffer, size_t size, const char* format, ...) {
    va_list arguments;
    va_start(arguments, format);
    int length = vformat_into(buffer, size, format, arguments);
    va_end(arguments);
    return length;
}

}  // namespace vigil
