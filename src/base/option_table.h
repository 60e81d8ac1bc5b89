// A command line described by one table: each option's names, its
// environment variable and the function that applies its value, so that
// adding an option or a variable is one row, and --help, the man page and the
// README can be checked against the table. Both of vigil's command lines (the
// supervisor's and `vigil probe`'s) are parsed this way; what an option means
// is the row's business.
//
// Rules, the same for every row:
//   - options are scanned as getopt_long does (option_scanner.h);
//   - an option given on the command line wins over its variable; an empty
//     variable counts as unset;
//   - a list option (-r, -e, -H) may be repeated; its variable holds several
//     values separated by the row's separators (commas, spaces or newlines);
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

// Text kept inside a table row instead of pointed to. The release binary is a
// static PIE: each pointer in a table is a relocation that its start-up code
// applies (24 bytes of .rela.dyn on a 64-bit target, 118 of them for the two
// option tables); text in place costs none. Made from a string literal (too
// long a literal does not compile) or nullptr; reads as the text, or as null
// when there is none.
template <size_t Size>
class RowText {
  public:
    constexpr RowText(std::nullptr_t = nullptr) : text_{} {}  // NOLINT: implicit by design
    template <size_t Length>
    constexpr RowText(const char (&text)[Length]) : text_{} {  // NOLINT: implicit by design
        static_assert(Length <= Size, "the text does not fit this RowText");
        for (size_t i = 0; i < Length; ++i) text_[i] = text[i];
    }
    const char* get() const { return text_[0] ? text_ : nullptr; }
    operator const char*() const { return get(); }  // NOLINT: reads as the pointer it replaces

  private:
    char text_[Size];
};

struct OptionRow {
    char short_name;        // 0: none
    RowText<24> long_name;  // null: short only (tini's -g)
    RowText<28> variable;   // null: no environment variable
    OptionKind kind;
    RowText<12> what;  // for messages: "duration" in "invalid duration '5x' for --grace"
    // Applies a value (null for a flag) to the settings; returns null, or why
    // the value is invalid (static text, or why.text).
    const char* (*apply)(void* settings, const char* value, OptionWhy& why);
    // For a flag whose variable is not a boolean (VIGIL_VERBOSITY=2): applies
    // the variable's value instead. Null: the variable is a boolean.
    const char* (*apply_variable)(void* settings, const char* value, OptionWhy& why) = nullptr;
    // Separators of a list variable's values; null: ",; \t\n".
    RowText<4> separators = nullptr;
    // The row (by index) this one needs, or -1.
    int needs = -1;
};

// A flag that users of another tool bring (tini's -l) and that vigil does not
// have: refused with what to do instead.
struct OptionAdvice {
    const char* spelled;  // "-l"
    const char* advice;   // completes "unknown option '-l': ..."
};

class OptionTable {
  public:
    // At most this many rows: which were given is kept in a bit mask.
    static constexpr size_t max_rows = 64;

    OptionTable(std::span<const OptionRow> rows, void* settings, char* error, size_t error_size,
                std::span<const OptionAdvice> advice = {})
        : rows_(rows),
          advice_(advice),
          settings_(settings),
          error_(error),
          error_size_(error_size) {}

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

    std::span<const OptionRow> rows_;
    std::span<const OptionAdvice> advice_;
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
