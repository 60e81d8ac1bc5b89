#include "probe/http_response.h"

#include "base/text.h"

namespace vigil {
namespace {

constexpr std::string_view version_prefix = "HTTP/1.";

// Reason phrases and field values: HTAB, SP, visible ASCII and obs-text.
bool is_text_character(char c) {
    unsigned char byte = static_cast<unsigned char>(c);
    return byte == '\t' || (byte >= ' ' && byte != 0x7f);
}

}  // namespace

const char* ResponseParser::failure_text() const {
    switch (failure_) {
        case Failure::none:
            return "";
        case Failure::not_http:
            return "not an HTTP response";
        case Failure::bad_status_line:
            return "malformed HTTP status line";
        case Failure::bad_header_line:
            return "malformed HTTP header line";
        case Failure::bad_line_ending:
            return "malformed HTTP line ending";
        case Failure::header_section_too_large:
            return "response headers exceed 16 KiB";
    }
    return "";
}

void ResponseParser::reset() {
    state_ = State::more;
    failure_ = Failure::none;
    phase_ = Phase::version;
    position_ = 0;
    status_ = 0;
    blank_line_ = false;
    seen_ = 0;
    excerpt_length_ = 0;
    excerpt_done_ = false;
    field_ = Field::other;
    name_length_ = 0;
    content_length_ = -1;
    chunked_ = false;
    coding_length_ = 0;
    location_length_ = 0;
}

void ResponseParser::name_character(char c) {
    if (name_length_ < sizeof name_)
        name_[name_length_] = ascii_lower(c);
    ++name_length_;  // past sizeof name_: a name of no interest
}

// The fields that the body's framing and redirects need; every other field
// is only checked for its syntax.
void ResponseParser::value_character(char c) {
    bool space = c == ' ' || c == '\t';
    switch (field_) {
        case Field::other:
            return;
        case Field::content_length:
            if (space)
                return;
            if (!is_digit(c) || content_length_ >= (int64_t{1} << 50)) {
                content_length_ = -1;  // not a length vigil can trust: read to the close
                field_ = Field::other;
                return;
            }
            content_length_ = (content_length_ < 0 ? 0 : content_length_ * 10) + (c - '0');
            return;
        case Field::transfer_encoding:
            if (space)
                return;
            if (coding_length_ == sizeof coding_) {
                for (size_t i = 1; i < sizeof coding_; ++i) coding_[i - 1] = coding_[i];
                --coding_length_;
            }
            coding_[coding_length_++] = ascii_lower(c);
            return;
        case Field::location:
            if (space && location_length_ == 0)
                return;  // leading whitespace
            if (location_length_ < max_location_bytes)
                location_[location_length_] = c;
            ++location_length_;  // past the limit: too long to follow
            return;
    }
}

void ResponseParser::end_field() {
    if (field_ == Field::transfer_encoding)
        chunked_ =
            coding_length_ >= 7 && std::string_view(coding_ + coding_length_ - 7, 7) == "chunked";
    while (field_ == Field::location && location_length_ > 0 &&
           location_length_ <= max_location_bytes &&
           (location_[location_length_ - 1] == ' ' || location_[location_length_ - 1] == '\t'))
        --location_length_;
    field_ = Field::other;
    name_length_ = 0;
}

void ResponseParser::fail(Failure failure) {
    state_ = State::failed;
    failure_ = failure;
}

// A line ended (CRLF, or a bare LF, which RFC 9112 lets recipients accept).
void ResponseParser::end_line() {
    end_field();
    if (!blank_line_) {
        phase_ = Phase::line_start;
        blank_line_ = true;
        return;
    }
    // The end of a header section. 1xx responses are interim, except 101,
    // which switches protocols and so is final (and never healthy by default).
    if (status_ >= 100 && status_ < 200 && status_ != 101) {
        phase_ = Phase::version;
        position_ = 0;
        status_ = 0;
        blank_line_ = false;
        content_length_ = -1;  // the interim response's fields are not the final one's
        chunked_ = false;
        location_length_ = 0;
        return;
    }
    state_ = State::done;
}

// The excerpt is taken from every byte that arrives, not only the ones the
// parser consumed: it stops at the first wrong byte, and the message should
// show the whole banner ("SSH-2.0-OpenSSH_9.2p1"), not its first letter. The
// bytes are kept as they came, to be escaped where they are written.
void ResponseParser::capture_excerpt(std::string_view bytes) {
    for (char c : bytes) {
        if (excerpt_done_)
            return;
        if (c == '\r' || c == '\n' || c == '\0' || excerpt_length_ == sizeof excerpt_)
            excerpt_done_ = true;
        else
            excerpt_[excerpt_length_++] = c;
    }
}

void ResponseParser::consume(char c) {
    if (c == '\n' && phase_ != Phase::version && phase_ != Phase::status) {
        if (phase_ == Phase::header_name)
            return fail(Failure::bad_header_line);
        return end_line();
    }
    switch (phase_) {
        case Phase::version:
            if (position_ < version_prefix.size()    ? c != version_prefix[position_]
                : position_ == version_prefix.size() ? !is_digit(c)
                                                     : c != ' ')
                return fail(Failure::not_http);
            if (++position_ == version_prefix.size() + 2) {
                phase_ = Phase::status;
                position_ = 0;
            }
            return;
        case Phase::status:
            if (!is_digit(c) || (position_ == 0 && c == '0'))
                return fail(Failure::bad_status_line);
            status_ = status_ * 10 + (c - '0');
            if (++position_ == 3)
                phase_ = Phase::after_status;
            return;
        case Phase::after_status:
            blank_line_ = false;
            if (c == '\r')
                phase_ = Phase::expect_lf;
            else if (c == ' ')
                phase_ = Phase::reason;
            else
                fail(Failure::bad_status_line);
            return;
        case Phase::reason:
            if (c == '\r')
                phase_ = Phase::expect_lf;
            else if (!is_text_character(c))
                fail(Failure::bad_status_line);
            return;
        case Phase::line_start:
            if (c == '\r') {
                phase_ = Phase::expect_lf;
                return;
            }
            blank_line_ = false;
            if (c == ':')
                return fail(Failure::bad_header_line);  // no name
            // A line starting with whitespace continues the previous field
            // (obsolete line folding): harmless to a reader of the status.
            if (c == ' ' || c == '\t') {
                phase_ = Phase::header_value;
                return;
            }
            phase_ = Phase::header_name;
            [[fallthrough]];
        case Phase::header_name:
            if (c == ':') {
                phase_ = Phase::header_value;
                std::string_view name(name_, name_length_ <= sizeof name_ ? name_length_ : 0);
                field_ = name == "content-length"      ? Field::content_length
                         : name == "transfer-encoding" ? Field::transfer_encoding
                         : name == "location"          ? Field::location
                                                       : Field::other;
                if (field_ == Field::location)
                    location_length_ = 0;  // a second Location replaces the first
                if (field_ == Field::transfer_encoding)
                    coding_length_ = 0;
            } else if (!is_token_character(c)) {
                fail(Failure::bad_header_line);
            } else {
                name_character(c);
            }
            return;
        case Phase::header_value:
            if (c == '\r')
                phase_ = Phase::expect_lf;
            else if (!is_text_character(c))
                fail(Failure::bad_header_line);
            else
                value_character(c);
            return;
        case Phase::expect_lf:
            fail(Failure::bad_line_ending);  // a '\n' was handled above
            return;
    }
}

size_t ResponseParser::feed(std::string_view bytes) {
    if (state_ == State::more)
        capture_excerpt(bytes);
    size_t used = 0;
    while (state_ == State::more && used < bytes.size()) {
        if (seen_ == max_header_bytes) {
            fail(Failure::header_section_too_large);
            break;
        }
        ++seen_;
        consume(bytes[used++]);
    }
    return used;
}

}  // namespace vigil
