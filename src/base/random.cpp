#include "base/random.h"

#include <sys/auxv.h>

#include <cstring>
#include <initializer_list>

namespace vigil {
namespace {

uint64_t rotate_left(uint64_t value, int bits) {
    return value << bits | value >> (64 - bits);
}

// The key's two words as SipHash reads them, little-endian, as both of
// vigil's architectures (amd64, arm64) are.
uint64_t little_endian64(const uint8_t* bytes) {
    static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "SipHash reads its key little-endian");
    uint64_t value = 0;
    std::memcpy(&value, bytes, sizeof value);
    return value;
}

}  // namespace

uint64_t siphash24(const uint8_t* key, uint64_t message) {
    uint64_t k0 = little_endian64(key);
    uint64_t k1 = little_endian64(key + 8);
    uint64_t v[4] = {k0 ^ 0x736f6d6570736575ULL, k1 ^ 0x646f72616e646f6dULL,
                     k0 ^ 0x6c7967656e657261ULL, k1 ^ 0x7465646279746573ULL};
    auto rounds = [&v](int count) {
        while (count-- > 0) {
            v[0] += v[1];
            v[1] = rotate_left(v[1], 13) ^ v[0];
            v[0] = rotate_left(v[0], 32);
            v[2] += v[3];
            v[3] = rotate_left(v[3], 16) ^ v[2];
            v[0] += v[3];
            v[3] = rotate_left(v[3], 21) ^ v[0];
            v[2] += v[1];
            v[1] = rotate_left(v[1], 17) ^ v[2];
            v[2] = rotate_left(v[2], 32);
        }
    };
    // The message is one 8-byte block, then the final block holding its
    // length (8) in the top byte.
    for (uint64_t block : {message, uint64_t{8} << 56}) {
        v[3] ^= block;
        rounds(2);
        v[0] ^= block;
    }
    v[2] ^= 0xff;
    rounds(4);
    return v[0] ^ v[1] ^ v[2] ^ v[3];
}

void fill_random(void* buffer, size_t length, RandomSource source) {
    if (source(buffer, length, GRND_NONBLOCK) == static_cast<ssize_t>(length))
        return;
    static uint64_t counter = 0;
    static constexpr uint8_t no_key[16] = {};
    // Linux has given every program these bytes since 2.6.29; getauxval
    // hands their address over as a number.
    // NOLINTNEXTLINE(performance-no-int-to-ptr)
    const auto* key = reinterpret_cast<const uint8_t*>(getauxval(AT_RANDOM));
    if (!key)
        key = no_key;
    auto* out = static_cast<uint8_t*>(buffer);
    for (size_t at = 0; at < length; at += 8) {
        uint64_t word = siphash24(key, counter++);
        std::memcpy(out + at, &word, length - at < 8 ? length - at : 8);
    }
}

}  // namespace vigil
