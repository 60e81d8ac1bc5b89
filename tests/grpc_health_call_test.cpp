// The gRPC health Check call as a state machine: scripted server bytes in
// (in every split), answers out, and the verdict and summary line, for real
// servers' shapes of answer and for hostile ones.
#include "probe/grpc_health_call.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "probe/hpack.h"
#include "probe/http2_frame.h"

using namespace vigil;

namespace {

const char* const peer = "127.0.0.1:50051";

std::string frame(uint8_t type, uint8_t flags, uint32_t stream, const std::string& payload) {
    char header[9];
    http2::put_frame_header(header, static_cast<uint32_t>(payload.size()), type, flags, stream);
    return std::string(header, 9) + payload;
}

std::string literal(const std::string& name, const std::string& value) {
    static char out[40000];
    return std::string(out, hpack_put_literal(out, 0, name, value));
}

const std::string server_settings =
    frame(http2::settings, 0, 0, std::string("\0\x03\0\0\0\x64", 6));
const std::string status_200 = "\x88";  // static index 8
const std::string grpc_content_type = literal("content-type", "application/grpc");

std::string response_headers() {
    return frame(http2::headers, http2::flag_end_headers, 1, status_200 + grpc_content_type);
}
std::string message(const std::string& protobuf) {
    std::string prefix(5, '\0');
    prefix[4] = static_cast<char>(protobuf.size());
    return prefix + protobuf;
}
std::string trailers(const std::string& block) {
    return frame(http2::headers, http2::flag_end_headers | http2::flag_end_stream, 1, block);
}
// A whole answer as grpc-go sends it.
std::string answer(int serving_status) {
    std::string protobuf =
        serving_status ? std::string("\x08") + static_cast<char>(serving_status) : "";
    return server_settings + frame(http2::settings, http2::flag_ack, 0, "") + response_headers() +
           frame(http2::data, 0, 1, message(protobuf)) + trailers(literal("grpc-status", "0"));
}
std::string trailers_only(const std::string& status, const std::string& message_text) {
    return server_settings +
           trailers(status_200 + grpc_content_type + literal("grpc-status", status) +
                    literal("grpc-message", message_text));
}

struct Result {
    bool done;
    bool healthy;
    std::string summary;
    std::string output;
};

// Feeds `bytes` in pieces of `piece` (0: whole), sending the answers in
// between as HealthCheck does; `closed` ends with the connection closed.
Result run(const std::string& bytes, size_t piece = 0, bool closed = false) {
    static GrpcHealthCall call;  // 40 KiB: off the stack
    call.start(peer);
    std::string output;
    if (piece == 0)
        piece = grpc_max_receive_bytes;
    for (size_t at = 0; at < bytes.size() && !call.done(); at += piece) {
        call.receive(std::string_view(bytes).substr(at, piece));
        output += std::string(call.output());
        call.output_sent(call.output().size());
    }
    if (closed && !call.done())
        call.connection_closed();
    char summary[201];
    if (call.done())
        call.describe(summary, sizeof summary, "1.2 ms");
    else  // as HealthCheck words a timeout
        std::snprintf(
            summary, sizeof summary, "unhealthy: timed out after 3s %s %s%s", call.waiting(), peer,
            call.bytes_received()
                ? (" (" + std::to_string(call.bytes_received()) + " bytes received)").c_str()
                : "");
    return {call.done(), call.healthy(), summary, output};
}

}  // namespace

TEST(GrpcHealthCall, ServingIsHealthyInEverySplit) {
    std::string bytes = answer(1);
    for (size_t piece = 1; piece <= bytes.size(); ++piece) {
        Result result = run(bytes, piece);
        ASSERT_TRUE(result.done) << piece;
        EXPECT_TRUE(result.healthy) << piece;
        EXPECT_EQ(result.summary, "healthy: gRPC SERVING from 127.0.0.1:50051 in 1.2 ms");
        EXPECT_EQ(result.output, frame(http2::settings, http2::flag_ack, 0, "")) << piece;
    }
}

TEST(GrpcHealthCall, OtherServingStatusesAreUnhealthy) {
    EXPECT_EQ(run(answer(2)).summary, "unhealthy: gRPC NOT_SERVING from 127.0.0.1:50051 in 1.2 ms");
    EXPECT_EQ(run(answer(0)).summary, "unhealthy: gRPC UNKNOWN from 127.0.0.1:50051 in 1.2 ms");
    EXPECT_EQ(run(answer(3)).summary,
              "unhealthy: gRPC SERVICE_UNKNOWN from 127.0.0.1:50051 in 1.2 ms");
    Result future = run(answer(7));
    EXPECT_FALSE(future.healthy);
    EXPECT_EQ(future.summary, "unhealthy: gRPC serving status 7 from 127.0.0.1:50051 in 1.2 ms");
}

