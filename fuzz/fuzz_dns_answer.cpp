// Fuzzes dns::parse_answer with whatever a DNS server (or a spoofer) might
// send: no read out of bounds, no endless loop, and at most
// max_answer_addresses addresses, each IPv4 or IPv6. The same bytes as a
// name: a query built for it is answered by its echo, and by no response
// whose question differs in one bit, but for a letter's case (RFC 4343).
#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string_view>
#include <vector>

#include "base/text.h"
#include "resolver/dns_message.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::span<const uint8_t> message(data, size);
    vigil::dns::Answer answer;
    if (vigil::dns::parse_answer(message, answer)) {
        if (answer.address_count > vigil::dns::max_answer_addresses)
            std::abort();
        for (size_t i = 0; i < answer.address_count; ++i)
            if (answer.addresses[i].family != AF_INET && answer.addresses[i].family != AF_INET6)
                std::abort();
    }

    // The same bytes as a name to ask for: a query that is built is answered
    // by its own echo, and by nothing that differs in its question.
    uint8_t query[vigil::dns::max_query_bytes];
    std::string_view name(reinterpret_cast<const char*>(data), size);
    size_t length = vigil::dns::build_query(0x1234, name, vigil::dns::type_aaaa, query);
    if (length == 0)
        return 0;
    std::vector<uint8_t> echo(query, query + length);
    echo[2] |= 0x80;  // QR: a response
    std::span<const uint8_t> asked(query, length);
    if (!vigil::dns::answers_query(echo, asked) || !vigil::dns::parse_answer(echo, answer) ||
        answer.question_type != vigil::dns::type_aaaa || answer.address_count != 0)
        std::abort();
    for (size_t at = 12; at < length; ++at) {
        std::vector<uint8_t> changed = echo;
        changed[at] ^= 0x20;  // 'a' and 'A'
        bool same_letter = vigil::ascii_lower(static_cast<char>(changed[at])) ==
                           vigil::ascii_lower(static_cast<char>(echo[at]));
        if (vigil::dns::answers_query(changed, asked) != same_letter)
            std::abort();
    }
    return 0;
}
