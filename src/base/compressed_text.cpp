#include "base/compressed_text.h"

#include "base/log.h"

namespace vigil {
namespace {

// A length of the LZ4 block format: the token's four bits, and when they are
// all ones, more bytes added up until one is not 255.
size_t read_length(const unsigned char*& in, size_t length) {
    if (length == 15) {
        unsigned char more = 0;
        do {
            more = *in++;
            length += more;
        } while (more == 255);
    }
    return length;
}

}  // namespace

size_t compressed_text_size(const unsigned char* compressed) {
    return compressed[0] | size_t{compressed[1]} << 8;
}

size_t decode_compressed_text(const unsigned char* compressed, char* out) {
    size_t size = compressed_text_size(compressed);
    const unsigned char* in = compressed + 2;
    size_t at = 0;
    // Each sequence: a token (literal count, match length - 4), the
    // literals, then a match: a 2-byte offset back into the text and its
    // length. The last sequence has literals only and ends the text.
    while (at < size) {
        unsigned token = *in++;
        for (size_t literals = read_length(in, token >> 4); literals > 0 && at < size; --literals)
            out[at++] = static_cast<char>(*in++);
        if (at == size)
            break;
        size_t offset = in[0] | size_t{in[1]} << 8;
        in += 2;
        size_t length = read_length(in, token & 15) + 4;
        if (offset == 0 || offset > at)
            break;  // not a block lz4 made
        for (; length > 0 && at < size; --length, ++at) out[at] = out[at - offset];
    }
    return at;
}

bool write_compressed_text(int fd, const unsigned char* compressed) {
    char text[max_compressed_text_size];
    return write_all(fd, text, decode_compressed_text(compressed, text));
}

}  // namespace vigil
