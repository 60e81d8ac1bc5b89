// Fuzzes the HPACK decoder: header blocks split into pieces at random must
// decode to the same fields and the same dynamic table, which never grows
// beyond what was advertised. The first byte picks the split; the rest is
// header blocks decoded on one table, each after its length in two bytes
// (big-endian); whatever is left when a length runs past the end is the
// last block.
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

void on_field(void* context, std::string_view name, std::string_view value, bool complete) {
    auto* digest = static_cast<Digest*>(context);
    check(name.size() + value.size() <= vigil::hpack_field_bytes);
    digest->add(name);
    digest->add(value);
    digest->add(complete ? "1" : "0");
    ++digest->fields;
}

struct Result {
    Digest digest;
    vigil::HpackDecoder::Error error;
    size_t table_size;
    size_t entries;
};

Result decode(std::string_view input, size_t piece) {
    static vigil::HpackDecoder decoder;  // 8 KiB: keep it off the stack
    decoder.reset();
    Result result{};
    vigil::HpackFieldSink sink{on_field, &result.digest};
    bool ok = true;
    while (ok && !input.empty()) {
        size_t end = std::string_view::npos;
        if (input.size() >= 2) {
            end = static_cast<unsigned char>(input[0]) << 8 | static_cast<unsigned char>(input[1]);
            input.remove_prefix(2);
            if (end >= input.size())
                end = std::string_view::npos;
        }
        std::string_view block = input.substr(0, end);
        decoder.begin_block();
        for (size_t at = 0; at < block.size() && ok; at += piece)
            ok = decoder.feed(block.substr(at, piece), sink);
        ok = ok && decoder.end_block();
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
    size_t piece = 1 + data[0] % 16;
    std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
    Result whole = decode(input, input.size() + 1);
    Result pieces = decode(input, piece);
    check(whole.error == pieces.error);
    check(whole.digest.value == pieces.digest.value);
    check(whole.digest.fields == pieces.digest.fields);
    check(whole.table_size == pieces.table_size);
    check(whole.entries == pieces.entries);
    return 0;
}
