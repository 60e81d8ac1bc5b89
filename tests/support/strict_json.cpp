#include "strict_json.h"

#include <cstddef>
#include <cstdint>

namespace vigil_test {
namespace {

class JsonChecker {
  public:
    explicit JsonChecker(std::string_view text) : text_(text) {}

    bool document() {
        skip_space();
        if (!value(0))
            return false;
        skip_space();
        return at_ == text_.size();
    }

  private:
    static constexpr int max_depth = 64;

    bool more() const { return at_ < text_.size(); }
    char peek() const { return more() ? text_[at_] : '\0'; }
    bool take(char c) {
        if (peek() != c || !more())
            return false;
        ++at_;
        return true;
    }
    bool take_word(std::string_view word) {
        if (text_.substr(at_, word.size()) != word)
            return false;
        at_ += word.size();
        return true;
    }
    void skip_space() {
        while (more() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r'))
            ++at_;
    }

    bool value(int depth) {
        if (depth > max_depth)
            return false;
        switch (peek()) {
            case '{':
                return object(depth);
            case '[':
                return array(depth);
            case '"':
                return string();
            case 't':
                return take_word("true");
            case 'f':
                return take_word("false");
            case 'n':
                return take_word("null");
            default:
                return number();
        }
    }

    bool object(int depth) {
        take('{');
        skip_space();
        if (take('}'))
            return true;
        for (;;) {
            skip_space();
            if (!string())
                return false;
            skip_space();
            if (!take(':'))
                return false;
            skip_space();
            if (!value(depth + 1))
                return false;
            skip_space();
            if (take('}'))
                return true;
            if (!take(','))
                return false;
        }
    }

    bool array(int depth) {
        take('[');
        skip_space();
        if (take(']'))
            return true;
        for (;;) {
            skip_space();
            if (!value(depth + 1))
                return false;
            skip_space();
            if (take(']'))
                return true;
            if (!take(','))
                return false;
        }
    }

    bool digits() {
        size_t start = at_;
        while (more() && peek() >= '0' && peek() <= '9') ++at_;
        return at_ > start;
    }

    bool number() {
        take('-');
        if (take('0')) {
            if (more() && peek() >= '0' && peek() <= '9')
                return false;  // a leading zero
        } else if (!digits()) {
            return false;
        }
        if (take('.') && !digits())
            return false;
        if (take('e') || take('E')) {
            if (!take('+'))
                take('-');
            if (!digits())
                return false;
        }
        return true;
    }

    bool hex4(uint32_t& value) {
        value = 0;
        for (int i = 0; i < 4; ++i) {
            char c = peek();
            if (!more())
                return false;
            ++at_;
            uint32_t digit = c >= '0' && c <= '9'   ? static_cast<uint32_t>(c - '0')
                             : c >= 'a' && c <= 'f' ? static_cast<uint32_t>(c - 'a' + 10)
                             : c >= 'A' && c <= 'F' ? static_cast<uint32_t>(c - 'A' + 10)
                                                    : 16;
            if (digit == 16)
                return false;
            value = value << 4 | digit;
        }
        return true;
    }

    bool string() {
        if (!take('"'))
            return false;
        for (;;) {
            if (!more())
                return false;
            unsigned char c = static_cast<unsigned char>(text_[at_++]);
            if (c == '"')
                return true;
            if (c < 0x20)
                return false;  // a raw control character
            if (c != '\\')
                continue;
            char escape = peek();
            if (!more())
                return false;
            ++at_;
            if (escape == 'u') {
                uint32_t unit = 0;
                if (!hex4(unit))
                    return false;
                if (unit >= 0xdc00 && unit <= 0xdfff)
                    return false;  // a lone low surrogate
                if (unit >= 0xd800 && unit <= 0xdbff) {
                    uint32_t low = 0;
                    if (!take('\\') || !take('u') || !hex4(low) || low < 0xdc00 || low > 0xdfff)
                        return false;
                }
            } else if (std::string_view("\"\\/bfnrt").find(escape) == std::string_view::npos) {
                return false;
            }
        }
    }

    std::string_view text_;
    size_t at_ = 0;
};

}  // namespace

bool is_valid_utf8(std::string_view text) {
    for (size_t at = 0; at < text.size();) {
        auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
        unsigned char lead = byte(at);
        size_t length = lead < 0x80                    ? 1
                        : lead >= 0xc2 && lead <= 0xdf ? 2
                        : lead >= 0xe0 && lead <= 0xef ? 3
                        : lead >= 0xf0 && lead <= 0xf4 ? 4
                                                       : 0;
        if (length == 0 || at + length > text.size())
            return false;
        for (size_t i = 1; i < length; ++i) {
            unsigned char next = byte(at + i);
            unsigned char low = 0x80;
            unsigned char high = 0xbf;
            if (i == 1 && lead == 0xe0)
                low = 0xa0;  // overlong
            if (i == 1 && lead == 0xed)
                high = 0x9f;  // surrogates
            if (i == 1 && lead == 0xf0)
                low = 0x90;  // overlong
            if (i == 1 && lead == 0xf4)
                high = 0x8f;  // above U+10FFFF
            if (next < low || next > high)
                return false;
        }
        at += length;
    }
    return true;
}

bool is_strict_json(std::string_view text) {
    return is_valid_utf8(text) && JsonChecker(text).document();
}

bool is_safe_line(std::string_view text) {
    if (!is_valid_utf8(text))
        return false;
    for (size_t i = 0; i < text.size(); ++i) {
        auto at = [&](size_t k) {
            return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0;
        };
        unsigned char c = at(0);
        if (c < 0x20 || c == 0x7f)
            return false;
        if (c == 0xc2 && at(1) < 0xa0)
            return false;  // U+0080 to U+009F
        if (c == 0xe2 && at(1) == 0x80 &&
            (at(2) == 0x8e || at(2) == 0x8f || (at(2) >= 0xa8 && at(2) <= 0xae)))
            return false;  // U+200E, U+200F, U+2028 to U+202E
        if (c == 0xe2 && at(1) == 0x81 && at(2) >= 0xa6 && at(2) <= 0xa9)
            return false;  // U+2066 to U+2069
    }
    return true;
}

}  // namespace vigil_test
