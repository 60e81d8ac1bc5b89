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
//
// Shaped for size, since the release binary must stay small: frames arrive
// whole (FrameReader) and one handler checks each and acts on it; a header
// block is decoded whole (HpackDecoder); the place that decides an outcome
// writes its summary at once, from one table of formats; the request is
// mostly one constant, written after a single check of the room it needs.
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

    GrpcHealthCall() { start(nullptr); }
    // A new connection to `peer` ("127.0.0.1:50051", named in the summary,
    // kept by the caller); the request is sent by the caller.
    void start(const char* peer);
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

    // The one-line summary of a finished call:
    //   healthy: gRPC SERVING from 127.0.0.1:50051 in 1.2 ms
    //   unhealthy: gRPC status UNIMPLEMENTED from 127.0.0.1:50051: unknown service
    void describe(char* out, size_t size, const char* elapsed) const;
    // Where a call that timed out was, before the peer in its summary:
    // "waiting for HTTP/2 SETTINGS from" (HealthCheck adds the rest).
    const char* waiting() const;

  private:
    static constexpr size_t max_message_bytes = 64;

    void on_frame();
    void on_data(const char* bytes, size_t length);
    void on_header_block(std::string_view block);
    void on_field(std::string_view name, std::string_view value);
    void end_of_stream();
    char* queue_frame(uint8_t type, uint8_t flags, uint32_t stream_id, size_t length);
    void keep_text(const char* text, size_t length);
    const char* name_or_number(const char* names, uint32_t number);
    void finish(Outcome outcome, const char* name = nullptr, const char* detail = nullptr,
                const char* detail_end = nullptr);
    void not_http2();
    enum class FrameProblem {
        inside_block,
        other_stream,
        after_trailers,
        trailers_not_ending,
        no_headers,
        before_headers,
        bad_shape,
        bad_setting,
        push,
    };
    void protocol_error(const char* problem);
    void frame_error(FrameProblem problem);
    void flood(const char* limit);
    void headers_too_large();

    // Everything a new connection starts afresh, all zero at first; the
    // arrays last, so that the rest lies at small offsets (shorter code).
    struct State {
        Outcome outcome;
        const char* peer;
        size_t received;
        size_t text_length;
        size_t quoted_length;  // of the text escaped in the summary
        // The connection.
        bool settings_seen;  // the server's first SETTINGS
        int settings_frames;
        int pings;
        uint32_t unacknowledged_data;  // DATA bytes not yet given back by WINDOW_UPDATE
        // The stream: header blocks (response headers, then trailers), DATA.
        int blocks;
        bool in_block;  // CONTINUATION must follow
        bool block_ends_stream;
        int block_frames;
        size_t field_bytes;   // of the block's header list, as SETTINGS_MAX_HEADER_LIST_SIZE
        int64_t http_status;  // 0: none yet, or not three digits
        bool content_type_not_grpc;
        bool grpc_status_seen;
        bool grpc_status_bad;
        int64_t grpc_status;
        uint32_t serving_status;  // of the HealthCheckResponse
        size_t data_length;       // of all DATA
        size_t output_length;
        size_t output_sent;
        // The DATA bytes: one gRPC message, its 5-byte prefix and a
        // HealthCheckResponse, is all there should be; more are counted.
        char message[5 + max_message_bytes];
        char number[12];  // a code without a name, written out
        // What the server said that a summary may quote: the first bytes
        // when they are not HTTP/2, a content-type that is not gRPC's,
        // grpc-message (percent-decoded), GOAWAY's debug data.
        char text[160];
        // The summary after its verdict, written when the outcome is
        // decided; a healthy one ends in " in ", before the time it took.
        char summary[201];
    };

    State state_;
    FrameReader reader_;
    HpackDecoder hpack_;
    // What to send: acknowledgements and window updates. The first flight
    // is the caller's (build_grpc_request).
    char output_[grpc_max_receive_bytes + 256];
};

}  // namespace vigil
