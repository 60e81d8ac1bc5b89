// A command line described by one table: each option's names, its
// environment variable and what applies its value, so that adding an option
// or a variable is one row, and --help, the man page and the README can be
// checked against the table. Both of vigil's command lines (the supervisor's
// and `vigil probe`'s) are parsed this way; what an option means is the
// command line's business.
//
// Rules, the same for every row:
//   - options are scanned as getopt_long does (option_scanner.h);
//   - an option given on the command line wins over its variable; an empty
//     variable counts as unset;
//   - a list option (-r, -e, -H) may be repeated; its variable holds several
//     values separated by commas, spaces or newlines, or by newlines only;
//   - a flag's variable is a boolean: 1, true, yes, on or 0, false, no, off;
//   - a row that requires another (--watchdog-interval needs --watchdog) is
//     a usage error without it on the command line, and its variable is
//     ignored without it (a leftover variable is not worth refusing to start);
//   - every error is one line: "invalid WHAT 'VALUE' for WHERE: WHY".
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "base/environment.h"

namespace vigil {

enum class OptionKind : uint8_t {
    flag,   // no value
    value,  // one value; given again, the last one wins
    list,   // repeatable; each value is applied in turn
};

// Room for a reason that names what was wrong ("unknown signal 'FOO'").
struct OptionWhy {
    char text[128];
};

// One option as a command line's source writes it, and as the tests and
// docs checks read it. vigil itself reads the packed form below.
struct OptionRow {
    char short_name;        // 0: none
    const char* long_name;  // null: short only (tini's -g)
    const char* variable;   // null: no environment variable
    OptionKind kind;
    const char* what;  // for messages: "duration" in "invalid duration '5x' for --grace"
    // What the option does: a number of the command line's own, which its
    // apply function (OptionList::apply) switches on.
    uint8_t action;
    // A flag whose variable is not a boolean (VIGIL_VERBOSITY=2): the
    // variable's value goes to the action as it is.
    bool variable_is_value = false;
    // A list variable's values are one per line (a header's value may hold
    // commas and spaces), not separated by ",; \t\n".
    bool one_per_line = false;
    // The row (by index) this one needs, or -1.
    int needs = -1;
};

// The same row as vigil keeps it at run time: its three strings are offsets
// into one string of names (0: none), so that the table holds no pointer.
// A pointer costs 8 bytes, and in a static PIE a 24-byte relocation besides;
// the packed rows of both command lines take 12 bytes each.
struct PackedOptionRow {
    uint16_t long_name;
    uint16_t variable;
    uint16_t what;
    char short_name;
    OptionKind kind;
    uint8_t action;
    bool variable_is_value;
    bool one_per_line;
    int8_t needs;
};

template <size_t Rows, size_t NameBytes>
struct PackedOptions {
    PackedOptionRow rows[Rows];
    char names[NameBytes];
};

namespace option_packing {

// A row whose variable is the table's prefix and its long name, upper case,
// '-' as '_' (--stop-delay: VIGIL_STOP_DELAY) keeps no name for it: most do.
inline constexpr uint16_t derived_variable = 0xffff;

constexpr bool is_derived(const char* variable, const char* prefix, const char* long_name) {
    if (!variable || !long_name)
        return false;
    size_t at = 0;
    for (; prefix[at]; ++at)
        if (variable[at] != prefix[at])
            return false;
    for (size_t i = 0;; ++i, ++at) {
        char c = long_name[i] == '-' ? '_' : long_name[i];
        if (c >= 'a' && c <= 'z')
            c = static_cast<char>(c - 'a' + 'A');
        if (variable[at] != c)
            return false;
        if (!c)
            return true;
    }
}

// The names of a table, each once: a string that is already there (or the
// end of one) is used again.
struct Names {
    char bytes[2048] = {};
    size_t size = 1;  // offset 0 is the empty string, "none"

