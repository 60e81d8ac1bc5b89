// Fuzzes parse_url: any bytes must give a verdict, and an accepted URL's
// pieces must lie inside the text and be consistent with each other.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "probe/url.h"

namespace {

bool inside(std::string_view piece, std::string_view text) {
    return piece.empty() || (piece.data() >= text.data() &&
                             piece.data() + piece.size() <= text.data() + text.size());
}

void check(bool condition) {
    if (!condition)
        std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    vigil::UrlParse parsed = vigil::parse_url(text);
    if (!parsed.ok) {
        check(parsed.error && *parsed.error);
        return 0;
    }
    const vigil::Url& url = parsed.url;
    check(inside(url.host, text) && inside(url.authority, text) && inside(url.target, text));
    check(!url.host.empty() && url.port != 0);
    for (char c : url.target) check(static_cast<unsigned char>(c) > ' ' && c != 0x7f && c != '#');
    return 0;
}
