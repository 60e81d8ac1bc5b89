// Fuzzes the body reader of --expect: a body framed by Content-Length,
// chunked coding or the connection's end, fed whole and in pieces of a size
// the first bytes choose. The verdict and the decoded body do not depend on
// the split, the body never exceeds max_body_bytes, a Content-Length body
// is never longer than its length, and an unframed body is empty.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

#include "fuzz_check.h"
#include "probe/http_body.h"

using vigil::BodyReader;
using vigil_fuzz::check;

namespace {

std::unique_ptr<BodyReader> read(BodyReader::Framing framing, uint64_t length,
                                 std::string_view bytes, size_t piece, bool end) {
    auto reader = std::make_unique<BodyReader>();
    reader->start(framing, length);
    for (size_t at = 0; at < bytes.size() && reader->state() == BodyReader::State::more;
         at += piece)
        reader->feed(bytes.substr(at, piece));
    if (end && reader->state() == BodyReader::State::more)
        reader->end_of_input();
    return reader;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 4)
        return 0;
    auto framing = static_cast<BodyReader::Framing>(data[0] % 4);
    uint64_t length = data[1] | data[2] << 8;
    size_t piece = 1 + data[3] % 32;
    bool end = data[0] & 4;
    std::string_view bytes(reinterpret_cast<const char*>(data + 4), size - 4);

    auto whole = read(framing, length, bytes, bytes.size() + 1, end);
    auto pieces = read(framing, length, bytes, piece, end);
    check(whole->state() == pieces->state());
    check(whole->body() == pieces->body());
    check(whole->body().size() <= vigil::max_body_bytes);
    if (framing == BodyReader::Framing::length)
        check(whole->body().size() <= length);
    if (framing == BodyReader::Framing::none)
        check(whole->body().empty() && whole->state() == BodyReader::State::done);
    return 0;
}
