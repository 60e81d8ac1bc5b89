// gRPC's wire facts: status names, grpc-timeout, percent-decoding of
// grpc-message, and the Health messages in protobuf's encoding.
#include "probe/grpc_protocol.h"

#include <gtest/gtest.h>

#include <string>

using namespace vigil;

namespace {

std::string timeout(int64_t ms) {
    char out[16];
    grpc::format_timeout(ms, out, sizeof out);
    return out;
}

std::string request(std::string_view service) {
    char out[300];
    return std::string(out, grpc::put_health_request(out, service));
}

const char* parse(const std::string& message, uint32_t& status) {
    return grpc::parse_health_response(message, status);
}

std::string decode(std::string_view text) {
    char out[64];
    return std::string(out, grpc::percent_decode(text, out, sizeof out));
}

}  // namespace

TEST(GrpcProtocol, NamesStatusCodesAndServingStatuses) {
    EXPECT_STREQ(grpc::status_code_name(0), "OK");
    EXPECT_STREQ(grpc::status_code_name(5), "NOT_FOUND");
    EXPECT_STREQ(grpc::status_code_name(12), "UNIMPLEMENTED");
    EXPECT_STREQ(grpc::status_code_name(14), "UNAVAILABLE");
    EXPECT_STREQ(grpc::status_code_name(16), "UNAUTHENTICATED");
    EXPECT_EQ(grpc::status_code_name(17), nullptr);
    EXPECT_STREQ(grpc::serving_status_name(0), "UNKNOWN");
    EXPECT_STREQ(grpc::serving_status_name(1), "SERVING");
    EXPECT_STREQ(grpc::serving_status_name(2), "NOT_SERVING");
    EXPECT_STREQ(grpc::serving_status_name(3), "SERVICE_UNKNOWN");
    EXPECT_EQ(grpc::serving_status_name(4), nullptr);
}

TEST(GrpcProtocol, FormatsGrpcTimeoutInAtMostEightDigits) {
    EXPECT_EQ(timeout(3000), "3000m");
    EXPECT_EQ(timeout(1), "1m");
    EXPECT_EQ(timeout(0), "1m");
    EXPECT_EQ(timeout(-5), "1m");
    EXPECT_EQ(timeout(99999999), "99999999m");
    EXPECT_EQ(timeout(100000000), "100000S");
    EXPECT_EQ(timeout(30LL * 24 * 3600 * 1000), "2592000S");
    EXPECT_EQ(timeout(100000001), "100001S");  // rounded up
}

TEST(GrpcProtocol, EncodesHealthCheckRequest) {
    EXPECT_EQ(request(""), std::string(5, '\0'));  // proto3 leaves the empty string out
    EXPECT_EQ(request("svc"), std::string("\0\0\0\0\x05\x0a\x03svc", 10));
    std::string long_name(200, 'n');
    std::string encoded = request(long_name);
    ASSERT_EQ(encoded.size(), 5u + 3 + 200);
    EXPECT_EQ(encoded.substr(0, 8), std::string("\0\0\0\0\xcb\x0a\xc8\x01", 8));  // varint 200
}

TEST(GrpcProtocol, DecodesHealthCheckResponse) {
    uint32_t status = 99;
    EXPECT_EQ(parse("", status), nullptr);
    EXPECT_EQ(status, 0u);  // absent: UNKNOWN
    EXPECT_EQ(parse("\x08\x01", status), nullptr);
    EXPECT_EQ(status, 1u);
    EXPECT_EQ(parse("\x08\x02", status), nullptr);
    EXPECT_EQ(status, 2u);
    // Unknown fields of every wire type are skipped; the last status counts.
    std::string with_unknown = std::string("\x08\x01\x10\x05\x1a\x02hi\x21", 9) +
                               std::string(8, 'x') + "\x2d" + std::string(4, 'y') + "\x08\x03";
    EXPECT_EQ(parse(with_unknown, status), nullptr);
    EXPECT_EQ(status, 3u);
    // A multi-byte varint for a status from a newer health.proto.
    EXPECT_EQ(parse("\x08\x96\x01", status), nullptr);
    EXPECT_EQ(status, 150u);
}

TEST(GrpcProtocol, RejectsMalformedHealthCheckResponse) {
    uint32_t status = 0;
    EXPECT_NE(parse("\x08", status), nullptr);
    EXPECT_NE(parse("\x08\x80", status), nullptr);
    EXPECT_NE(parse("\x0a\x01x", status), nullptr);   // status as a string
    EXPECT_NE(parse("\x1a\x05hi", status), nullptr);  // cut short
    EXPECT_NE(parse("\x0b", status), nullptr);        // a group
    EXPECT_NE(parse(std::string(11, '\xff'), status), nullptr);
}

TEST(GrpcProtocol, PercentDecodesGrpcMessage) {
    EXPECT_EQ(decode("unknown service"), "unknown service");
    EXPECT_EQ(decode("50%25 done"), "50% done");
    EXPECT_EQ(decode("caf%C3%A9"), "caf\xc3\xa9");
    EXPECT_EQ(decode("line%0Abreak"), "line\nbreak");
    EXPECT_EQ(decode("bad %zz and %4"), "bad %zz and %4");
    EXPECT_EQ(decode("%"), "%");
    char out[3];
    EXPECT_EQ(grpc::percent_decode("abcdef", out, sizeof out), 3u);
}
