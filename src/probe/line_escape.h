// Text a server chose (a grpc-message, the first bytes of a reply) made safe
// for the probe's one-line summary: no control character (C0, DEL, C1) and
// no invalid UTF-8 may reach a terminal or `docker inspect`. Printable ASCII
// and valid UTF-8 pass as they are; every other byte is written "\xNN", and
// a backslash "\\", so the line stays unambiguous.
//
// Kept small and local to the probe; a shared helper for all of vigil's
// messages is planned in base/.
#pragma once

#include <cstddef>
#include <string_view>

namespace vigil {

// Writes the escaped `text` into `out` (always NUL-terminated when size > 0),
// stopping before a character or escape that would not fit whole, so a cut
// never splits a UTF-8 sequence. Returns the length written.
size_t escape_for_line(std::string_view text, char* out, size_t size);

}  // namespace vigil
