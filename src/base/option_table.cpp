#include "base/option_table.h"

#include <cstdarg>
#include <cstring>
#include <string_view>

#include "base/format.h"
#include "base/option_scanner.h"
#include "base/text.h"

namespace vigil {

int parse_boolean(const char* text) {
    int index = find_string(text,
                            "0\0false\0no\0off\0"
                            "1\0true\0yes\0on\0",
                            true);
    return index < 0 ? -1 : index >= 4;  // the four words for "on" come last
}

bool OptionTable::fail(const char* format, ...) {
    va_list arguments;
    va_start(arguments, format);
    vformat_one_line(error_, error_size_, format, arguments);
    va_end(arguments);
    return false;
}

const char* OptionList::variable(const PackedOptionRow& row, char (&buffer)[48]) const {
    if (row.variable != option_packing::derived_variable)
        return name(row.variable);
    size_t length = 0;
    for (const char* c = variable_prefix; *c;) buffer[length++] = *c++;
    for (const char* c = names + row.long_name; *c && length + 1 < sizeof buffer; ++c)
        buffer[length++] = *c == '-'                ? '_'
                           : *c >= 'a' && *c <= 'z' ? static_cast<char>(*c - 32)
                                                    : *c;
    buffer[length] = '\0';
    return buffer;
}

bool OptionTable::apply(size_t index, const char* value, const char* where, bool from_variable) {
    const PackedOptionRow& row = options_.rows[index];
    const char* applied = value;
    if (from_variable && row.kind == OptionKind::flag && !row.variable_is_value) {
        int on = parse_boolean(value);
        if (on < 0)
            return fail(
                "invalid value '%.40s%s' for %s: expected 1, true, yes, on or 0, false, no, off",
                value, strnlen(value, 41) > 40 ? "..." : "", where);
        if (!on)
            return true;
        applied = nullptr;  // as the flag on the command line
    }
    OptionWhy why;
    why.text[0] = '\0';
    const char* error = options_.apply(settings_, row.action, applied, why);
    if (!error)
        return true;
    // The value is cut so that the reason always fits on the line.
    return fail("invalid %s '%.40s%s' for %s: %s", options_.name(row.what), value,
                strnlen(value, 41) > 40 ? "..." : "", where, error);
}

// A list variable: each value between separators, copied so that it ends
// with a NUL (the environment itself is the child's too and stays as it is).
bool OptionTable::apply_list_variable(size_t index, const char* value) {
    const PackedOptionRow& row = options_.rows[index];
    const char* separators = row.one_per_line ? "\n" : ",; \t\n";
    char variable_buffer[48];
    const char* variable = options_.variable(row, variable_buffer);
    std::string_view rest(value);
    while (!rest.empty()) {
        size_t end = rest.find_first_of(separators);
        std::string_view item = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
        if (item.empty())
            continue;
        char copy[512];
        if (item.size() >= sizeof copy)
            return fail("invalid %s in %s: a value is longer than %zu bytes",
                        options_.name(row.what), variable, sizeof copy - 1);
        std::memcpy(copy, item.data(), item.size());
        copy[item.size()] = '\0';
        if (!apply(index, copy, variable, true))
            return false;
    }
    return true;
}

bool OptionTable::parse_arguments(int argc, char** argv, Operands operands, int& next,
                                  const char* (*on_operand)(void*, const char*)) {
    OptionScanner scanner(argc, argv, options_);
    for (;;) {
        switch (scanner.next()) {
            case OptionScanner::Step::option: {
                size_t index = scanner.option_index();
                given_ |= uint64_t{1} << index;
                if (!apply(index, scanner.value(), scanner.spelled(), false))
                    return false;
                break;
            }
            case OptionScanner::Step::error:
                for (const OptionAdvice& entry : options_.advice)
                    if (std::strcmp(scanner.spelled(), entry.spelled) == 0)
                        return fail("%s: %s", scanner.error(), entry.advice);
                return fail("%s", scanner.error());
            case OptionScanner::Step::operand:
                if (operands == Operands::end_options) {
                    next = scanner.index();
                    return true;
                }
                if (const char* error = on_operand(settings_, argv[scanner.index()]))
                    return fail("%s", error);
                scanner.skip_operand();
                break;
            case OptionScanner::Step::double_dash:
                if (operands == Operands::end_options) {
                    next = scanner.index();
                    return true;
                }
                break;
            case OptionScanner::Step::end:
                next = scanner.index();
                return true;
        }
    }
}

bool OptionTable::apply_environment(EnvironmentLookup environment) {
    for (size_t index = 0; index < options_.rows.size(); ++index) {
        const PackedOptionRow& row = options_.rows[index];
        if (!row.variable || given(index))
            continue;
        if (row.needs >= 0 && !set(static_cast<size_t>(row.needs)))
            continue;
        char variable_buffer[48];
        const char* variable = options_.variable(row, variable_buffer);
        const char* value = environment(variable);
        if (!value || !*value)
            continue;
        from_environment_ |= uint64_t{1} << index;
        bool applied = row.kind == OptionKind::list ? apply_list_variable(index, value)
                                                    : apply(index, value, variable, true);
        if (!applied)
            return false;
    }
    return true;
}

bool OptionTable::check_requirements() {
    for (size_t index = 0; index < options_.rows.size(); ++index) {
        const PackedOptionRow& row = options_.rows[index];
        if (row.needs < 0 || !given(index) || set(static_cast<size_t>(row.needs)))
            continue;
        const PackedOptionRow& required = options_.rows[static_cast<size_t>(row.needs)];
        return fail("option --%s needs --%s %s", options_.name(row.long_name),
                    options_.name(required.long_name), options_.name(required.what));
    }
    return true;
}

}  // namespace vigil
