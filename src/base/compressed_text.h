// Long texts that vigil prints whole (the two --help texts) kept compressed
// in the binary: 5.7 KB of help are 3.4 KB as LZ4 blocks, and their decoder
// is some 150 bytes. cmake/compressed_text.cmake makes each one at build time
// from a plain text file, with Debian's lz4 tool.
//
// The form: the text's length (two bytes, little-endian), then the text as
// one LZ4 block (github.com/lz4/lz4, doc/lz4_Block_format.md): sequences of
// literal bytes and matches that copy from what was decoded already.
#pragma once

#include <cstddef>

namespace vigil {

// The longest text: a compressed text is decoded on the stack.
inline constexpr size_t max_compressed_text_size = 8192;

// The length of a compressed text once decoded.
size_t compressed_text_size(const unsigned char* compressed);

// Decodes `compressed` into `out`, which has room for
// compressed_text_size(compressed) bytes; returns that length. The blocks
// are vigil's own, made at build time; even so, a match that would reach
// before the start of the text or past its end ends the decoding there.
size_t decode_compressed_text(const unsigned char* compressed, char* out);

// Decodes `compressed` and writes it all to `fd`; false when writing failed.
bool write_compressed_text(int fd, const unsigned char* compressed);

}  // namespace vigil