TEST(GrpcHealthCall, TrailersOnlyErrorsGiveTheStatusNameAndDecodedMessage) {
    Result unimplemented = run(trailers_only("12", "unknown%20service%20grpc.health.v1.Health"));
    EXPECT_FALSE(unimplemented.healthy);
    EXPECT_EQ(unimplemented.summary,
              "unhealthy: gRPC status UNIMPLEMENTED from 127.0.0.1:50051: unknown service "
              "grpc.health.v1.Health");
    EXPECT_EQ(run(trailers_only("5", "unknown service")).summary,
              "unhealthy: gRPC status NOT_FOUND from 127.0.0.1:50051: unknown service");
    EXPECT_EQ(run(trailers_only("99", "")).summary,
              "unhealthy: gRPC status 99 from 127.0.0.1:50051");
}

TEST(GrpcHealthCall, EscapesWhatTheServerSays) {
    Result result = run(trailers_only("14", "line%0Abreak %1B[31mred%C2%85 \x7f done"));
    EXPECT_EQ(result.summary,
              "unhealthy: gRPC status UNAVAILABLE from 127.0.0.1:50051: line\\nbreak "
              "\\x1b[31mred\\u0085 \\x7f done");
    Result huge = run(trailers_only("14", std::string(1000, 'm')));
    EXPECT_EQ(huge.summary.size(), 200u);
}

