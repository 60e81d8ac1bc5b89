// Fuzzes dns::parse_answer with whatever a DNS server (or a spoofer) might
// send: no read out of bounds, no endless loop, and at most
// max_answer_addresses addresses, each IPv4 or IPv6.
#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "resolver/dns_message.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    vigil::dns::Answer answer;
    if (!vigil::dns::parse_answer(std::span<const uint8_t>(data, size), answer))
        return 0;
    if (answer.address_count > vigil::dns::max_answer_addresses)
        std::abort();
    for (size_t i = 0; i < answer.address_count; ++i)
        if (answer.addresses[i].family != AF_INET && answer.addresses[i].family != AF_INET6)
            std::abort();
    return 0;
}
