#include "resolver/dns_message.h"

#include <sys/socket.h>

#include <cstring>

#include "base/text.h"

namespace vigil::dns {
namespace {

constexpr size_t header_bytes = 12;
constexpr uint16_t class_internet = 1;

uint16_t read16(std::span<const uint8_t> bytes, size_t at) {
    return static_cast<uint16_t>(bytes[at] << 8 | bytes[at + 1]);
}

// Moves `at` past a possibly compressed name; false when it runs off the end.
bool skip_name(std::span<const uint8_t> message, size_t& at) {
    for (;;) {
        if (at >= message.size())
            return false;
        uint8_t length = message[at];
        if ((length & 0xc0) == 0xc0) {  // a pointer ends the name
            at += 2;
            return at <= message.size();
        }
        if (length & 0xc0)
            return false;  // reserved label types
        at += 1 + length;
        if (length == 0)
            return true;
    }
}

}  // namespace

size_t build_query(uint16_t id, std::string_view name, uint16_t type, std::span<uint8_t> out) {
    if (name.empty() || name.size() > 253 || out.size() < header_bytes + name.size() + 6)
        return 0;
    std::memset(out.data(), 0, header_bytes);
    out[0] = static_cast<uint8_t>(id >> 8);
    out[1] = static_cast<uint8_t>(id);
    out[2] = 0x01;  // RD: recursion desired
    out[5] = 1;     // one question
    size_t at = header_bytes;
    while (!name.empty()) {
        size_t dot = name.find('.');
        std::string_view label = name.substr(0, dot);
        if (label.empty() || label.size() > 63)
            return 0;
        out[at++] = static_cast<uint8_t>(label.size());
        std::memcpy(&out[at], label.data(), label.size());
        at += label.size();
        name = dot == std::string_view::npos ? std::string_view() : name.substr(dot + 1);
        if (dot != std::string_view::npos && name.empty())
            return 0;  // "a..b" or a trailing dot: the caller strips one
    }
    out[at++] = 0;
    out[at++] = static_cast<uint8_t>(type >> 8);
    out[at++] = static_cast<uint8_t>(type);
    out[at++] = 0;
    out[at++] = class_internet;
    return at;
}

bool parse_answer(std::span<const uint8_t> message, Answer& answer) {
    answer = Answer{};
    if (message.size() < header_bytes)
        return false;
    answer.id = read16(message, 0);
    if (!(message[2] & 0x80))
        return false;  // a query, not a response
    answer.rcode = message[3] & 0x0f;
    if (read16(message, 4) != 1)
        return false;
    size_t answers = read16(message, 6);

    size_t at = header_bytes;
    if (!skip_name(message, at) || at + 4 > message.size())
        return false;
    answer.question_type = read16(message, at);
    at += 4;

    for (size_t i = 0; i < answers; ++i) {
        if (!skip_name(message, at) || at + 10 > message.size())
            return false;
        uint16_t type = read16(message, at);
        uint16_t record_class = read16(message, at + 2);
        size_t length = read16(message, at + 8);
        at += 10;
        if (at + length > message.size())
            return false;
        bool ipv4 = type == type_a && length == 4;
        bool ipv6 = type == type_aaaa && length == 16;
        if (record_class == class_internet && (ipv4 || ipv6) &&
            answer.address_count < max_answer_addresses) {
            Address& address = answer.addresses[answer.address_count++];
            address.family = ipv4 ? AF_INET : AF_INET6;
            std::memcpy(address.bytes, &message[at], length);
        }
        at += length;
    }
    return true;
}

bool answers_query(std::span<const uint8_t> response, std::span<const uint8_t> query) {
    if (query.size() <= header_bytes || response.size() < query.size() ||
        read16(response, 0) != read16(query, 0) || read16(response, 4) != 1)
        return false;
    // Lengths, type and class are below 'A', so folding every byte is safe.
    auto question = [&](std::span<const uint8_t> message) {
        return std::string_view(reinterpret_cast<const char*>(message.data()) + header_bytes,
                                query.size() - header_bytes);
    };
    return equals_ignoring_case(question(response), question(query));
}

}  // namespace vigil::dns
