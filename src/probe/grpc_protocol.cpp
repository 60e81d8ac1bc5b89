#include "probe/grpc_protocol.h"

#include <cstring>

#include "base/format.h"
#include "base/text.h"

namespace vigil::grpc {

const char* status_code_name(uint32_t code) {
    return nth_string(
        "OK\0CANCELLED\0UNKNOWN\0INVALID_ARGUMENT\0DEADLINE_EXCEEDED\0NOT_FOUND\0"
        "ALREADY_EXISTS\0PERMISSION_DENIED\0RESOURCE_EXHAUSTED\0FAILED_PRECONDITION\0"
        "ABORTED\0OUT_OF_RANGE\0UNIMPLEMENTED\0INTERNAL\0UNAVAILABLE\0DATA_LOSS\0"
        "UNAUTHENTICATED\0",
        code);
}

const char* serving_status_name(uint32_t status) {
    return nth_string("UNKNOWN\0SERVING\0NOT_SERVING\0SERVICE_UNKNOWN\0", status);
}

void format_timeout(int64_t ms, char* out, size_t size) {
    if (ms < 1)
        ms = 1;
    if (ms <= 99999999)
        format_into(out, size, "%lldm", static_cast<long long>(ms));
    else
        format_into(out, size, "%lldS", static_cast<long long>((ms + 999) / 1000));
}

size_t put_health_request(char* out, size_t size, std::string_view service) {
    // Field 1, wire type 2 (length-delimited): key 0x0a, a varint length,
    // the bytes. proto3 leaves an empty string out altogether.
    unsigned char length_varint[5];
    size_t varint_length = 0;
    for (size_t value = service.size();; value >>= 7) {
        length_varint[varint_length++] =
            static_cast<unsigned char>(value >= 0x80 ? (value & 0x7f) | 0x80 : value);
        if (value < 0x80 || varint_length == sizeof length_varint)
            break;
    }
    size_t message = service.empty() ? 0 : 1 + varint_length + service.size();
    if (size < 5 + message)
        return 0;
    out[0] = 0;  // not compressed
    for (int i = 0; i < 4; ++i) out[1 + i] = static_cast<char>(message >> (24 - 8 * i));
    if (message) {
        out[5] = 0x0a;
        std::memcpy(out + 6, length_varint, varint_length);
        std::memcpy(out + 6 + varint_length, service.data(), service.size());
    }
    return 5 + message;
}

namespace {

// A protobuf varint: at most 10 bytes.
bool read_varint(std::string_view& bytes, uint64_t& value) {
    value = 0;
    for (int shift = 0; shift < 70; shift += 7) {
        if (bytes.empty())
            return false;
        auto byte = static_cast<unsigned char>(bytes[0]);
        bytes.remove_prefix(1);
        value |= static_cast<uint64_t>(byte & 0x7f) << shift;
        if (!(byte & 0x80))
            return true;
    }
    return false;
}

}  // namespace

const char* parse_health_response(std::string_view message, uint32_t& status) {
    // One text for every field that ends early: which part of it the bytes
    // ran out in tells a person nothing more.
    constexpr const char* cut_short = "a field is cut short";
    status = 0;
    while (!message.empty()) {
        uint64_t key = 0;
        uint64_t value = 0;
        if (!read_varint(message, key))
            return cut_short;
        uint64_t wire_type = key & 7;
        uint64_t skip = 0;  // the bytes after the key and any varint
        if (wire_type == 0 || wire_type == 2) {
            if (!read_varint(message, value))
                return cut_short;
            skip = wire_type == 2 ? value : 0;  // a length-delimited field's length
        } else if (wire_type == 1 || wire_type == 5) {
            skip = wire_type == 1 ? 8 : 4;  // fixed 64 or 32 bits
        } else {
            return "a field of an unknown wire type";
        }
        if (message.size() < skip)
            return cut_short;
        message.remove_prefix(skip);
        if (key >> 3 == 1 && wire_type != 0)
            return "the status field is not a varint";
        if (key >> 3 == 1)
            status = static_cast<uint32_t>(value);  // the last one counts
    }
    return nullptr;
}

size_t percent_decode(std::string_view text, char* out, size_t size) {
    auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        return -1;
    };
    size_t length = 0;
    for (size_t i = 0; i < text.size() && length < size; ++i) {
        if (text[i] == '%' && i + 2 < text.size() && hex(text[i + 1]) >= 0 &&
            hex(text[i + 2]) >= 0) {
            out[length++] = static_cast<char>(hex(text[i + 1]) << 4 | hex(text[i + 2]));
            i += 2;
        } else {
            out[length++] = text[i];
        }
    }
    return length;
}

}  // namespace vigil::grpc
