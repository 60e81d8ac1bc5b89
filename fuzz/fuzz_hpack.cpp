// Fuzzes the HPACK decoder: header blocks decoded on one table, whose
// dynamic table never grows beyond what was advertised, and whose fields
// stay within their bounds. Decoding twice on fresh tables must give the
// same fields and the same table: nothing may depend on memory left over.
// The first byte is ignored (it once picked how blocks were split, when the
// decoder read them in pieces; the corpus keeps it); the rest is header
// blocks, each after its length in two bytes (big-endian); whatever is left
// when a length runs past the end is the last block.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "probe/hpack.h"

namespace {

void check(bool condition) {
    if (!condition)
        std::abort();
}

// A running digest of the fields, to compare two decodings cheaply.
struct Digest {
    uint64_t value = 1469598103934665603ull;
    size_t fields = 0;
    void add(std::string_view text) {
        for (char c : text) value = (value ^ static_cast<unsigned char>(c)) * 1099511628211ull;
        value = (value ^ 0x100) * 1099511628211ull;
    }
};

struct Result {
    Digest digest;
    vigil::HpackDecoder::Error error;
    size_t table_size;
    size_t entries;
};

Result decode(std::string_view input) {
    static vigil::HpackDecoder decoder;  // 8 KiB: keep it off the stack
    decoder.reset();
    Result result{};
    bool ok = true;
    while (ok && !input.empty()) {
        size_t end = std::string_view::npos;
        if (input.size() >= 2) {
            end = static_cast<unsigned char>(input[0]) << 8 | static_cast<unsigned char>(input[1]);
            input.remove_prefix(2);
            if (end >= input.size())
                end = std::string_view::npos;
        }
        decoder.begin_block(input.substr(0, end));
        while (decoder.next()) {
            check(decoder.name().size() + decoder.value().size() <= vigil::hpack_field_bytes);
            result.digest.add(decoder.name());
            result.digest.add(decoder.value());
            result.digest.add(decoder.field_cut() ? "0" : "1");
            ++result.digest.fields;
        }
        ok = decoder.error() == vigil::HpackDecoder::Error::none;
        check(decoder.table_size() <= decoder.table_max_size());
        check(decoder.table_max_size() <= vigil::hpack_table_size);
        check(decoder.table_entries() <= vigil::hpack_table_size / 32);
        if (end == std::string_view::npos)
            break;
        input.remove_prefix(end);
    }
    result.error = decoder.error();
    result.table_size = decoder.table_size();
    result.entries = decoder.table_entries();
    return result;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1)
        return 0;
    std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
    Result first = decode(input);
    Result second = decode(input);
    check(first.error == second.error);
    check(first.digest.value == second.digest.value);
    check(first.digest.fields == second.digest.fields);
    check(first.table_size == second.table_size);
    check(first.entries == second.entries);
    return 0;
}