TEST(GrpcHealthCall, NamesWhatAnsweredWhenItIsNotHttp2) {
    Result http1 = run("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
    EXPECT_EQ(http1.summary,
              "unhealthy: not an HTTP/2 server at 127.0.0.1:50051: \"HTTP/1.1 400 Bad Request\"");
    // A frame header of the right size but not SETTINGS.
    Result data_first = run(frame(http2::data, 0, 1, "x"));
    EXPECT_EQ(data_first.summary.rfind("unhealthy: not an HTTP/2 server at 127.0.0.1:50051: \"", 0),
              0u)
        << data_first.summary;
    // Garbage, closed before 9 bytes.
    Result garbage = run("\x01\xfe\n", 0, true);
    EXPECT_EQ(garbage.summary,
              "unhealthy: not an HTTP/2 server at 127.0.0.1:50051: \"\\x01\\xfe\"");
}

TEST(GrpcHealthCall, GoawayWithAnErrorEndsTheCall) {
    std::string goaway =
        frame(http2::goaway, 0, 0, std::string("\0\0\0\0\0\0\0\x0b", 8) + "too_many_pings");
    Result result = run(server_settings + goaway);
    EXPECT_EQ(
        result.summary,
        "unhealthy: GOAWAY from 127.0.0.1:50051 (error ENHANCE_YOUR_CALM): \"too_many_pings\"");
    Result unknown_code =
        run(server_settings + frame(http2::goaway, 0, 0, std::string("\0\0\0\x01\0\0\x01\0", 8)));
    EXPECT_EQ(unknown_code.summary, "unhealthy: GOAWAY from 127.0.0.1:50051 (error 256)");
}

TEST(GrpcHealthCall, GracefulGoawayLetsTheResponseFinish) {
    std::string goaway = frame(http2::goaway, 0, 0, std::string("\0\0\0\x01\0\0\0\0", 8));
    std::string bytes = answer(1);
    bytes.insert(server_settings.size(), goaway);
    EXPECT_TRUE(run(bytes).healthy);
    Result closed = run(server_settings + goaway, 0, true);
    EXPECT_EQ(closed.summary,
              "unhealthy: connection closed by 127.0.0.1:50051 after 32 bytes, before the gRPC "
              "response ended");
}

TEST(GrpcHealthCall, RstStreamEndsTheCall) {
    Result result =
        run(server_settings + frame(http2::rst_stream, 0, 1, std::string("\0\0\0\x07", 4)));
    EXPECT_EQ(result.summary, "unhealthy: RST_STREAM from 127.0.0.1:50051 (error REFUSED_STREAM)");
}

TEST(GrpcHealthCall, AnswersPingsWithTheSameData) {
    std::string ping = frame(http2::ping, 0, 0, "8 bytes!");
    std::string bytes = answer(1);
    bytes.insert(server_settings.size(), ping);
    Result result = run(bytes);
    EXPECT_TRUE(result.healthy);
    EXPECT_EQ(result.output, frame(http2::settings, http2::flag_ack, 0, "") +
                                 frame(http2::ping, http2::flag_ack, 0, "8 bytes!"));
}

TEST(GrpcHealthCall, ReadsHeadersSplitAcrossContinuationFrames) {
    std::string block = status_200 + grpc_content_type + literal("server", "test");
    std::string headers = frame(http2::headers, 0, 1, block.substr(0, 3)) +
                          frame(http2::continuation, 0, 1, block.substr(3, 10)) +
                          frame(http2::continuation, http2::flag_end_headers, 1, block.substr(13));
    std::string bytes = server_settings + headers + frame(http2::data, 0, 1, message("\x08\x01")) +
                        trailers(literal("grpc-status", "0"));
    for (size_t piece : {1, 7, 64}) EXPECT_TRUE(run(bytes, piece).healthy) << piece;
}

TEST(GrpcHealthCall, GivesUpOnEndlessContinuationFrames) {
    std::string bytes = server_settings + frame(http2::headers, 0, 1, status_200);
    for (int i = 0; i < 1000; ++i) bytes += frame(http2::continuation, 0, 1, "");
    Result result = run(bytes);
    EXPECT_EQ(result.summary,
              "unhealthy: CONTINUATION flood from 127.0.0.1:50051 (more than 64 frames)");
    std::string full = server_settings + frame(http2::headers, 0, 1, status_200);
    for (int i = 0; i < 1000; ++i)
        full += frame(http2::continuation, 0, 1, literal("x", std::string(400, 'v')));
    EXPECT_EQ(run(full).summary, "unhealthy: response headers from 127.0.0.1:50051 exceed 16 KiB");
}

TEST(GrpcHealthCall, CapsResponseHeadersAt16KiB) {
    std::string block = status_200 + grpc_content_type;
    while (block.size() < 17000) block += literal("x-padding", std::string(1000, 'p'));
    std::string bytes = server_settings + frame(http2::headers, 0, 1, block.substr(0, 16000)) +
                        frame(http2::continuation, http2::flag_end_headers, 1, block.substr(16000));
    EXPECT_EQ(run(bytes).summary, "unhealthy: response headers from 127.0.0.1:50051 exceed 16 KiB");
    // A small block that decodes to more than 16 KiB: one 4000-byte entry,
    // then index 62 over and over.
    std::string bomb = "\x40" + literal("x", std::string(4000, 'b')).substr(1);
    for (int i = 0; i < 10; ++i) bomb += "\xbe";
    EXPECT_EQ(
        run(server_settings + frame(http2::headers, http2::flag_end_headers, 1, bomb)).summary,
        "unhealthy: response headers from 127.0.0.1:50051 exceed 16 KiB");
}

TEST(GrpcHealthCall, RejectsAHugeDynamicTableSizeUpdate) {
    std::string update = "\x3f\xff\xff\xff\x07";  // about 16 MiB
    Result result = run(server_settings +
                        frame(http2::headers, http2::flag_end_headers, 1, update + status_200));
    EXPECT_EQ(result.summary,
              "unhealthy: HTTP/2 protocol error from 127.0.0.1:50051: HPACK table size update "
              "above the 4096 advertised");
}

TEST(GrpcHealthCall, GivesUpOnASettingsFloodAndAPingFlood) {
    std::string bytes = server_settings;
    for (int i = 0; i < 200; ++i) bytes += frame(http2::settings, 0, 0, "");
    Result result = run(bytes, 1000);
    EXPECT_EQ(result.summary,
              "unhealthy: SETTINGS flood from 127.0.0.1:50051 (more than 100 frames)");
    std::string pings = server_settings;
    for (int i = 0; i < 200; ++i) pings += frame(http2::ping, 0, 0, "12345678");
    EXPECT_EQ(run(pings).summary,
              "unhealthy: PING flood from 127.0.0.1:50051 (more than 100 frames)");
}

TEST(GrpcHealthCall, GivesPaddedDataBackWithWindowUpdates) {
    std::string padding(250, '\0');
    std::string bytes = server_settings + response_headers();
    for (int i = 0; i < 70; ++i)  // 70 DATA frames of 251 bytes: all padding
        bytes += frame(http2::data, http2::flag_padded, 1, std::string(1, '\xfa') + padding);
    bytes += frame(http2::data, 0, 1, message("\x08\x01")) + trailers(literal("grpc-status", "0"));
    Result result = run(bytes);
    EXPECT_TRUE(result.healthy) << result.summary;
    // 65 * 251 = 16315 bytes need nothing yet; the 66th makes 16566.
    std::string update = frame(http2::window_update, 0, 0, std::string("\0\0\x40\xb6", 4)) +
                         frame(http2::window_update, 0, 1, std::string("\0\0\x40\xb6", 4));
    EXPECT_EQ(result.output, frame(http2::settings, http2::flag_ack, 0, "") + update);
}

TEST(GrpcHealthCall, ReportsResponsesThatAreNotGrpc) {
    std::string not_found =
        frame(http2::headers, http2::flag_end_headers | http2::flag_end_stream, 1, "\x8d");
    EXPECT_EQ(run(server_settings + not_found).summary,
              "unhealthy: HTTP/2 status 404 from 127.0.0.1:50051, not a gRPC response");
    std::string html = frame(http2::headers, http2::flag_end_headers, 1,
                             status_200 + literal("content-type", "text/html; charset=utf-8"));
    EXPECT_EQ(run(server_settings + html).summary,
              "unhealthy: not a gRPC response from 127.0.0.1:50051: content-type \"text/html; "
              "charset=utf-8\"");
    std::string no_status = server_settings + response_headers() +
                            frame(http2::data, http2::flag_end_stream, 1, message("\x08\x01"));
    EXPECT_EQ(run(no_status).summary,
              "unhealthy: gRPC response from 127.0.0.1:50051 ended without grpc-status");
}

TEST(GrpcHealthCall, ReportsBadResponseMessages) {
    std::string compressed = message("\x08\x01");
    compressed[0] = 1;
    auto with = [&](const std::string& data) {
        return run(server_settings + response_headers() + frame(http2::data, 0, 1, data) +
                   trailers(literal("grpc-status", "0")))
            .summary;
    };
    EXPECT_EQ(with(compressed),
              "unhealthy: bad gRPC response from 127.0.0.1:50051: a compressed message, though "
              "vigil asked for none");
    EXPECT_EQ(with(message("\x08\x01") + message("\x08\x01")),
              "unhealthy: bad gRPC response from 127.0.0.1:50051: more than one response message");
    EXPECT_EQ(with(message("\x08\x01").substr(0, 6)),
              "unhealthy: bad gRPC response from 127.0.0.1:50051: status OK without a whole "
              "HealthCheckResponse");
    EXPECT_EQ(
        with(message("\x0a\x01x")),
        "unhealthy: bad gRPC response from 127.0.0.1:50051: the status field is not a varint");
}

TEST(GrpcHealthCall, ReportsProtocolErrorsNamingTheFrame) {
    auto error = [&](const std::string& bytes) { return run(server_settings + bytes).summary; };
    const std::string prefix = "unhealthy: HTTP/2 protocol error from 127.0.0.1:50051: ";
    EXPECT_EQ(error(frame(http2::data, 0, 1, "x")), prefix + "DATA before the response headers");
    EXPECT_EQ(error(frame(http2::headers, http2::flag_end_headers, 3, status_200)),
              prefix + "HEADERS on a stream vigil did not open");
    EXPECT_EQ(error(frame(http2::push_promise, 0, 1, std::string(4, '\0'))),
              prefix + "PUSH_PROMISE though vigil disabled server push");
    EXPECT_EQ(error(frame(http2::ping, 0, 0, "short")),
              prefix + "PING of a wrong length or on a wrong stream");
    EXPECT_EQ(error(frame(http2::settings, 0, 0, std::string("\0\x02\0\0\0\x02", 6))),
              prefix + "SETTINGS with a value out of range");
    EXPECT_EQ(error(frame(http2::headers, 0, 1, status_200) + frame(http2::ping, 0, 0, "12345678")),
              prefix + "PING inside a header block");
    EXPECT_EQ(error(frame(http2::headers, http2::flag_end_headers, 1, "\xc0")),
              prefix + "HPACK index out of range");
    EXPECT_EQ(error(std::string(9, '\0').replace(0, 3, "\x00\x40\x01", 3)),
              prefix + "a frame larger than the 16384 bytes advertised");
    // Unknown frame types and PRIORITY are ignored.
    std::string bytes = answer(1);
    bytes.insert(server_settings.size(), frame(0x42, 0xff, 0, "ignored") +
                                             frame(http2::priority, 0, 1, std::string(5, '\0')));
    EXPECT_TRUE(run(bytes).healthy);
}

TEST(GrpcHealthCall, SaysWhereItWasWhenClosedOrTimedOut) {
    EXPECT_EQ(run("", 0, true).summary,
              "unhealthy: connection closed by 127.0.0.1:50051 without a response");
    EXPECT_EQ(run("").summary,
              "unhealthy: timed out after 3s waiting for a response from 127.0.0.1:50051");
    EXPECT_EQ(run(server_settings.substr(0, 5)).summary,
              "unhealthy: timed out after 3s waiting for HTTP/2 SETTINGS from 127.0.0.1:50051 (5 "
              "bytes received)");
    EXPECT_EQ(
        run(server_settings).summary,
        "unhealthy: timed out after 3s waiting for the gRPC response from 127.0.0.1:50051 (15 "
        "bytes received)");
    std::string partial = server_settings + response_headers();
    EXPECT_EQ(run(partial).summary,
              "unhealthy: timed out after 3s reading the gRPC response from 127.0.0.1:50051 (" +
                  std::to_string(partial.size()) + " bytes received)");
}

TEST(GrpcHealthCall, BuildsThePrefaceSettingsHeadersAndData) {
    const char* headers[] = {"X-Token: abc ", "Host: api.internal", "user-agent: probe/2"};
    GrpcCallSpec spec{"localhost:50051", "my.Service", headers};
    char out[8192];
    size_t length = build_grpc_request(spec, 2999, out, sizeof out);
    ASSERT_GT(length, 0u);
    std::string request(out, length);
    ASSERT_EQ(request.substr(0, 24), "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
    std::string_view input = std::string_view(request).substr(24);
    static FrameReader reader;  // 16 KiB: off the stack
    static HpackDecoder decoder;
    reader.reset();
    decoder.reset();
    std::vector<std::pair<std::string, std::string>> fields;
    std::vector<uint8_t> types;
    std::vector<uint8_t> flags;
    std::string data;
    for (FrameReader::Event event; (event = reader.next(input)) != FrameReader::Event::need_more;) {
        ASSERT_NE(event, FrameReader::Event::error);
        if (event != FrameReader::Event::frame)
            continue;
        types.push_back(reader.header().type);
        flags.push_back(reader.header().flags);
        if (reader.header().type == http2::headers) {
            decoder.begin_block(reader.content());
            while (decoder.next()) fields.emplace_back(decoder.name(), decoder.value());
            ASSERT_EQ(decoder.error(), HpackDecoder::Error::none);
        }
        if (reader.header().type == http2::data)
            data += std::string(reader.content());
    }
    EXPECT_EQ(types, (std::vector<uint8_t>{http2::settings, http2::headers, http2::data}));
    EXPECT_EQ(flags, (std::vector<uint8_t>{0, http2::flag_end_headers, http2::flag_end_stream}));
    EXPECT_EQ(fields, (std::vector<std::pair<std::string, std::string>>{
                          {":method", "POST"},
                          {":scheme", "http"},
                          {":path", "/grpc.health.v1.Health/Check"},
                          {":authority", "api.internal"},
                          {"content-type", "application/grpc"},
                          {"te", "trailers"},
                          {"grpc-timeout", "2999m"},
                          {"x-token", "abc"},
                          {"user-agent", "probe/2"},  // in place of vigil's
                      }));
    EXPECT_EQ(data, std::string("\0\0\0\0\x0c\x0a\x0amy.Service", 17));
    EXPECT_EQ(build_grpc_request(spec, 2999, out, 100), 0u);
}

TEST(GrpcHealthCall, BuildsTheRequestOnlyWhereItFits) {
    // Whatever the room, the request is whole or not written: AddressSanitizer
    // watches each buffer's end.
    std::string long_value(3000, 'v');
    std::string long_header = "X-Long: " + long_value;
    const char* headers[] = {long_header.c_str(), "User-Agent: probe/2"};
    GrpcCallSpec spec{"localhost:50051", "my.Service", headers};
    std::vector<char> room(8192);
    size_t length = build_grpc_request(spec, 99999999, room.data(), room.size());
    ASSERT_GT(length, 3000u);
    std::string whole(room.data(), length);
    for (size_t size = 0; size < length + 200; ++size) {
        std::vector<char> out(size);
        size_t built = build_grpc_request(spec, 99999999, out.data(), size);
        if (built) {
            EXPECT_EQ(std::string(out.data(), built), whole) << size;
        }
    }
}
