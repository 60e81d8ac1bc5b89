#include "base/random.h"

#include <gtest/gtest.h>
#include <sys/auxv.h>

#include <cerrno>
#include <cstring>
#include <set>

using namespace vigil;

namespace {

ssize_t failing_getrandom(void*, size_t, unsigned) {
    errno = ENOSYS;  // a seccomp profile older than getrandom(2)
    return -1;
}

ssize_t short_getrandom(void* buffer, size_t length, unsigned) {
    std::memset(buffer, 0, length);
    return static_cast<ssize_t>(length / 2);
}

ssize_t constant_getrandom(void* buffer, size_t length, unsigned flags) {
    EXPECT_EQ(flags, static_cast<unsigned>(GRND_NONBLOCK));  // PID 1 must never block
    std::memset(buffer, 0xab, length);
    return static_cast<ssize_t>(length);
}

}  // namespace

TEST(Random, UsesGetrandomWhenItWorks) {
    uint8_t bytes[5];
    fill_random(bytes, sizeof bytes, constant_getrandom);
    for (uint8_t byte : bytes) EXPECT_EQ(byte, 0xab);
}

// The fallback used to be the clock XOR the PID: IDs a spoofer can guess, and
// the same ID for every query sent within one microsecond.
TEST(Random, WithoutGetrandomQueryIdsAreStillUnpredictable) {
    for (RandomSource source : {failing_getrandom, short_getrandom}) {
        std::set<uint16_t> ids;
        for (int i = 0; i < 2000; ++i) {
            uint16_t id = 0;
            fill_random(&id, sizeof id, source);
            ids.insert(id);
        }
        // 2000 draws from 65536 values repeat about 30 times by chance.
        EXPECT_GT(ids.size(), 1900u);
    }
}

TEST(Random, TheFallbackNeverShowsTheKernelsBytes) {
    // libc's stack canary comes from AT_RANDOM: its bytes must not leak.
    const auto* at_random = reinterpret_cast<const uint8_t*>(getauxval(AT_RANDOM));
    ASSERT_NE(at_random, nullptr);
    uint8_t bytes[64];
    fill_random(bytes, sizeof bytes, failing_getrandom);
    for (size_t at = 0; at + 4 <= sizeof bytes; ++at)
        for (size_t from = 0; from + 4 <= 16; ++from)
            EXPECT_NE(std::memcmp(bytes + at, at_random + from, 4), 0) << at << " " << from;
}

TEST(Random, SipHashMatchesItsPublishedTestVector) {
    // Aumasson and Bernstein's vector for the key 00..0f and the 8-byte
    // message 00..07.
    uint8_t key[16];
    for (int i = 0; i < 16; ++i) key[i] = static_cast<uint8_t>(i);
    EXPECT_EQ(siphash24(key, 0x0706050403020100ULL), 0x93f5f5799a932462ULL);
}
