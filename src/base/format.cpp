#include "base/format.h"

#include <cstdint>
#include <cstring>

namespace vigil {
namespace {

// Writes into the buffer while there is room and counts everything.
class Output {
  public:
    Output(char* buffer, size_t size) : buffer_(buffer), size_(size) {}
    void put(char c) {
        if (size_ > 0 && length_ < size_ - 1)
            buffer_[length_] = c;
        ++length_;
    }
    void put_repeated(char c, size_t count) {
        while (count-- > 0) put(c);
    }
    int finish() {
        if (size_ > 0)
            buffer_[length_ < size_ - 1 ? length_ : size_ - 1] = '\0';
        return static_cast<int>(length_);
    }

  private:
    char* buffer_;
    size_t size_;
    size_t length_ = 0;
};

struct Spec {
    bool left = false;
    bool zero = false;
    size_t width = 0;
    int precision = -1;  // strings only; -1: none
};

void put_padded(Output& out, const Spec& spec, const char* text, size_t length) {
    size_t padding = spec.width > length ? spec.width - length : 0;
    if (!spec.left)
        out.put_repeated(spec.zero ? '0' : ' ', padding);
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
    put_padded(out, spec, text, length);
}

}  // namespace

int vformat_into(char* buffer, size_t size, const char* format, va_list arguments) {
    Output out(buffer, size);
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
                put_padded(out, spec, &c, 1);
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
                put_padded(out, spec, text, length);
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

void vformat_one_line(char* buffer, size_t size, const char* format, va_list arguments) {
    char raw[512];
    vformat_into(raw, sizeof raw, format, arguments);
    Output out(buffer, size);
    for (const char* cursor = raw; *cursor; ++cursor) {
        unsigned char c = static_cast<unsigned char>(*cursor);
        if (c >= 0x20 && c != 0x7f) {
            out.put(*cursor);
            continue;
        }
        out.put('\\');
        if (c == '\r' || c == '\n' || c == '\t') {
            out.put(c == '\r' ? 'r' : c == '\n' ? 'n' : 't');
        } else {
            const char* hex = "0123456789abcdef";
            out.put('x');
            out.put(hex[c >> 4]);
            out.put(hex[c & 15]);
        }
    }
    out.finish();
}

int format_into(char* buffer, size_t size, const char* format, ...) {
    va_list arguments;
    va_start(arguments, format);
    int length = vformat_into(buffer, size, format, arguments);
    va_end(arguments);
    return length;
}

}  // namespace vigil
