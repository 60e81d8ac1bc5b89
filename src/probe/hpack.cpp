#include "probe/hpack.h"

#include <cstring>

#include "base/text.h"

namespace vigil {
namespace {

// RFC 7541 Appendix A, the 61 entries of the static table in order, each
// "name\tvalue\n": one string instead of 61 pairs of pointers.
constexpr char static_table[] =
    ":authority\t\n:method\tGET\n:method\tPOST\n:path\t/\n:path\t/index.html\n"
    ":scheme\thttp\n:scheme\thttps\n:status\t200\n:status\t204\n:status\t206\n"
    ":status\t304\n:status\t400\n:status\t404\n:status\t500\naccept-charset\t\n"
    "accept-encoding\tgzip, deflate\naccept-language\t\naccept-ranges\t\naccept\t\n"
    "access-control-allow-origin\t\nage\t\nallow\t\nauthorization\t\ncache-control\t\n"
    "content-disposition\t\ncontent-encoding\t\ncontent-language\t\ncontent-length\t\n"
    "content-location\t\ncontent-range\t\ncontent-type\t\ncookie\t\ndate\t\netag\t\n"
    "expect\t\nexpires\t\nfrom\t\nhost\t\nif-match\t\nif-modified-since\t\n"
    "if-none-match\t\nif-range\t\nif-unmodified-since\t\nlast-modified\t\nlink\t\n"
    "location\t\nmax-forwards\t\nproxy-authenticate\t\nproxy-authorization\t\nrange\t\n"
    "referer\t\nrefresh\t\nretry-after\t\nserver\t\nset-cookie\t\n"
    "strict-transport-security\t\ntransfer-encoding\t\nuser-agent\t\nvary\t\nvia\t\n"
    "www-authenticate\t\n";
constexpr uint32_t static_entries = 61;

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

// Entry `index` (1 to 61): past index - 1 newlines, up to the tab and then
// up to the newline.
bool static_entry(uint32_t index, std::string_view& name, std::string_view& value) {
    const char* entry = static_table;
    for (uint32_t i = 1; i < index; ++i) entry = std::strchr(entry, '\n') + 1;
    const char* tab = std::strchr(entry, '\t');
    name = std::string_view(entry, static_cast<size_t>(tab - entry));
    value = std::string_view(tab + 1, static_cast<size_t>(std::strchr(tab, '\n') - tab - 1));
    return true;
}

}  // namespace

void HpackDecoder::reset() {
    error_ = Error::none;
    state_ = State::start;
    fields_seen_ = false;
    entry_count_ = 0;
    table_size_ = 0;
    max_size_ = hpack_table_size;
    table_begin_ = table_end_ = 0;
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

void HpackDecoder::begin_block() {
    state_ = State::start;
    fields_seen_ = false;
}

bool HpackDecoder::feed(std::string_view bytes, const HpackFieldSink& sink) {
    for (size_t i = 0; i < bytes.size() && error_ == Error::none; ++i)
        consume(static_cast<uint8_t>(bytes[i]), sink);
    return error_ == Error::none;
}

bool HpackDecoder::end_block() {
    if (state_ != State::start)
        fail(Error::truncated_block);
    return error_ == Error::none;
}

void HpackDecoder::consume(uint8_t byte, const HpackFieldSink& sink) {
    switch (state_) {
        case State::start:
            name_length_ = field_length_ = 0;
            field_cut_ = reading_value_ = integer_is_length_ = false;
            // §6: the first bits say which representation follows.
            if (byte & 0x80) {
                kind_ = Kind::indexed;
                begin_integer(byte, 7, sink);
            } else if (byte & 0x40) {
                kind_ = Kind::literal_indexed;
                begin_integer(byte, 6, sink);
            } else if (byte & 0x20) {
                kind_ = Kind::size_update;
                begin_integer(byte, 5, sink);
            } else {
                kind_ = Kind::literal;  // without indexing, or never indexed
                begin_integer(byte, 4, sink);
            }
            return;
        case State::integer:
            continue_integer(byte, sink);
            return;
        case State::string_length:
            huffman_ = byte & 0x80;
            integer_is_length_ = true;
            begin_integer(byte, 7, sink);
            return;
        case State::string_bytes:
            if (huffman_)
                huffman_byte(byte);
            else
                put(static_cast<char>(byte));
            if (--string_left_ == 0 && error_ == Error::none)
                string_done(sink);
            return;
    }
}

// §5.1: an N-bit prefix, all ones when more bytes follow, 7 bits each.
void HpackDecoder::begin_integer(uint8_t byte, int prefix_bits, const HpackFieldSink& sink) {
    uint32_t all_ones = (1U << prefix_bits) - 1;
    integer_ = byte & all_ones;
    shift_ = 0;
    state_ = State::integer;
    if (integer_ < all_ones)
        integer_done(sink);
}

void HpackDecoder::continue_integer(uint8_t byte, const HpackFieldSink& sink) {
    // Four more bytes reach 2^28, far beyond any length or index a block
    // of 16 KiB can hold; a fifth is an attack on the arithmetic.
    if (shift_ >= 28)
        return fail(Error::integer_overflow);
    integer_ += static_cast<uint32_t>(byte & 0x7f) << shift_;
    shift_ += 7;
    if (!(byte & 0x80))
        integer_done(sink);
}

void HpackDecoder::integer_done(const HpackFieldSink& sink) {
    if (integer_is_length_) {
        integer_is_length_ = false;
        string_left_ = integer_;
        code_ = first_ = index_ = 0;
        code_length_ = 0;
        code_all_ones_ = true;
        state_ = State::string_bytes;
        if (string_left_ == 0)
            string_done(sink);
        return;
    }
    std::string_view name;
    std::string_view value;
    switch (kind_) {
        case Kind::indexed:  // §6.1
            if (!lookup(integer_, name, value))
                return fail(Error::bad_index);
            fields_seen_ = true;
            state_ = State::start;
            sink.on_field(sink.context, name, value, true);
            return;
        case Kind::literal_indexed:  // §6.2: the name is an index, or a string (0)
        case Kind::literal:
            state_ = State::string_length;
            if (integer_ == 0)
                return;
            if (!lookup(integer_, name, value))
                return fail(Error::bad_index);
            for (char c : name) put(c);
            name_length_ = field_length_;
            reading_value_ = true;
            return;
        case Kind::size_update:  // §6.3, and §4.2: only at the start of a block
            if (integer_ > hpack_table_size)
                return fail(Error::table_size_too_large);
            if (fields_seen_)
                return fail(Error::misplaced_size_update);
            max_size_ = integer_;
            evict_to(max_size_);
            state_ = State::start;
            return;
    }
}

// Canonical decoding one bit at a time: a code of length L is valid when it
// lies among the counts[L] codes that start at first_; otherwise the next
// length's first code follows them, shifted by one bit.
void HpackDecoder::huffman_byte(uint8_t byte) {
    for (int bit = 7; bit >= 0; --bit) {
        uint32_t value = (byte >> bit) & 1;
        code_ |= value;
        code_all_ones_ = code_all_ones_ && value;
        uint32_t count = huffman_counts[++code_length_];
        if (code_ - first_ < count) {
            uint32_t symbol = index_ + code_ - first_;
            if (symbol >= sizeof huffman_symbols - 1)
                return fail(Error::bad_huffman);  // EOS (§5.2)
            put(huffman_symbols[symbol]);
            code_ = first_ = index_ = 0;
            code_length_ = 0;
            code_all_ones_ = true;
            continue;
        }
        if (code_length_ == 30)
            return fail(Error::bad_huffman);  // unreachable for a complete code
        index_ += count;
        first_ = (first_ + count) << 1;
        code_ <<= 1;
    }
}

void HpackDecoder::put(char c) {
    if (field_length_ < hpack_field_bytes)
        field_[field_length_++] = c;
    else
        field_cut_ = true;
}

void HpackDecoder::string_done(const HpackFieldSink& sink) {
    // §5.2: padding is the start of EOS, all ones, shorter than a byte.
    if (huffman_ && (code_length_ > 7 || !code_all_ones_))
        return fail(Error::bad_huffman);
    if (reading_value_)
        return field_done(sink);
    name_length_ = field_length_;
    reading_value_ = true;
    state_ = State::string_length;
}

void HpackDecoder::field_done(const HpackFieldSink& sink) {
    std::string_view name(field_, name_length_);
    std::string_view value(field_ + name_length_, field_length_ - name_length_);
    fields_seen_ = true;
    state_ = State::start;
    if (kind_ == Kind::literal_indexed) {
        if (field_cut_)
            evict_to(0);  // §4.4: too large for the table, which is emptied
        else
            add_entry(name, value);
    }
    sink.on_field(sink.context, name, value, !field_cut_);
}

// §2.3.3: 1 to 61 are the static table, then the dynamic table, newest first.
bool HpackDecoder::lookup(uint32_t index, std::string_view& name, std::string_view& value) const {
    if (index == 0)
        return false;
    if (index <= static_entries)
        return static_entry(index, name, value);
    uint32_t age = index - static_entries - 1;
    if (age >= entry_count_)
        return false;
    const Entry& entry = entries_[entry_count_ - 1 - age];
    name = std::string_view(table_ + entry.offset, entry.name_length);
    value = std::string_view(table_ + entry.offset + entry.name_length, entry.value_length);
    return true;
}

// §4.4: evict from the oldest end until the new entry fits; an entry larger
// than the whole table empties it and is not added.
void HpackDecoder::add_entry(std::string_view name, std::string_view value) {
    size_t bytes = name.size() + value.size();
    if (bytes + 32 > max_size_)
        return evict_to(0);
    evict_to(max_size_ - bytes - 32);
    if (table_end_ + bytes > sizeof table_) {
        // Move the live entries to the front. They fit with the new one:
        // each entry counts 32 bytes more than it stores.
        std::memmove(table_, table_ + table_begin_, table_end_ - table_begin_);
        for (size_t i = 0; i < entry_count_; ++i)
            entries_[i].offset = static_cast<uint16_t>(entries_[i].offset - table_begin_);
        table_end_ -= table_begin_;
        table_begin_ = 0;
    }
    std::memcpy(table_ + table_end_, name.data(), name.size());
    std::memcpy(table_ + table_end_ + name.size(), value.data(), value.size());
    entries_[entry_count_++] = {static_cast<uint16_t>(table_end_),
                                static_cast<uint16_t>(name.size()),
                                static_cast<uint16_t>(value.size())};
    table_end_ += bytes;
    table_size_ += bytes + 32;
}

void HpackDecoder::evict_to(size_t size) {
    while (table_size_ > size && entry_count_ > 0) {
        const Entry& oldest = entries_[0];
        table_size_ -= oldest.name_length + oldest.value_length + 32U;
        std::memmove(entries_, entries_ + 1, (entry_count_ - 1) * sizeof entries_[0]);
        --entry_count_;
        table_begin_ = entry_count_ ? entries_[0].offset : table_end_;
    }
    if (entry_count_ == 0)
        table_begin_ = table_end_ = 0;
}

size_t hpack_put_integer(char* out, size_t size, size_t length, uint8_t first_bits, int prefix_bits,
                         uint32_t value) {
    uint32_t all_ones = (1U << prefix_bits) - 1;
    if (length >= size)
        return 0;
    if (value < all_ones) {
        out[length++] = static_cast<char>(first_bits | value);
        return length;
    }
    out[length++] = static_cast<char>(first_bits | all_ones);
    for (value -= all_ones;; value >>= 7) {
        if (length >= size)
            return 0;
        out[length++] = static_cast<char>(value >= 0x80 ? (value & 0x7f) | 0x80 : value);
        if (value < 0x80)
            return length;
    }
}

namespace {

size_t put_string(char* out, size_t size, size_t length, std::string_view text, bool lower) {
    length = hpack_put_integer(out, size, length, 0x00, 7, static_cast<uint32_t>(text.size()));
    if (length == 0 || size - length < text.size())
        return 0;
    for (char c : text) out[length++] = lower ? ascii_lower(c) : c;
    return length;
}

}  // namespace

size_t hpack_put_literal(char* out, size_t size, size_t length, uint32_t name_index,
                         std::string_view name, std::string_view value) {
    length = hpack_put_integer(out, size, length, 0x00, 4, name_index);  // §6.2.2
    if (length && name_index == 0)
        length = put_string(out, size, length, name, true);
    return length ? put_string(out, size, length, value, false) : 0;
}

}  // namespace vigil
