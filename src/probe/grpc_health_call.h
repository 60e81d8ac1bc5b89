// One `grpc.health.v1.Health/Check` call over HTTP/2 without TLS ("prior
// knowledge", RFC 9113 §3.3), the way gRPC servers listen inside a container
// or pod: the client side of one connection with one stream, as a pure state
// machine. It is fed the bytes the server sends, says what to send back
// (SETTINGS and PING acknowledgements, WINDOW_UPDATE) and, in the end, the
// verdict and its one-line summary. No sockets and no clock here: the
// probe's HealthCheck does the I/O and keeps the deadline.
//
// What HTTP/2 needs for this and no more: the connection preface and the
// SETTINGS exchange, HEADERS with CONTINUATION, DATA, trailers (and
// trailers-only responses), PING answered, WINDOW_UPDATE when the server
// sent enough DATA to need one, GOAWAY and RST_STREAM. vigil advertises what
// it can hold without the heap: a 4096-byte HPACK table (the default), the
// 16384-byte frame size floor, no server push, and 16 KiB of response
// headers, the cap of the HTTP/1.1 probe. Server push, other streams and
// compression are refused as protocol errors; unknown frame types and
// PRIORITY are ignored as RFC 9113 requires.
//
// Healthy only when the call ends with grpc-status 0 and a
// HealthCheckResponse saying SERVING. Every other end is unhealthy and says
// why: the serving status, a gRPC error status with its name and message,
// not HTTP/2, not gRPC, GOAWAY, RST_STREAM, a protocol error, a flood.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "probe/hpack.h"
#include "probe/http2_frame.h"

namespace vigil {

struct GrpcCallSpec {
    std::string_view authority;            // :authority, the URL's HOST:PORT
    std::string_view service;              // HealthCheckRequest.service; empty: the server
    std::span<const char* const> headers;  // -H "Name: value": metadata (Host: :authority)
};

// The client's whole first flight: preface, SETTINGS, the request HEADERS
// (with grpc-timeout for `timeout_ms`) and the DATA frame with the
// HealthCheckRequest, which ends the stream. Returns its length, or 0 when
// it does not fit in `size` bytes.
size_t build_grpc_request(const GrpcCallSpec& spec, int64_t timeout_ms, char* out, size_t size);

// The most bytes to give receive() at once: what the server sends back is
// then always small enough for output().
inline constexpr size_t grpc_max_receive_bytes = 2048;

class GrpcHealthCall {
  public:
    enum class Outcome {
        pending,
        serving_status,     // grpc-status 0 and a HealthCheckResponse
        grpc_status,        // a gRPC error status (UNIMPLEMENTED, NOT_FOUND, ...)
        not_http2,          // the first bytes are no HTTP/2 SETTINGS frame
        http_status,        // :status other than 200
        not_grpc,           // a content-type other than application/grpc
        goaway,             // GOAWAY with an error, or before our stream
        rst_stream,         // the server reset the stream
        protocol_error,     // anything else HTTP/2 or HPACK forbids
        headers_too_large,  // more than 16 KiB of response headers
        flood,              // too many SETTINGS, PING or CONTINUATION frames
        bad_message,        // no, several or a malformed HealthCheckResponse
        no_grpc_status,     // the stream ended without grpc-status
        closed,             // the connection ended first
    };

    // The member initializers are what start() sets.
    GrpcHealthCall() = default;
    // A new connection; the request is sent by the caller.
    void start();
    // Bytes from the server, at most grpc_max_receive_bytes, given only
    // when output() is empty.
    void receive(std::string_view bytes);
    // The server closed the connection.
    void connection_closed();

    // What to send to the server, and how much of it was sent.
    std::string_view output() const {
        return {output_ + state_.output_sent, state_.output_length - state_.output_sent};
    }
    void output_sent(size_t bytes);

    Outcome outcome() const { return state_.outcome; }
    bool done() const { return state_.outcome != Outcome::pending; }
    bool healthy() const {
        return state_.outcome == Outcome::serving_status && state_.serving_status == 1;
    }
    size_t bytes_received() const { return state_.received; }

    // The one-line summary of a finished call, and of one that timed out:
    //   healthy: gRPC SERVING from 127.0.0.1:50051 in 1.2 ms
    //   unhealthy: gRPC status UNIMPLEMENTED from 127.0.0.1:50051: unknown service
    void describe(char* out, size_t size, const char* peer, const char* elapsed) const;
    void describe_timeout(char* out, size_t size, const char* timeout, const char* peer) const;

  private:
    static constexpr size_t max_message_bytes = 64;

    void on_field(std::string_view name, std::string_view value, bool complete);
    void on_frame_start();
    void on_content(std::string_view piece);
    void on_frame_end();
    void on_header_block();
    void on_data(std::string_view piece);
    void end_of_stream();
    void queue_frame(uint8_t type, uint8_t flags, uint32_t stream_id, const char* payload,
                     size_t length);
    void finish(Outcome outcome, const char* problem = nullptr);
    void frame_error(const char* problem);
    void flood(int limit);
    uint32_t control_word(size_t at) const;

    // Everything a new connection starts afresh, all zero at first.
    struct State {
        Outcome outcome;
        const char* problem;       // for protocol_error, bad_message
        bool problem_names_frame;  // problem follows the frame type's name
        uint8_t frame_type;        // of frame_error() and flood
        int flood_limit;
        size_t received;
        size_t excerpt_length;
        // The connection.
        bool settings_seen;  // the server's first SETTINGS
        bool goaway_seen;
        int settings_frames;
        int pings;
        uint32_t unacknowledged_data;  // DATA bytes not yet given back by WINDOW_UPDATE
        uint32_t error_code;           // of GOAWAY or RST_STREAM
        size_t goaway_debug_length;
        size_t control_length;
        // The stream: header blocks (response headers, then trailers), DATA.
        int blocks;
        bool in_block;  // CONTINUATION must follow
        bool block_ends_stream;
        size_t block_bytes;
        int block_frames;
        size_t field_bytes;    // of the block's header list, as SETTINGS_MAX_HEADER_LIST_SIZE
        uint32_t http_status;  // 0: none yet, or not three digits
        bool content_type_not_grpc;
        size_t content_type_length;
        bool grpc_status_seen;
        bool grpc_status_bad;
        uint32_t grpc_status;
        size_t grpc_message_length;
        size_t prefix_length;  // of a gRPC message: flag and length
        uint32_t message_length;
        size_t message_have;
        bool in_message;
        int messages;
        uint32_t serving_status;
        size_t output_length;
        size_t output_sent;
    };

    State state_{};
    FrameReader reader_;
    HpackDecoder hpack_;
    char excerpt_[40];          // the first bytes: what answered, if not HTTP/2
    char goaway_debug_[48];     // GOAWAY's debug data, the start of it
    unsigned char control_[8];  // a small control frame's payload, or one setting
    char content_type_[40];
    char grpc_message_[160];
    unsigned char prefix_[5];
    char message_[max_message_bytes];
    // What to send: acknowledgements and window updates. The first flight
    // is the caller's (build_grpc_request).
    char output_[grpc_max_receive_bytes + 256];
};

}  // namespace vigil
