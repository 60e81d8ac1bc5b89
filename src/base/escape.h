// How vigil writes bytes that came from outside it: status lines and header
// excerpts from servers, host names, URLs, headers and durations from the
// command line or the environment, program names, environment values. One
// policy, applied where text leaves vigil (the probe's line, usage errors,
// the text and JSON logs), so that no input can move a terminal's cursor,
// retitle its window, forge a second log line or break a JSON parser.
//
// Passed through as they are:
//   - printable ASCII, U+0020 to U+007E, except the backslash (and the
//     double quote in the quoted and JSON forms);
//   - well-formed UTF-8 (RFC 3629: shortest form, no surrogates, at most
//     U+10FFFF) of every other character, so names and messages in any
//     script stay readable.
// Escaped, visibly:
//   - the C0 controls U+0000 to U+001F and DEL (ECMA-48), written \n, \r, \t
//     or \xNN in the text forms and \n, \r, \t or \u00NN in JSON;
//   - the C1 controls U+0080 to U+009F, which ECMA-48 terminals obey when
//     they arrive as UTF-8 (C2 9B is CSI, C2 9D is OSC): \u0080 to \u009f;
//   - the characters that end a line in Unicode (U+2028, U+2029) or reorder
//     what is shown (the bidirectional marks and overrides U+200E, U+200F,
//     U+202A to U+202E, U+2066 to U+2069): \u2028 and so on;
//   - every byte that is not part of well-formed UTF-8, a lone 0x9B (8-bit
//     CSI) among them: \xNN in the text forms; in JSON, which can hold only
//     Unicode text, the same four characters \xNN (written "\\xNN");
//   - the backslash itself, doubled (\\), so that every escape above is
//     unambiguous in the text forms; in the quoted and JSON forms also the
//     double quote (\").
// An escape is never split: text cut to fit a buffer ends before a whole
// escape or a whole UTF-8 sequence.
#pragma once

#include <cstddef>
#include <string_view>

namespace vigil {

enum class EscapeForm {
    line,    // one line for people: the probe's summary, usage errors, log messages
    quoted,  // the same between double quotes: the text log's quoted values
    json,    // the inside of a JSON string (RFC 8259)
};

// The longest escaped form of one character or byte: "\u2028".
inline constexpr size_t max_escaped_length = 6;

// True for the bytes that every form writes as they are: printable ASCII but
// the backslash and the double quote. A fast path: the common case in every
// line vigil writes.
inline bool is_plain_ascii(char c) {
    return c >= ' ' && c <= '~' && c != '\\' && c != '"';
}

struct EscapedCharacter {
    size_t consumed = 0;  // bytes of the input it stands for: 1 to 4
    size_t length = 0;    // bytes in `text`
    char text[max_escaped_length];
};

// The first character of `input` (not empty), or its first byte when that
// begins no well-formed UTF-8 sequence, in `form`.
EscapedCharacter escape_character(std::string_view input, EscapeForm form);

// Writes `input` in `form` into `out`, at most `room` bytes, as far as whole
// characters and escapes fit: returns how many bytes of `input` that took,
// and sets `written` to the bytes written.
size_t escape_some(std::string_view input, EscapeForm form, char* out, size_t room,
                   size_t& written);

}  // namespace vigil
