// The body of an HTTP/1.1 response, read only when --expect asks for it and
// only its first max_body_bytes: framed by Content-Length, by chunked
// transfer coding, or by the connection's end (RFC 9112, 6.3), decoded as
// its bytes arrive in any split, kept in a fixed buffer. Health endpoints
// that answer 200 with the real state in the body ({"status":"DOWN"} from a
// Spring Boot actuator) are judged by whether that first part contains a
// fixed text, as users do with `curl | grep`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace vigil {

// As much of the body as is read, and searched: the kubelet reads 10 KiB of
// an HTTP probe's body; so does vigil.
inline constexpr size_t max_body_bytes = 10 * 1024;

class BodyReader {
  public:
    enum class Framing {
        none,     // no body: HEAD, 1xx, 204, 304
        length,   // Content-Length
        chunked,  // Transfer-Encoding: chunked
        close,    // until the server closes the connection
    };
    enum class State { more, done, failed };

    // Starts a body of `framing`; `length` for Framing::length.
    void start(Framing framing, uint64_t length = 0);

    // Consumes body bytes. Done once the body ended or max_body_bytes of it
    // are in; failed on a malformed chunk.
    void feed(std::string_view bytes);
    // The connection ended: the end of a close-delimited body; for the
    // others, a body cut short (failed, unless enough is in already).
    void end_of_input();

    State state() const { return state_; }
    // The decoded body read so far (at most max_body_bytes).
    std::string_view body() const { return {body_, length_}; }
    bool cut_at_limit() const { return cut_; }

  private:
    enum class Chunk { size, extension, size_lf, data, data_cr, data_lf, trailer, trailer_lf };

    void take(std::string_view data);
    void finish() { state_ = State::done; }
    void fail() { state_ = State::failed; }

    Framing framing_ = Framing::none;
    State state_ = State::done;
    uint64_t remaining_ = 0;  // of the Content-Length, or of the current chunk
    Chunk chunk_ = Chunk::size;
    bool chunk_size_digits_ = false;
    bool trailer_line_empty_ = true;
    bool cut_ = false;
    size_t length_ = 0;
    char body_[max_body_bytes];
};

}  // namespace vigil
