// Bytes nobody outside vigil can predict, for DNS query IDs (RFC 5452: an
// off-path spoofer has to guess the ID as well as the port).
//
// They come from getrandom(2), which can fail: ENOSYS under a seccomp
// profile older than the call, EAGAIN in a young VM whose kernel pool is not
// ready yet (vigil asks with GRND_NONBLOCK: PID 1 must not block). Then they
// come from the 16 random bytes the kernel hands every program at exec
// (AT_RANDOM, getauxval(3)), through SipHash-2-4 keyed with them over a
// counter: unpredictable without the key, and the key never shows, which
// matters because libc takes its stack canary from the same bytes. Never
// from the clock or the PID, which a spoofer can guess.
#pragma once

#include <sys/random.h>
#include <sys/types.h>

#include <cstddef>
#include <cstdint>

namespace vigil {

// getrandom(2)'s shape, so that tests can hand in one that fails.
using RandomSource = ssize_t (*)(void* buffer, size_t length, unsigned flags);

// Fills `buffer` from `source`, or from the AT_RANDOM fallback when the source
// fails or gives fewer bytes than asked.
void fill_random(void* buffer, size_t length, RandomSource source = getrandom);

// SipHash-2-4 (Aumasson and Bernstein, 2012) of one 64-bit little-endian
// word under the 16-byte key at `key`: the fallback's generator, exposed for
// its test vector.
uint64_t siphash24(const uint8_t* key, uint64_t message);

}  // namespace vigil
