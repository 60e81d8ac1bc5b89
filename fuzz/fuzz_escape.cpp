// Fuzzes base/escape.h and the formatter that uses it for one-line
// messages. For any bytes, in every form: the escaped text is safe to print
// (valid UTF-8, no control of any kind) and loses nothing (reading the
// escapes back gives the bytes again); the JSON form is a valid JSON string;
// and text cut to fit a buffer (escape_some, vformat_one_line)
// is a prefix of the whole that ends between escapes.
#include <algorithm>
#include <cstdarg>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/escape.h"
#include "base/format.h"
#include "fuzz_check.h"

using vigil::EscapeForm;
using vigil_fuzz::check;

namespace {

int hex_digit(char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

void append_utf8(std::string& out, uint32_t code_point) {
    if (code_point < 0x80) {
        out += static_cast<char>(code_point);
    } else if (code_point < 0x800) {
        out += static_cast<char>(0xc0 | code_point >> 6);
        out += static_cast<char>(0x80 | (code_point & 0x3f));
    } else {
        out += static_cast<char>(0xe0 | code_point >> 12);
        out += static_cast<char>(0x80 | (code_point >> 6 & 0x3f));
        out += static_cast<char>(0x80 | (code_point & 0x3f));
    }
}

// Reads the escapes of `form` back into bytes; aborts on anything the policy
// never writes.
std::string unescape(std::string_view text, EscapeForm form) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '\\') {
            check(text[i] != '"' || form == EscapeForm::line);
            out += text[i];
            continue;
        }
        check(i + 1 < text.size());
        char kind = text[++i];
        auto hex = [&](size_t digits) {
            uint32_t value = 0;
            for (size_t k = 0; k < digits; ++k) {
                check(i + 1 < text.size());
                int digit = hex_digit(text[++i]);
                check(digit >= 0);
                value = value << 4 | static_cast<uint32_t>(digit);
            }
            return value;
        };
        if (kind == 'n' || kind == 'r' || kind == 't') {
            out += kind == 'n' ? '\n' : kind == 'r' ? '\r' : '\t';
        } else if (kind == '"') {
            check(form != EscapeForm::line);
            out += '"';
        } else if (kind == 'x' && form != EscapeForm::json) {
            out += static_cast<char>(hex(2));
        } else if (kind == 'u') {
            append_utf8(out, hex(4));
        } else if (kind == '\\' && form == EscapeForm::json && i + 1 < text.size() &&
                   text[i + 1] == 'x') {
            ++i;  // "\\xNN": a byte that is not UTF-8
            out += static_cast<char>(hex(2));
        } else {
            check(kind == '\\');
            out += '\\';
        }
    }
    return out;
}

std::string one_line(size_t size, const char* format, ...) __attribute__((format(printf, 2, 3)));
std::string one_line(size_t size, const char* format, ...) {
    std::vector<char> buffer(size);
    va_list arguments;
    va_start(arguments, format);
    vigil::vformat_one_line(buffer.data(), size, format, arguments);
    va_end(arguments);
    return buffer.data();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1)
        return 0;
    size_t room = 1 + data[0];
    std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
    for (EscapeForm form : {EscapeForm::line, EscapeForm::quoted, EscapeForm::json}) {
        std::string whole;
        std::vector<size_t> boundaries{0};
        for (std::string_view rest = input; !rest.empty();) {
            vigil::EscapedCharacter escaped = vigil::escape_character(rest, form);
            check(escaped.consumed >= 1 && escaped.consumed <= 4 &&
                  escaped.consumed <= rest.size());
            check(escaped.length >= 1 && escaped.length <= vigil::max_escaped_length);
            whole.append(escaped.text, escaped.length);
            boundaries.push_back(whole.size());
            rest.remove_prefix(escaped.consumed);
        }
        size_t written = 0;
        std::string again(whole.size(), '#');
        check(vigil::escape_some(input, form, again.data(), again.size(), written) ==
                  input.size() &&
              again == whole && written == whole.size());
        check(vigil_fuzz::is_safe_line(whole));
        // In JSON, "\\xNN" for a byte that is not UTF-8 reads like a
        // backslash before "xNN": the one ambiguity, documented.
        if (form != EscapeForm::json || input.find('\\') == std::string_view::npos)
            check(unescape(whole, form) == input);
        if (form == EscapeForm::json)
            check(vigil_test::is_strict_json("\"" + whole + "\""));

        std::string cut(room, '#');
        size_t used = vigil::escape_some(input, form, cut.data(), room, written);
        check(written <= room && whole.compare(0, written, cut, 0, written) == 0);
        check(std::find(boundaries.begin(), boundaries.end(), written) != boundaries.end());
        check(used <= input.size() && (used == input.size()) == (written == whole.size()));
    }
    // The one-line formatter: the format as it is, the argument escaped,
    // cut between escapes. Its argument stops at a NUL, as %.*s does.
    std::string_view argument = input.substr(0, input.find('\0'));
    std::string whole =
        one_line(4096, "<%.*s>", static_cast<int>(argument.size()), argument.data());
    check(whole.size() >= 2 && whole.front() == '<' && whole.back() == '>');
    std::string inside = whole.substr(1, whole.size() - 2);
    check(unescape(inside, EscapeForm::line) == argument);
    std::string cut = one_line(room, "<%.*s>", static_cast<int>(argument.size()), argument.data());
    check(cut.size() < room && whole.compare(0, cut.size(), cut) == 0);
    if (cut.size() > 1 && cut.size() < whole.size()) {
        size_t kept = cut.size() - 1;  // the cut falls after one of its escapes
        size_t at = 0;
        for (std::string_view rest = argument; at < kept && !rest.empty();) {
            vigil::EscapedCharacter piece = vigil::escape_character(rest, EscapeForm::line);
            at += piece.length;
            rest.remove_prefix(piece.consumed);
        }
        check(at == kept);
    }
    return 0;
}
