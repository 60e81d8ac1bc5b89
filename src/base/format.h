// A small snprintf for vigil's own messages. musl's printf brings its
// floating-point and wide-character formatting along, about 9 KB of a
// binary that wants to stay tiny, and vigil prints no floats. The subset:
//   conversions  %s %c %d %i %u %x %%
//   flags/width  '0' and '-' with a width: %04d, %-8s
//   precision    for strings: %.*s, %.20s
//   length       l, ll, z
// Anything else is a bug in vigil and is printed as is. Same contract as
// snprintf: always NUL-terminated (when size > 0), returns the length the
// whole text would have had. GCC checks the arguments against the format.
#pragma once

#include <cstdarg>
#include <cstddef>

namespace vigil {

int format_into(char* buffer, size_t size, const char* format, ...)
    __attribute__((format(printf, 3, 4)));
int vformat_into(char* buffer, size_t size, const char* format, va_list arguments)
    __attribute__((format(printf, 3, 0)));

// Like vformat_into, but the text of every %s and %c argument is escaped as
// base/escape.h's line form says (a CR or LF in a value the user gave, a C1
// control or a stray byte from a server), so that a message stays one line
// of printable text. The format itself is vigil's own and written as is. A
// cut to fit `size` falls between escapes, never inside one.
void vformat_one_line(char* buffer, size_t size, const char* format, va_list arguments)
    __attribute__((format(printf, 3, 0)));

}  // namespace vigil
