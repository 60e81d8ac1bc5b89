// `vigil probe grpc://...`, the built binary, against real gRPC servers that
// nobody here wrote (grpc-go, gRPC for Python, gRPC for Node, each serving
// the standard health service) and against hostile servers that speak
// broken or malicious HTTP/2. Every probe ends with one line and exit
// status 0 or 1 within its deadline.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "grpc_servers.h"
#include "probe/hpack.h"
#include "probe/http2_frame.h"
#include "process_harness.h"
#include "scripted_server.h"

using namespace vigil_test;
using namespace std::chrono_literals;

namespace {

RunOutput probe(std::vector<std::string> arguments) {
    arguments.insert(arguments.begin(), {vigil_binary(), "probe"});
    return run(arguments, 20s);
}

std::string line_of(const RunOutput& output) {
    EXPECT_EQ(output.out.find('\n'), output.out.size() - 1) << "not one line: " << output.out;
    EXPECT_LE(output.out.size(), 201u) << output.out;
    return output.out.substr(0, output.out.find('\n'));
}

bool starts_with(const std::string& text, const std::string& prefix) {
    return text.rfind(prefix, 0) == 0;
}

class GrpcProbe : public ::testing::TestWithParam<GrpcServerKind> {};

std::string kind_name(const ::testing::TestParamInfo<GrpcServerKind>& info) {
    switch (info.param) {
        case GrpcServerKind::go:
            return "GrpcGo";
        case GrpcServerKind::python:
            return "Python";
        case GrpcServerKind::node:
            return "Node";
    }
    return "Unknown";
}

#define START_SERVER(server, ...)                                 \
    REQUIRE_GRPC_SERVER(GetParam());                              \
    GrpcHealthServer server(GetParam(), ##__VA_ARGS__);           \
    ASSERT_TRUE(server.started()) << grpc_server_name(GetParam()) \
                                  << " did not start: " << server.output()

}  // namespace

TEST_P(GrpcProbe, ServingIsHealthy) {
    START_SERVER(server);
    RunOutput output = probe({server.url()});
    EXPECT_EQ(output.result.exit_code, 0) << output.out << output.err;
    EXPECT_TRUE(
        starts_with(line_of(output), "healthy: gRPC SERVING from " + server.address() + " in "))
        << output.out;
    ASSERT_TRUE(server.set_status("app.Orders", "SERVING"));
    output = probe({server.url("app.Orders")});
    EXPECT_EQ(output.result.exit_code, 0) << output.out;
}

TEST_P(GrpcProbe, NotServingAndUnknownAreUnhealthy) {
    START_SERVER(server);
    ASSERT_TRUE(server.set_status("", "NOT_SERVING"));
    RunOutput output = probe({server.url()});
    EXPECT_EQ(output.result.exit_code, 1);
    EXPECT_TRUE(starts_with(line_of(output),
                            "unhealthy: gRPC NOT_SERVING from " + server.address() + " in "))
        << output.out;
    ASSERT_TRUE(server.set_status("batch", "UNKNOWN"));
    output = probe({server.url("batch")});
    EXPECT_EQ(output.result.exit_code, 1);
    EXPECT_TRUE(starts_with(line_of(output), "unhealthy: gRPC UNKNOWN from ")) << output.out;
    if (GetParam() != GrpcServerKind::node) {  // grpc-health-check knows no SERVICE_UNKNOWN
        ASSERT_TRUE(server.set_status("gone", "SERVICE_UNKNOWN"));
        output = probe({server.url("gone")});
        EXPECT_EQ(output.result.exit_code, 1);
        EXPECT_TRUE(starts_with(line_of(output), "unhealthy: gRPC SERVICE_UNKNOWN from "))
            << output.out;
    }
}

TEST_P(GrpcProbe, AnUnknownServiceIsNotFound) {
    START_SERVER(server);
    RunOutput output = probe({server.url("no.such.Service")});
    EXPECT_EQ(output.result.exit_code, 1);
    // Each server words the message its own way.
    EXPECT_TRUE(starts_with(line_of(output),
                            "unhealthy: gRPC status NOT_FOUND from " + server.address() + ": "))
        << output.out;
}

TEST_P(GrpcProbe, AServerWithoutHealthServiceIsUnimplemented) {
    GrpcServerOptions options;
    options.no_health = true;
    START_SERVER(server, options);
    RunOutput output = probe({server.url()});
    EXPECT_EQ(output.result.exit_code, 1);
    EXPECT_TRUE(starts_with(line_of(output),
                            "unhealthy: gRPC status UNIMPLEMENTED from " + server.address()))
        << output.out;
}

TEST_P(GrpcProbe, SeesAChangedStatusOnTheNextProbe) {
    START_SERVER(server);
    EXPECT_EQ(probe({server.url()}).result.exit_code, 0);
    ASSERT_TRUE(server.set_status("", "NOT_SERVING"));
    EXPECT_EQ(probe({server.url()}).result.exit_code, 1);
    ASSERT_TRUE(server.set_status("", "SERVING"));
    RunOutput output = probe({server.url()});
    EXPECT_EQ(output.result.exit_code, 0) << output.out;
}

TEST_P(GrpcProbe, AStoppedServerRefusesTheConnection) {
    START_SERVER(server);
    std::string url = server.url();
    std::string address = server.address();
    server.stop();
    RunOutput output = probe({url});
    EXPECT_EQ(output.result.exit_code, 1);
    EXPECT_EQ(line_of(output), "unhealthy: connection refused by " + address);
}

TEST_P(GrpcProbe, WorksOverIpv6AndUnixSockets) {
    REQUIRE_GRPC_SERVER(GetParam());
    if (have_ipv6_loopback()) {
        GrpcServerOptions ipv6;
        ipv6.listen = "[::1]:0";
        GrpcHealthServer server(GetParam(), ipv6);
        ASSERT_TRUE(server.started()) << server.output();
        RunOutput output = probe({server.url()});
        EXPECT_EQ(output.result.exit_code, 0) << output.out;
        EXPECT_TRUE(starts_with(line_of(output), "healthy: gRPC SERVING from [::1]:"))
            << output.out;
    }
    TempDir dir;
    GrpcServerOptions unix_socket;
    unix_socket.unix_socket = dir.file("grpc.sock");
    GrpcHealthServer server(GetParam(), unix_socket);
    ASSERT_TRUE(server.started()) << server.output();
    RunOutput output = probe({"--unix-socket", unix_socket.unix_socket, server.url()});
    EXPECT_EQ(output.result.exit_code, 0) << output.out;
    EXPECT_TRUE(
        starts_with(line_of(output), "healthy: gRPC SERVING from unix:" + unix_socket.unix_socket))
        << output.out;
}

TEST_P(GrpcProbe, SendsExtraHeadersAsMetadata) {
    START_SERVER(server);
    RunOutput output = probe({"-H", "X-Probe: vigil", "-H", "User-Agent: custom/1", server.url()});
    EXPECT_EQ(output.result.exit_code, 0) << output.out;
}

INSTANTIATE_TEST_SUITE_P(RealServers, GrpcProbe,
                         ::testing::Values(GrpcServerKind::go, GrpcServerKind::python,
                                           GrpcServerKind::node),
                         kind_name);

// Hostile servers: each plays one trick and must get a precise verdict
// within the deadline, without a crash or a hang.
namespace {

std::string frame(uint8_t type, uint8_t flags, uint32_t stream, const std::string& payload) {
    char header[9];
    vigil::http2::put_frame_header(header, static_cast<uint32_t>(payload.size()), type, flags,
                                   stream);
    return std::string(header, 9) + payload;
}

std::string literal(const std::string& name, const std::string& value) {
    static char out[4096];
    return std::string(out, vigil::hpack_put_literal(out, 0, name, value));
}

const std::string settings = frame(vigil::http2::settings, 0, 0, "");
const std::string grpc_headers = frame(vigil::http2::headers, vigil::http2::flag_end_headers, 1,
                                       "\x88" + literal("content-type", "application/grpc"));

struct Hostile {
    ScriptedServer server;
    std::string url;
    explicit Hostile(const std::string& reply, int drip_ms = 0, bool hang = true)
        : server("127.0.0.1", script(reply, drip_ms, hang)),
          url("grpc://127.0.0.1:" + std::to_string(server.port())) {}
    std::string peer() const { return "127.0.0.1:" + std::to_string(server.port()); }
    static ServerScript script(const std::string& reply, int drip_ms, bool hang) {
        ServerScript script;
        script.reply = reply;
        script.drip_ms = drip_ms;
        script.hang = hang;
        return script;
    }
};

void expect_unhealthy_at_once(const RunOutput& output, const std::string& line) {
    EXPECT_EQ(output.result.exit_code, 1);
    EXPECT_EQ(line_of(output), line);
    EXPECT_LT(output.result.elapsed, 2500ms) << "the deadline is 3s; this needs no waiting";
}

}  // namespace

TEST(GrpcProbeHostile, AnHttp1ServerIsNotHttp2) {
    Hostile http1("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", 0,
                  false);
    ASSERT_TRUE(http1.server.listening());
    expect_unhealthy_at_once(
        probe({http1.url}),
        "unhealthy: not an HTTP/2 server at " + http1.peer() + ": \"HTTP/1.1 400 Bad Request\"");
    // The request it got began with the HTTP/2 preface.
    ASSERT_EQ(http1.server.requests().size(), 1u);
    EXPECT_TRUE(starts_with(http1.server.requests()[0], "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));
}

TEST(GrpcProbeHostile, GarbageIsNotHttp2AndIsEscaped) {
    Hostile garbage(std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 tls?", 16));
    ASSERT_TRUE(garbage.server.listening());
    expect_unhealthy_at_once(
        probe({garbage.url}),
        "unhealthy: not an HTTP/2 server at " + garbage.peer() +
            ": \"\\x16\\x03\\x01\\x02\\x00\\x01\\x00\\x01\\xfc\\x03\\x03 tls?\"");
}

TEST(GrpcProbeHostile, EndlessContinuationFramesAreAFlood) {
    std::string reply = settings + frame(vigil::http2::headers, 0, 1, "\x88");
    for (int i = 0; i < 10000; ++i) reply += frame(vigil::http2::continuation, 0, 1, "");
    Hostile server(reply);
    ASSERT_TRUE(server.server.listening());
    expect_unhealthy_at_once(probe({server.url}), "unhealthy: CONTINUATION flood from " +
                                                      server.peer() + " (more than 64 frames)");
}

TEST(GrpcProbeHostile, AHeaderBlockOverTheCapIsRefused) {
    std::string block = "\x88";
    while (block.size() < 64 * 1024) block += literal("x-padding", std::string(1000, 'p'));
    std::string reply = settings;
    for (size_t at = 0; at < block.size(); at += 16000)
        reply += frame(at == 0 ? vigil::http2::headers : vigil::http2::continuation,
                       at + 16000 >= block.size() ? vigil::http2::flag_end_headers : 0, 1,
                       block.substr(at, 16000));
    Hostile server(reply);
    ASSERT_TRUE(server.server.listening());
    expect_unhealthy_at_once(probe({server.url}), "unhealthy: response headers from " +
                                                      server.peer() + " exceed 16 KiB");
}

TEST(GrpcProbeHostile, AHugeDynamicTableSizeUpdateIsAProtocolError) {
    Hostile server(settings + frame(vigil::http2::headers, vigil::http2::flag_end_headers, 1,
                                    "\x3f\xe1\xff\xff\x7f\x88"));
    ASSERT_TRUE(server.server.listening());
    expect_unhealthy_at_once(probe({server.url}),
                             "unhealthy: HTTP/2 protocol error from " + server.peer() +
                                 ": HPACK table size update above the 4096 advertised");
}

TEST(GrpcProbeHostile, ASettingsFloodIsRefused) {
    std::string reply;
    for (int i = 0; i < 100000; ++i) reply += settings;
    Hostile server(reply);
    ASSERT_TRUE(server.server.listening());
    expect_unhealthy_at_once(probe({server.url}), "unhealthy: SETTINGS flood from " +
                                                      server.peer() + " (more than 100 frames)");
}

TEST(GrpcProbeHostile, GoawayAndRstStreamAreNamed) {
    Hostile goaway(settings + frame(vigil::http2::goaway, 0, 0,
                                    std::string("\0\0\0\0\0\0\0\x0b", 8) + "too_many_pings"));
    ASSERT_TRUE(goaway.server.listening());
    expect_unhealthy_at_once(probe({goaway.url}),
                             "unhealthy: GOAWAY from " + goaway.peer() +
                                 " (error ENHANCE_YOUR_CALM): \"too_many_pings\"");
    Hostile reset(settings + frame(vigil::http2::rst_stream, 0, 1, std::string("\0\0\0\x02", 4)));
    ASSERT_TRUE(reset.server.listening());
    expect_unhealthy_at_once(probe({reset.url}), "unhealthy: RST_STREAM from " + reset.peer() +
                                                     " (error INTERNAL_ERROR)");
}

TEST(GrpcProbeHostile, AnAnswerTrickledByteByByteStillCounts) {
    std::string reply =
        settings + grpc_headers +
        frame(vigil::http2::data, 0, 1, std::string("\0\0\0\0\x02\x08\x01", 7)) +
        frame(vigil::http2::headers, vigil::http2::flag_end_headers | vigil::http2::flag_end_stream,
              1, literal("grpc-status", "0"));
    Hostile server(reply, 2);
    ASSERT_TRUE(server.server.listening());
    RunOutput output = probe({server.url});
    EXPECT_EQ(output.result.exit_code, 0) << output.out;
    EXPECT_TRUE(starts_with(line_of(output), "healthy: gRPC SERVING from " + server.peer()))
        << output.out;
}

TEST(GrpcProbeHostile, AServerTooSlowToAnswerTimesOutSayingWhere) {
    Hostile dripping(settings + grpc_headers, 1000);
    ASSERT_TRUE(dripping.server.listening());
    RunOutput output = probe({"-t", "2500ms", dripping.url});
    EXPECT_EQ(output.result.exit_code, 1);
    EXPECT_GE(output.result.elapsed, 2500ms);
    EXPECT_LT(output.result.elapsed, 4000ms);
    EXPECT_TRUE(starts_with(line_of(output),
                            "unhealthy: timed out after 2.5s waiting for HTTP/2 "
                            "SETTINGS from " +
                                dripping.peer() + " ("))
        << output.out;

    Hostile settings_only(settings);
    ASSERT_TRUE(settings_only.server.listening());
    output = probe({"-t", "1s", settings_only.url});
    EXPECT_EQ(output.result.exit_code, 1);
    EXPECT_EQ(line_of(output), "unhealthy: timed out after 1s waiting for the gRPC response from " +
                                   settings_only.peer() + " (9 bytes received)");
}
