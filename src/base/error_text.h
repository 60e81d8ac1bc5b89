// The reason an errno gives, for vigil's messages: musl's own wording for the
// errors vigil's system calls can meet (starting the program, signals, /proc,
// sockets, DNS, terminals), and "error N" for any other. libc's strerror
// carries a text for every errno there is, some 2 KB that vigil never shows.
#pragma once

namespace vigil {

// A static string; never null.
const char* error_text(int error);

}  // namespace vigil
