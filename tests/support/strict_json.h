// A strict checker of JSON text (RFC 8259) and UTF-8 (RFC 3629), and of
// lines safe to print, for the tests and the fuzz targets: what a careful
// parser accepts and nothing more. No raw control characters in strings, no lone
// surrogates, no trailing commas, no leading zeros, one value per text.
// Plain C++ without GoogleTest, so that the fuzz build can use it too.
#pragma once

#include <string_view>

namespace vigil_test {

// True when `text` is well-formed UTF-8 (shortest forms, no surrogates, at
// most U+10FFFF).
bool is_valid_utf8(std::string_view text);

// True when `text` is exactly one JSON value, optionally surrounded by
// whitespace, and valid UTF-8.
bool is_strict_json(std::string_view text);

// True when `text` is safe to print as one line (base/escape.h's promise):
// valid UTF-8 without a C0 control or DEL, a C1 control, a line separator
// or a bidirectional control. Written apart from src/, as a test's oracle.
bool is_safe_line(std::string_view text);

}  // namespace vigil_test
