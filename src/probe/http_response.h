// Reads the head of an HTTP/1.x response as its bytes arrive, in any split,
// and stops at the end of the final header section: the body is left to
// http_body.h, read only when --expect asks for it, so an endless or enormous
// body costs nothing. Of the fields it keeps what the body's framing and
// --follow-redirects need: Content-Length, Transfer-Encoding, Location. Interim 1xx responses
// (100 Continue, 103 Early Hints) are skipped. The status line is parsed
// strictly, so an SSH banner, an HTTP/0.9 reply or garbage is reported as what
// it is instead of being mistaken for a status. Fixed memory, no allocation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace vigil {

// The largest header section accepted, interim responses included.
inline constexpr size_t max_header_bytes = 16 * 1024;
// The longest Location kept; a longer one is taken for no usable Location.
inline constexpr size_t max_location_bytes = 1024;

class ResponseParser {
  public:
    enum class State { more, done, failed };
    enum class Failure {
        none,
        not_http,         // the reply does not start with "HTTP/1.x "
        bad_status_line,  // "HTTP/1.1" then no 3-digit status or a bad reason phrase
        bad_header_line,  // a header line without "name:"
        bad_line_ending,  // a CR not followed by LF
        header_section_too_large,
    };

    // Ready for a new response (without clearing buffers it does not need to).
    void reset();

    // Consumes bytes up to the end of the final header section; returns how
    // many were used. Bytes after that (the body) are left alone.
    size_t feed(std::string_view bytes);

    State state() const { return state_; }
    int status() const { return status_; }  // the final status, once done
    Failure failure() const { return failure_; }
    const char* failure_text() const;  // "not an HTTP response", ...
    size_t bytes_seen() const { return seen_; }
    // The first bytes of the reply as they came, up to the first line break
    // or NUL: shows what answered when it was not HTTP. Raw bytes from the
    // server: escape them (base/escape.h) wherever they are written.
    std::string_view excerpt() const { return {excerpt_, excerpt_length_}; }

    // Of the final response, once done: its Content-Length (-1: none, or not
    // a number), whether its last transfer coding is chunked, and its
    // Location, trimmed (empty: none, or longer than max_location_bytes).
    int64_t content_length() const { return content_length_; }
    bool chunked() const { return chunked_; }
    std::string_view location() const {
        return location_length_ <= max_location_bytes
                   ? std::string_view(location_, location_length_)
                   : std::string_view();
    }

  private:
    enum class Phase {
        version,       // matching "HTTP/1." then a digit and a space
        status,        // three digits
        after_status,  // a space (then the reason phrase) or the line's end
        reason,
        line_start,  // first byte of a header line, or of the empty line
        header_name,
        header_value,
        expect_lf,  // after CR
    };

    enum class Field : uint8_t { other, content_length, transfer_encoding, location };

    void consume(char c);
    void name_character(char c);
    void value_character(char c);
    void end_field();
    void capture_excerpt(std::string_view bytes);
    void fail(Failure failure);
    void end_line();

    State state_ = State::more;
    Failure failure_ = Failure::none;
    Phase phase_ = Phase::version;
    size_t position_ = 0;  // within the version literal or the status digits
    int status_ = 0;
    bool blank_line_ = false;  // the line that ends at expect_lf was empty
    size_t seen_ = 0;
    char excerpt_[40];  // reset() and the writers keep what is read defined
    size_t excerpt_length_ = 0;
    bool excerpt_done_ = false;

    Field field_ = Field::other;
    char name_[18];  // the field name so far, lower case ("transfer-encoding" fits)
    size_t name_length_ = 0;
    int64_t content_length_ = -1;
    bool chunked_ = false;
    char coding_[8];  // the last 8 characters of Transfer-Encoding, lower case
    size_t coding_length_ = 0;
    size_t location_length_ = 0;
    char location_[max_location_bytes];  // not zeroed: only what is used is written
};

}  // namespace vigil
