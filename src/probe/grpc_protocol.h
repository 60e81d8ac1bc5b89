// The gRPC side of the probe's health check, apart from HTTP/2: the facts of
// gRPC's wire format that a `grpc.health.v1.Health/Check` call needs, as pure
// functions. Sources: gRPC's PROTOCOL-HTTP2.md (length-prefixed messages,
// grpc-timeout, grpc-status, grpc-message), doc/statuscodes.md (the status
// names), and health.proto of the gRPC Health Checking Protocol:
//
//   message HealthCheckRequest { string service = 1; }
//   message HealthCheckResponse {
//     enum ServingStatus { UNKNOWN = 0; SERVING = 1; NOT_SERVING = 2;
//                          SERVICE_UNKNOWN = 3; }
//     ServingStatus status = 1;
//   }
//
// The two messages are encoded and decoded here by hand (protobuf's wire
// format, varints and length-delimited fields): a protobuf library would
// weigh more than all of the probe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/text.h"

namespace vigil::grpc {

inline constexpr std::string_view health_check_path = "/grpc.health.v1.Health/Check";

// The names of the status codes 0 to 16 ("OK", "CANCELLED", ...
// "UNAUTHENTICATED") and of HealthCheckResponse.ServingStatus, in order, for
// nth_string().
inline constexpr char status_code_names[] =
    "OK\0CANCELLED\0UNKNOWN\0INVALID_ARGUMENT\0DEADLINE_EXCEEDED\0NOT_FOUND\0"
    "ALREADY_EXISTS\0PERMISSION_DENIED\0RESOURCE_EXHAUSTED\0FAILED_PRECONDITION\0"
    "ABORTED\0OUT_OF_RANGE\0UNIMPLEMENTED\0INTERNAL\0UNAVAILABLE\0DATA_LOSS\0"
    "UNAUTHENTICATED\0";
inline constexpr char serving_status_names[] = "UNKNOWN\0SERVING\0NOT_SERVING\0SERVICE_UNKNOWN\0";
inline constexpr uint32_t serving = 1;
// A name, or null for a code or status without one.
inline const char* status_code_name(uint32_t code) {
    return nth_string(status_code_names, code);
}
inline const char* serving_status_name(uint32_t status) {
    return nth_string(serving_status_names, status);
}

// The grpc-timeout header for a deadline `ms` milliseconds away: at most
// eight digits and a unit, "2999m", or whole seconds rounded up beyond
// 99999999 ms ("2592000S"). At least 1 ms. `out` needs 10 bytes. Returns
// the length.
size_t format_timeout(int64_t ms, char* out, size_t size);

// HealthCheckRequest{service} as one gRPC message: the 5-byte prefix
// (uncompressed, big-endian length) and the protobuf bytes. The caller makes
// room: the service's length and 8 bytes. Returns the end.
char* put_health_request(char* out, std::string_view service);

// Reads a HealthCheckResponse (the protobuf bytes, without the prefix).
// Unknown fields are skipped, as protobuf requires; an absent status is
// UNKNOWN (0). Returns null, or why the bytes are not a valid message.
const char* parse_health_response(std::string_view message, uint32_t& status);

// grpc-message is percent-encoded (PROTOCOL-HTTP2.md): "%XX" becomes the
// byte; a '%' not followed by two hex digits stays as it is. Writes at most
// `size` bytes and returns how many.
size_t percent_decode(std::string_view text, char* out, size_t size);

}  // namespace vigil::grpc
