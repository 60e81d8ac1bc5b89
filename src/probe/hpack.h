// HPACK, the header compression of HTTP/2 (RFC 7541), as the gRPC probe
// needs it: a decoder in full — static table, dynamic table, Huffman-coded
// strings, dynamic table size updates — because real servers use all of it,
// and the two encoder primitives the probe's own request needs (literals,
// never Huffman, never added to the server's table).
//
// The decoder reads whole header blocks: the frame reader gathers a block's
// HEADERS and CONTINUATION frames first (at most 16 KiB), so decoding is a
// plain walk over bytes that are all there, with no state of a half-read
// integer or string kept between reads. Its memory is fixed: the dynamic
// table (hpack_table_size bytes, the size vigil advertises as
// SETTINGS_HEADER_TABLE_SIZE) and one field's name and value
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

    HpackDecoder() { reset(); }
    // A new connection: empty table of hpack_table_size.
    void reset();

    // Starts on a whole header block, which must stay in place while
    // next() moves to its fields one by one: true with the next field in
    // name() and value() (valid until the next call), false at the end of
    // the block or on an error. After an error the decoder is of no further
    // use.
    void begin_block(std::string_view block);
    bool next();
    std::string_view name() const { return {field_, name_length_}; }
    std::string_view value() const { return {field_ + name_length_, field_length_ - name_length_}; }
    // The field's name plus value exceeded hpack_field_bytes and was cut
    // short.
    bool field_cut() const { return field_cut_; }

    Error error() const { return error_; }
    const char* error_text() const;  // "HPACK index out of range", ...
    // For tests: the dynamic table's size in RFC 7541 §4.1's accounting, its
    // entry count and its current maximum.
    size_t table_size() const { return table_size_; }
    size_t table_entries() const { return entry_count_; }
    size_t table_max_size() const { return max_size_; }

  private:
    uint32_t read_integer(int prefix_bits);
    void read_string();
    void put(const char* bytes, size_t length);
    bool copy_entry(uint32_t index, bool with_value);
    void add_entry();
    void evict_to(size_t size);
    void fail(Error error);

    // Set by reset() and begin_block(); the arrays last, so that the rest
    // lies at small offsets (shorter code).
    Error error_;
    const unsigned char* at_;  // in the block, or in a table being read
    const unsigned char* end_;
    bool fields_seen_;  // in this block: size updates must come first
    bool field_cut_;
    size_t name_length_;
    size_t field_length_;
    size_t entry_count_;
    size_t table_size_;
    size_t table_used_;
    size_t max_size_;
    // The field: name then value, in one buffer.
    char field_[hpack_field_bytes];
    // The dynamic table, oldest entry first, each its name and its value as
    // HPACK strings (§5.2, never Huffman-coded), as the static table is
    // (Huffman-coded): one reader for the block and both tables. It fits:
    // the table's accounting counts 32 bytes an entry, the storage at most
    // 6 (two lengths below 2^14).
    unsigned char table_[hpack_table_size];
};

// Encoder primitives (RFC 7541 §5.1, §6.2.2): write at `out` and return the
// end. The caller makes room: an integer takes at most 6 bytes, a literal
// its strings and 3 integers. The bits before an integer's prefix are zero
// in all of vigil's uses: literals without indexing, strings not Huffman.
// The literal is "without indexing", with the name as a static-table index
// (non-zero) or as a string, written in lowercase as HTTP/2 requires
// (RFC 9113 §8.2.1).
char* hpack_put_integer(char* out, int prefix_bits, uint32_t value);
char* hpack_put_literal(char* out, uint32_t name_index, std::string_view name,
                        std::string_view value);

}  // namespace vigil