    constexpr uint16_t add(const char* text) {
        if (!text)
            return 0;
        size_t length = 0;
        while (text[length]) ++length;
        for (size_t at = 1; at + length < size; ++at) {
            size_t same = 0;
            while (same <= length && bytes[at + same] == text[same]) ++same;
            if (same > length)
                return static_cast<uint16_t>(at);
        }
        for (size_t i = 0; i <= length; ++i) bytes[size + i] = text[i];
        size += length + 1;
        return static_cast<uint16_t>(size - length - 1);
    }
};

template <size_t Rows>
constexpr Names names_of(const OptionRow (&rows)[Rows], const char* prefix) {
    Names names;
    for (const OptionRow& row : rows) {
        names.add(row.long_name);
        if (!is_derived(row.variable, prefix, row.long_name))
            names.add(row.variable);
        names.add(row.what);
    }
    return names;
}

}  // namespace option_packing

// How many bytes the names of `rows` take packed: PackedOptions' second size.
template <size_t Rows>
constexpr size_t packed_names_size(const OptionRow (&rows)[Rows], const char* variable_prefix) {
    return option_packing::names_of(rows, variable_prefix).size;
}

// `rows` packed, at compile time; variables named VARIABLE_PREFIX and the
// long name (VIGIL_ and stop-delay) are made from it at run time:
//   constexpr auto packed = pack_options<packed_names_size(rows, "VIGIL_")>(rows, "VIGIL_");
template <size_t NameBytes, size_t Rows>
consteval PackedOptions<Rows, NameBytes> pack_options(const OptionRow (&rows)[Rows],
                                                      const char* variable_prefix) {
    option_packing::Names names;
    PackedOptions<Rows, NameBytes> packed{};
    for (size_t i = 0; i < Rows; ++i) {
        const OptionRow& row = rows[i];
        PackedOptionRow& out = packed.rows[i];
        out.long_name = names.add(row.long_name);
        out.variable = option_packing::is_derived(row.variable, variable_prefix, row.long_name)
                           ? option_packing::derived_variable
                           : names.add(row.variable);
        out.what = names.add(row.what);
        out.short_name = row.short_name;
        out.kind = row.kind;
        out.action = row.action;
        out.variable_is_value = row.variable_is_value;
        out.one_per_line = row.one_per_line;
        out.needs = static_cast<int8_t>(row.needs);
    }
    for (size_t i = 0; i < NameBytes; ++i) packed.names[i] = names.bytes[i];
    return packed;
}

// A flag that users of another tool bring (tini's -l) and that vigil does not
// have: refused with what to do instead.
struct OptionAdvice {
    const char* spelled;  // "-l"
    const char* advice;   // completes "unknown option '-l': ..."
};

// One command line's options, as OptionTable and OptionScanner read them.
struct OptionList {
    std::span<const PackedOptionRow> rows;
    const char* names;
    const char* variable_prefix;  // of the variables made from long names
    // Applies a value (null for a flag) to the settings as the row's action
    // says; returns null, or why the value is invalid (static text, or
    // why.text).
    const char* (*apply)(void* settings, uint8_t action, const char* value, OptionWhy& why);
    std::span<const OptionAdvice> advice = {};

    template <size_t Rows, size_t NameBytes>
    OptionList(const PackedOptions<Rows, NameBytes>& packed, const char* variable_prefix_,
               const char* (*apply_)(void*, uint8_t, const char*, OptionWhy&),
               std::span<const OptionAdvice> advice_ = {})
        : rows(packed.rows),
          names(packed.names),
          variable_prefix(variable_prefix_),
          apply(apply_),
          advice(advice_) {}

    // A row's string, or null for none.
    const char* name(uint16_t offset) const { return offset ? names + offset : nullptr; }
    // A row's variable, made in `buffer` when it is derived; null for none.
    const char* variable(const PackedOptionRow& row, char (&buffer)[48]) const;
};

class OptionTable {
  public:
    // At most this many rows: which were given is kept in a bit mask.
    static constexpr size_t max_rows = 64;

    OptionTable(const OptionList& options, void* settings, char* error, size_t error_size)
        : options_(options), settings_(settings), error_(error), error_size_(error_size) {}

    enum class Operands {
        end_options,  // the first operand ends the options (a program and its arguments)
        anywhere,     // operands may come between options (a URL)
    };

    // Scans argv[1...]. With end_options, stops at the first operand or after
    // "--" and sets `next` to that index; with anywhere, calls
    // on_operand(settings, operand) for each one, which returns null or an
    // error. Returns false after writing the error. `stop` may be set by an
    // option (--help) to end scanning early.
    bool parse_arguments(int argc, char** argv, Operands operands, int& next,
                         const char* (*on_operand)(void* settings, const char* operand) = nullptr);

    // Applies the variables of the rows no option set. False after writing
    // the error.
    bool apply_environment(EnvironmentLookup environment);

    // Rows given on the command line that require one that is set nowhere:
    // false after writing the error.
    bool check_requirements();

    bool given(size_t row) const { return given_ >> row & 1; }
    bool set(size_t row) const { return (given_ | from_environment_) >> row & 1; }

    // Writes a one-line error (control characters escaped); returns false.
    bool fail(const char* format, ...) __attribute__((format(printf, 2, 3)));

  private:
    bool apply(size_t index, const char* value, const char* where, bool from_variable);
    bool apply_list_variable(size_t index, const char* value);

    const OptionList& options_;
    void* settings_;
    char* error_;
    size_t error_size_;
    uint64_t given_ = 0;
    uint64_t from_environment_ = 0;
};

// Parses a boolean variable: 1/true/yes/on or 0/false/no/off, any case.
// Returns 1, 0, or -1 for anything else.
int parse_boolean(const char* text);

}  // namespace vigil
