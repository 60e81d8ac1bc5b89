#include "probe/hpack.h"

#include <cstring>

#include "base/text.h"

namespace vigil {
namespace {

// RFC 7541 Appendix B's Huffman code is canonical: the codes of each length
// follow those of the shorter lengths in order of symbol value. So the code
// is fully given by how many codes each length has (1 to 30 bits) and the
// symbols in code order; the decoder walks it one bit at a time. EOS (256),
// the last code, is not in the list.
constexpr uint8_t huffman_counts[31] = {0, 0, 0, 0, 0, 10, 26, 32, 6,  0, 5,  3,  2,  6, 2, 3,
                                        0, 0, 0, 3, 8, 13, 26, 29, 12, 4, 15, 19, 29, 0, 4};
constexpr char huffman_symbols[] =
    "012aceiost %-./3456789=A_bdfghlmnpru:BCDEFGHIJKLMNOPQRSTUVWYjkqvwxyz&*,;XZ!\042()\077'+|"
    "#>\000$@[]~^}<`{\134\303\320\200\202\203\242\270\302\340\342\231\241\247\254\260\261\263"
    "\321\330\331\343\345\346\201\204\205\206\210\222\232\234\240\243\244\251\252\255\262\265"
    "\271\272\273\275\276\304\306\344\350\351\001\207\211\212\213\214\215\217\223\225\226\227"
    "\230\233\235\236\245\246\250\256\257\264\266\267\274\277\305\347\357\011\216\220\221\224"
    "\237\253\316\327\341\354\355\307\317\352\353\300\301\310\311\312\315\322\325\332\333\356"
    "\360\362\363\377\313\314\323\324\326\335\336\337\361\364\365\366\367\370\372\373\374\375"
    "\376\002\003\004\005\006\007\010\013\014\016\017\020\021\022\023\024\025\027\030\031\032"
    "\033\034\035\036\037\177\334\371\012\015\026";
static_assert(sizeof huffman_symbols == 257);

// RFC 7541 Appendix A, the 61 entries of the static table in order, one a
// line. Entries 1 to 16 have a value (some empty) after a tab; the others
// have none.
constexpr char static_table_text[] =
    ":authority\t\n"                                                          // 1
    ":method\tGET\n"                                                          // 2
    ":method\tPOST\n"                                                         // 3
    ":path\t/\n"                                                              // 4
    ":path\t/index.html\n"                                                    // 5
    ":scheme\thttp\n"                                                         // 6
    ":scheme\thttps\n"                                                        // 7
    ":status\t200\n"                                                          // 8
    ":status\t204\n"                                                          // 9
    ":status\t206\n"                                                          // 10
    ":status\t304\n"                                                          // 11
    ":status\t400\n"                                                          // 12
    ":status\t404\n"                                                          // 13
    ":status\t500\n"                                                          // 14
    "accept-charset\t\n"                                                      // 15
    "accept-encoding\tgzip, deflate\n"                                        // 16
    "accept-language\naccept-ranges\naccept\naccess-control-allow-origin\n"   // 17 to 20
    "age\nallow\nauthorization\ncache-control\ncontent-disposition\n"         // 21 to 25
    "content-encoding\ncontent-language\ncontent-length\ncontent-location\n"  // 26 to 29
    "content-range\ncontent-type\ncookie\ndate\netag\nexpect\nexpires\n"      // 30 to 36
    "from\nhost\nif-match\nif-modified-since\nif-none-match\nif-range\n"      // 37 to 42
    "if-unmodified-since\nlast-modified\nlink\nlocation\nmax-forwards\n"      // 43 to 47
    "proxy-authenticate\nproxy-authorization\nrange\nreferer\nrefresh\n"      // 48 to 52
    "retry-after\nserver\nset-cookie\nstrict-transport-security\n"            // 53 to 56
    "transfer-encoding\nuser-agent\nvary\nvia\nwww-authenticate\n";           // 57 to 61
constexpr uint32_t static_entries = 61;
constexpr uint32_t static_entries_with_values = 16;

constexpr uint32_t count_of(char c) {
    uint32_t count = 0;
    for (char in : static_table_text) count += in == c;
    return count;
}
static_assert(count_of('\n') == static_entries && count_of('\t') == static_entries_with_values);

// The binary holds the static table as the strings of a header block
// (§5.2), Huffman-coded: the decoder reads it as it reads a block, and it
// takes 575 bytes rather than 806. It is made here, at compile time.
struct HuffmanCode {
    uint32_t bits = 0;
    int length = 0;
};

constexpr HuffmanCode huffman_code(unsigned char symbol) {
    uint32_t code = 0;
    size_t index = 0;
    for (int length = 1; length <= 30; ++length, code <<= 1)
        for (int i = 0; i < huffman_counts[length]; ++i, ++code, ++index)
            if (index < 256 && static_cast<unsigned char>(huffman_symbols[index]) == symbol)
                return {code, length};
    return {};
}

// Writes the table's strings at `out` (when not null); returns their length.
constexpr size_t encode_static_table(unsigned char* out) {
    size_t length = 0;
    const char* text = static_table_text;
    while (*text) {
        const char* end = text;
        while (*end != '\t' && *end != '\n') ++end;
        // A string: its length (the Huffman bit and 7 bits: all are short),
        // then the codes, the last byte padded with ones (the start of EOS).
        uint64_t bits = 0;
        for (const char* c = text; c < end; ++c)
            bits += static_cast<uint64_t>(huffman_code(static_cast<unsigned char>(*c)).length);
        size_t bytes = (bits + 7) / 8;
        if (out) {
            out[length] = static_cast<unsigned char>(0x80 | bytes);
            uint64_t pending = 0;
            int pending_bits = 0;
            size_t at = length + 1;
            for (const char* c = text; c < end; ++c) {
                HuffmanCode code = huffman_code(static_cast<unsigned char>(*c));
                pending = pending << code.length | code.bits;
                for (pending_bits += code.length; pending_bits >= 8; pending_bits -= 8)
                    out[at++] = static_cast<unsigned char>(pending >> (pending_bits - 8));
            }
            if (pending_bits > 0)
                out[at] = static_cast<unsigned char>(pending << (8 - pending_bits) |
                                                     (0xffU >> pending_bits));
        }
        length += 1 + bytes;
        text = end + 1;  // past the tab (a value follows) or the newline
    }
    return length;
}

struct StaticTable {
    unsigned char bytes[encode_static_table(nullptr)];
};

constexpr StaticTable make_static_table() {
    StaticTable table{};
    encode_static_table(table.bytes);
    return table;
}

constexpr StaticTable static_table = make_static_table();

}  // namespace

void HpackDecoder::reset() {
    error_ = Error::none;
    at_ = end_ = nullptr;
    field_cut_ = false;
    name_length_ = field_length_ = entry_count_ = table_size_ = table_used_ = 0;
    max_size_ = hpack_table_size;
}

void HpackDecoder::fail(Error error) {
    if (error_ == Error::none)
        error_ = error;
}

const char* HpackDecoder::error_text() const {
    // In Error's order.
    return nth_string(
        "no error\0HPACK integer too large\0HPACK index out of range\0bad HPACK Huffman code\0"
        "HPACK table size update above the 4096 advertised\0"
        "HPACK table size update after a header field\0header block ends inside a field\0",
        static_cast<unsigned>(error_));
}

void HpackDecoder::begin_block(std::string_view block) {
    at_ = reinterpret_cast<const unsigned char*>(block.data());
    end_ = at_ + block.size();
    fields_seen_ = false;
}

bool HpackDecoder::next() {
    while (error_ == Error::none && at_ < end_) {
        // §6: the leading bits say which representation follows, and so
        // the length of its integer's prefix: 1 an indexed field (7 bits),
        // 01 a literal with incremental indexing (6), 001 a size update (5),
        // 0000 and 0001 literals without indexing or never indexed (4).
        int zeros = __builtin_clz((*at_ | 0x10U) << 24);  // 0 to 3
        uint32_t index = read_integer(7 - zeros);
        if (error_ != Error::none)
            break;
        if (zeros == 2) {  // §6.3, and §4.2: only at the start of a block
            if (index > hpack_table_size) {
                fail(Error::table_size_too_large);
            } else if (fields_seen_) {
                fail(Error::misplaced_size_update);
            } else {
                max_size_ = index;
                evict_to(index);
            }
            continue;
        }
        fields_seen_ = true;
        field_length_ = name_length_ = 0;
        field_cut_ = false;
        // §6.1: the whole field from the tables; §6.2: the name from the
        // tables, or (index 0) a string, and the value a string.
        if ((zeros == 0 || index != 0) && !copy_entry(index, zeros == 0)) {
            fail(Error::bad_index);
            break;
        }
        if (zeros != 0) {
            if (index == 0) {
                read_string();
                name_length_ = field_length_;
            }
            read_string();
            if (error_ != Error::none)
                break;
            if (zeros == 1)
                add_entry();
        }
        return true;
    }
    return false;
}

// §5.1: an N-bit prefix, all ones when more bytes follow, 7 bits each.
// Four more bytes reach 2^28, far beyond any length or index a block of
// 16 KiB can hold; a fifth is an attack on the arithmetic.
uint32_t HpackDecoder::read_integer(int prefix_bits) {
    uint32_t all_ones = (1U << prefix_bits) - 1;
    uint32_t value = *at_++ & all_ones;  // the caller saw that there is a byte
    if (value < all_ones)
        return value;
    for (int shift = 0;; shift += 7) {
        if (at_ == end_ || shift == 28) {
            fail(at_ == end_ ? Error::truncated_block : Error::integer_overflow);
            return 0;
        }
        uint32_t byte = *at_++;
        value += (byte & 0x7f) << shift;
        if (!(byte & 0x80))
            return value;
    }
}

// §5.2: a string, plain or Huffman-coded, added to the field.
void HpackDecoder::read_string() {
    if (at_ == end_)
        return fail(Error::truncated_block);
    bool huffman = *at_ & 0x80;
    uint32_t length = read_integer(7);
    if (error_ != Error::none)
        return;
    if (length > static_cast<size_t>(end_ - at_))
        return fail(Error::truncated_block);
    const unsigned char* string = at_;
    at_ += length;
    if (!huffman)
        return put(reinterpret_cast<const char*>(string), length);
    // Canonical decoding one bit at a time: a code of length L is valid
    // when it lies among the counts[L] codes that start at `first`;
    // otherwise the next length's first code follows them, shifted by one.
    uint32_t code = 0;
    uint32_t first = 0;
    uint32_t index = 0;  // of the first code's symbol
    int code_length = 0;
    for (; string < at_; ++string) {
        for (int bit = 7; bit >= 0; --bit) {
            code |= (*string >> bit) & 1U;
            uint32_t count = huffman_counts[++code_length];
            if (code - first < count) {
                uint32_t symbol = index + code - first;
                if (symbol >= sizeof huffman_symbols - 1)
                    return fail(Error::bad_huffman);  // EOS (§5.2)
                put(&huffman_symbols[symbol], 1);
                code = first = index = 0;
                code_length = 0;
                continue;
            }
            if (code_length == 30)
                return fail(Error::bad_huffman);  // unreachable for a complete code
            index += count;
            first = (first + count) << 1;
            code <<= 1;
        }
    }
    // Padding is the start of EOS: all ones, shorter than a byte. The bits
    // of an unfinished code are `code` shifted by one.
    if (code_length > 7 || code != (2U << code_length) - 2)
        fail(Error::bad_huffman);
}

void HpackDecoder::put(const char* bytes, size_t length) {
    if (length > hpack_field_bytes - field_length_) {
        length = hpack_field_bytes - field_length_;
        field_cut_ = true;
    }
    std::memcpy(field_ + field_length_, bytes, length);
    field_length_ += length;
}

// §2.3.3: 1 to 61 are the static table, then the dynamic table, newest
// first. Copies the name, and the value if asked, into the field: both
// tables hold strings as a block does, so the cursor reads them for a while.
bool HpackDecoder::copy_entry(uint32_t index, bool with_value) {
    const unsigned char* block_at = at_;
    const unsigned char* block_end = end_;
    uint32_t skip = 0;  // strings before the entry's
    bool has_value = true;
    if (index == 0)
        return false;
    if (index <= static_entries) {
        at_ = static_table.bytes;
        end_ = at_ + sizeof static_table.bytes;
        skip = index - 1 +
               (index - 1 < static_entries_with_values ? index - 1 : static_entries_with_values);
        has_value = index <= static_entries_with_values;
    } else {
        size_t age = index - static_entries - 1;
        if (age >= entry_count_)
            return false;
        at_ = table_;
        end_ = table_ + table_used_;
        skip = static_cast<uint32_t>(2 * (entry_count_ - 1 - age));
    }
    for (; skip > 0; --skip) at_ += read_integer(7);
    read_string();
    name_length_ = field_length_;
    if (with_value && has_value)
        read_string();
    at_ = block_at;
    end_ = block_end;
    return true;
}

namespace {

char* put_string(char* out, std::string_view text, bool lower) {
    out = hpack_put_integer(out, 7, static_cast<uint32_t>(text.size()));
    for (char c : text) *out++ = lower ? ascii_lower(c) : c;
    return out;
}

}  // namespace

// §4.4: the field (copied out of the tables already) enters the table after
// the oldest entries made room; one larger than the whole table empties it
// and is not added.
void HpackDecoder::add_entry() {
    size_t size = field_length_ + 32;
    if (field_cut_ || size > max_size_)
        return evict_to(0);
    evict_to(max_size_ - size);
    char* at = reinterpret_cast<char*>(table_) + table_used_;
    at = put_string(at, name(), false);
    at = put_string(at, value(), false);
    table_used_ = static_cast<size_t>(at - reinterpret_cast<char*>(table_));
    table_size_ += size;
    ++entry_count_;
}

// From the oldest end, which is the start: each entry's two strings go.
void HpackDecoder::evict_to(size_t size) {
    const unsigned char* block_at = at_;
    const unsigned char* block_end = end_;
    while (table_size_ > size) {
        at_ = table_;
        end_ = table_ + table_used_;
        size_t bytes = read_integer(7);
        at_ += bytes;
        uint32_t value_length = read_integer(7);
        at_ += value_length;
        table_size_ -= bytes + value_length + 32;
        bytes = static_cast<size_t>(at_ - table_);
        table_used_ -= bytes;
        std::memmove(table_, at_, table_used_);
        --entry_count_;
    }
    at_ = block_at;
    end_ = block_end;
}

char* hpack_put_integer(char* out, int prefix_bits, uint32_t value) {
    uint32_t all_ones = (1U << prefix_bits) - 1;
    if (value < all_ones) {
        *out++ = static_cast<char>(value);
        return out;
    }
    *out++ = static_cast<char>(all_ones);
    for (value -= all_ones; value >= 0x80; value >>= 7) *out++ = static_cast<char>(value | 0x80);
    *out++ = static_cast<char>(value);
    return out;
}

char* hpack_put_literal(char* out, uint32_t name_index, std::string_view name,
                        std::string_view value) {
    out = hpack_put_integer(out, 4, name_index);  // §6.2.2
    if (name_index == 0)
        out = put_string(out, name, true);
    return put_string(out, value, false);
}

}  // namespace vigil
