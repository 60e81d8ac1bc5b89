// HPACK, the header compression of HTTP/2 (RFC 7541), as the gRPC probe
// needs it: a decoder in full — static table, dynamic table, Huffman-coded
// strings, dynamic table size updates — because real servers use all of it,
// and the few encoder primitives the probe's own request needs (literals,
// never Huffman, never added to the server's table).
//
// The decoder works as a stream: a header block arrives in pieces (a HEADERS
// frame, CONTINUATION frames, each read from the socket in pieces) and is
// decoded byte by byte, so no whole block is ever buffered. Its memory is
// fixed: the dynamic table (hpack_table_size bytes, the size vigil advertises
// as SETTINGS_HEADER_TABLE_SIZE) and one field's name and value
// (hpack_field_bytes). A field larger than that is passed on cut short and
// marked so; it could not enter the dynamic table anyway (RFC 7541 §4.4).
//
// Errors are COMPRESSION_ERRORs in HTTP/2's terms (RFC 9113 §4.3): the
// connection cannot go on, since the two ends' tables no longer agree.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace vigil {

// The dynamic table size vigil advertises: HTTP/2's default, which every
// server already assumes before it reads vigil's SETTINGS.
inline constexpr size_t hpack_table_size = 4096;
// The longest name plus value kept of one field: anything longer could not
// enter a table of hpack_table_size (an entry also counts 32 bytes).
inline constexpr size_t hpack_field_bytes = hpack_table_size - 32;

// Receives each decoded field: `on_field(context, ...)`. `complete` is false
// when the name plus value exceeded hpack_field_bytes and was cut short.
struct HpackFieldSink {
    void (*on_field)(void* context, std::string_view name, std::string_view value, bool complete);
    void* context;
};

class HpackDecoder {
  public:
    enum class Error {
        none,
        integer_overflow,       // an integer longer than 2^28
        bad_index,              // index 0, or past the static and dynamic tables
        bad_huffman,            // EOS in a string, or padding longer than 7 bits or not all ones
        table_size_too_large,   // a size update above hpack_table_size
        misplaced_size_update,  // a size update after a field in the block
        truncated_block,        // the block ended inside a field
    };

    // The member initializers are what reset() sets.
    HpackDecoder() = default;
    // A new connection: empty table of hpack_table_size.
    void reset();

    // A header block starts (HEADERS), continues (CONTINUATION) and ends
    // (END_HEADERS). Fields go to `sink` as they complete. feed() returns
    // false once an error has happened; the decoder is then of no further use.
    void begin_block();
    bool feed(std::string_view bytes, const HpackFieldSink& sink);
    bool end_block();

    Error error() const { return error_; }
    const char* error_text() const;  // "index out of range", ...
    // For tests: the dynamic table's size in RFC 7541 §4.1's accounting, its
    // entry count and its current maximum.
    size_t table_size() const { return table_size_; }
    size_t table_entries() const { return entry_count_; }
    size_t table_max_size() const { return max_size_; }

  private:
    enum class State { start, integer, string_length, string_bytes };
    enum class Kind { indexed, literal_indexed, literal, size_update };

    void consume(uint8_t byte, const HpackFieldSink& sink);
    void begin_integer(uint8_t byte, int prefix_bits, const HpackFieldSink& sink);
    void continue_integer(uint8_t byte, const HpackFieldSink& sink);
    void integer_done(const HpackFieldSink& sink);
    void huffman_byte(uint8_t byte);
    void string_done(const HpackFieldSink& sink);
    void put(char c);
    void field_done(const HpackFieldSink& sink);
    bool lookup(uint32_t index, std::string_view& name, std::string_view& value) const;
    void add_entry(std::string_view name, std::string_view value);
    void evict_to(size_t size);
    void fail(Error error);

    Error error_ = Error::none;
    State state_ = State::start;
    Kind kind_ = Kind::indexed;
    bool fields_seen_ = false;  // in this block: size updates must come first
    // The integer being read (RFC 7541 §5.1): a representation's index or
    // size, or a string's length.
    uint32_t integer_ = 0;
    int shift_ = 0;
    bool integer_is_length_ = false;
    // The string being read (§5.2): name first, then value.
    bool reading_value_ = false;
    bool huffman_ = false;
    uint32_t string_left_ = 0;
    uint32_t code_ = 0;   // Huffman: the bits of the symbol being read
    uint32_t first_ = 0;  // canonical decoding: the first code of this length
    uint32_t index_ = 0;  // ... and the index of its symbol
    int code_length_ = 0;
    bool code_all_ones_ = true;
    // The field: name then value, in one buffer.
    size_t name_length_ = 0;
    size_t field_length_ = 0;
    bool field_cut_ = false;
    char field_[hpack_field_bytes];

    // The dynamic table: entries oldest first, their bytes in `table_`
    // from table_begin_; new ones go at the end, old ones leave the front.
    struct Entry {
        uint16_t offset;
        uint16_t name_length;
        uint16_t value_length;
    };
    static constexpr size_t max_entries = hpack_table_size / 32;
    Entry entries_[max_entries];
    size_t entry_count_ = 0;
    size_t table_size_ = 0;
    size_t max_size_ = hpack_table_size;
    size_t table_begin_ = 0;
    size_t table_end_ = 0;
    char table_[hpack_table_size];
};

// Encoder primitives (RFC 7541 §5.1, §6.2.2): append to `out` at `length`,
// return the new length, or 0 when `size` is too small. The literal is "without indexing", with the
// name as a static-table index (non-zero) or as a string, written in lowercase as HTTP/2 requires
// (RFC 9113 §8.2.1).
size_t hpack_put_integer(char* out, size_t size, size_t length, uint8_t first_bits, int prefix_bits,
                         uint32_t value);
size_t hpack_put_literal(char* out, size_t size, size_t length, uint32_t name_index,
                         std::string_view name, std::string_view value);

}  // namespace vigil
