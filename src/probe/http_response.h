// Reads the head of an HTTP/1.x response as its bytes arrive, in any split,
// and stops at the end of the final header section: the body is never
// needed, so an endless or enormous body costs nothing. Interim 1xx responses
// (100 Continue, 103 Early Hints) are skipped. The status line is parsed
// strictly, so an SSH banner, an HTTP/0.9 reply or garbage is reported as what
// it is instead of being mistaken for a status. Fixed memory, no allocation.
#pragma once

#include <cstddef>
#include <string_view>

namespace vigil {

// The largest header section accepted, interim responses included.
inline constexpr size_t max_header_bytes = 16 * 1024;

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

    void consume(char c);
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
    char excerpt_[40] = {};
    size_t excerpt_length_ = 0;
    bool excerpt_done_ = false;
};

}  // namespace vigil
