// Makes the relocated read-only data of vigil's own binary read-only: the
// pointer tables, the GOT and the init arrays that PT_GNU_RELRO covers.
//
// A dynamic loader does this for every PIE it loads. The release binary is a
// static PIE, and musl's start code for it (rcrt1.o) applies the relocations
// but not this protection: checksec would read "Full RELRO" from the program
// headers while the pages stayed writable. main() calls this first.
#pragma once

namespace vigil {

// Returns 0, or the errno of mprotect. A binary without PT_GNU_RELRO, or one
// a loader has already protected, is left as it is.
int protect_relro();

}  // namespace vigil
