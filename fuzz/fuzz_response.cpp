// Fuzzes ResponseParser: the first bytes pick how the rest is split into
// pieces, and the verdict must not depend on the split. A finished parse
// must hold a status from 100 to 999 and never take more than 16 KiB.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "probe/http_response.h"

namespace {

void check(bool condition) {
    if (!condition)
        std::abort();
}

vigil::ResponseParser feed_in_pieces(std::string_view bytes, size_t piece) {
    vigil::ResponseParser parser;
    for (size_t at = 0; at < bytes.size() && parser.state() == vigil::ResponseParser::State::more;
         at += piece)
        parser.feed(bytes.substr(at, piece));
    return parser;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1)
        return 0;
    size_t piece = 1 + data[0] % 16;
    std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);

    vigil::ResponseParser whole;
    size_t used = whole.feed(bytes);
    vigil::ResponseParser pieces = feed_in_pieces(bytes, piece);

    check(whole.state() == pieces.state());
    check(whole.failure() == pieces.failure());
    check(used <= bytes.size() && used <= vigil::max_header_bytes);
    check(whole.bytes_seen() == used);
    check(whole.excerpt().size() <= 40);
    if (whole.state() == vigil::ResponseParser::State::done) {
        check(whole.status() >= 100 && whole.status() <= 999);
        check(whole.status() == pieces.status());
    }
    return 0;
}
