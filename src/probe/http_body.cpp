#include "probe/http_body.h"

#include <cstring>

namespace vigil {
namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    c = static_cast<char>(c | 0x20);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

}  // namespace

void BodyReader::start(Framing framing, uint64_t length) {
    framing_ = framing;
    remaining_ = framing == Framing::length ? length : 0;  // a chunk's size starts at 0
    chunk_ = Chunk::size;
    chunk_size_digits_ = false;
    trailer_line_empty_ = true;
    cut_ = false;
    length_ = 0;
    state_ = State::more;
    if (framing == Framing::none || (framing == Framing::length && length == 0))
        finish();
}

void BodyReader::take(std::string_view data) {
    size_t room = max_body_bytes - length_;
    size_t taken = data.size() < room ? data.size() : room;
    std::memcpy(body_ + length_, data.data(), taken);
    length_ += taken;
    if (length_ == max_body_bytes) {
        cut_ = true;  // what follows is never needed
        finish();
    }
}

void BodyReader::feed(std::string_view bytes) {
    if (state_ != State::more)
        return;
    if (framing_ == Framing::close) {
        take(bytes);
        return;
    }
    if (framing_ == Framing::length) {
        std::string_view part =
            bytes.substr(0, remaining_ < bytes.size() ? remaining_ : bytes.size());
        remaining_ -= part.size();
        take(part);
        if (remaining_ == 0)
            finish();
        return;
    }
    // Chunked (RFC 9112, 7.1): SIZE[;ext] CRLF DATA CRLF ... 0 CRLF trailers CRLF.
    // A bare LF is taken for CRLF, as recipients may (RFC 9112, 2.2).
    for (size_t i = 0; i < bytes.size() && state_ == State::more;) {
        char c = bytes[i];
        switch (chunk_) {
            case Chunk::size: {
                int digit = hex_value(c);
                if (digit >= 0) {
                    if (remaining_ >> 40)
                        return fail();  // a chunk of a terabyte: no health endpoint's
                    remaining_ = remaining_ * 16 + static_cast<unsigned>(digit);
                    chunk_size_digits_ = true;
                } else if (chunk_size_digits_ && (c == ';' || c == ' ' || c == '\t')) {
                    chunk_ = Chunk::extension;
                } else if (chunk_size_digits_ && c == '\r') {
                    chunk_ = Chunk::size_lf;
                } else if (chunk_size_digits_ && c == '\n') {
                    chunk_ = remaining_ ? Chunk::data : Chunk::trailer;
                } else {
                    return fail();  // no digit first, or a byte that cannot follow one
                }
                ++i;
                break;
            }
            case Chunk::extension:
                if (c == '\r')
                    chunk_ = Chunk::size_lf;
                else if (c == '\n')
                    chunk_ = remaining_ ? Chunk::data : Chunk::trailer;
                ++i;
                break;
            case Chunk::size_lf:
                if (c != '\n')
                    return fail();
                chunk_ = remaining_ ? Chunk::data : Chunk::trailer;
                ++i;
                break;
            case Chunk::data: {
                size_t available = bytes.size() - i;
                size_t part = remaining_ < available ? static_cast<size_t>(remaining_) : available;
                take(bytes.substr(i, part));
                remaining_ -= part;
                i += part;
                if (remaining_ == 0)
                    chunk_ = Chunk::data_cr;
                break;
            }
            case Chunk::data_cr:
                if (c != '\r' && c != '\n')
                    return fail();
                chunk_ = c == '\r' ? Chunk::data_lf : Chunk::size;
                chunk_size_digits_ = false;
                ++i;
                break;
            case Chunk::data_lf:
                if (c != '\n')
                    return fail();
                chunk_ = Chunk::size;
                chunk_size_digits_ = false;
                ++i;
                break;
            case Chunk::trailer:
                if (c == '\r') {
                    chunk_ = Chunk::trailer_lf;
                } else if (c == '\n') {
                    if (trailer_line_empty_)
                        return finish();
                    trailer_line_empty_ = true;
                } else {
                    trailer_line_empty_ = false;
                }
                ++i;
                break;
            case Chunk::trailer_lf:
                if (c != '\n')
                    return fail();
                if (trailer_line_empty_)
                    return finish();
                trailer_line_empty_ = true;
                chunk_ = Chunk::trailer;
                ++i;
                break;
        }
    }
}

void BodyReader::end_of_input() {
    if (state_ != State::more)
        return;
    if (framing_ == Framing::close)
        finish();
    else
        fail();  // cut short: Content-Length or the last chunk never came
}

}  // namespace vigil
