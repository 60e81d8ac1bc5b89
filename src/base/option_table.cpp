#include "base/option_table.h"

#include <cstdarg>
#include <cstring>
#include <string_view>

#include "base/format.h"
#include "base/option_scanner.h"
#include "base/text.h"

namespace vigil {

int parse_boolean(const char* text) {
    std::string_view value(text);
    for (const char* yes : {"1", "true", "yes", "on"})
        if (equals_ignoring_case(value, yes))
            return 1;
    for (const char* no : {"0", "false", "no", "off"})
        if (equals_ignoring_case(value, no))
            return 0;
    return -1;
}

bool OptionTable::fail(const char* format, ...) {
    va_list arguments;
    va_start(arguments, format);
    vformat_one_line(error_, error_size_, format, arguments);
    va_end(arguments);
    return false;
}

bool OptionTable::apply(size_t index, const char* value, const char* where, bool from_variable) {
    const OptionRow& row = rows_[index];
    OptionWhy why;
    why.text[0] = '\0';
    const char* error = nullptr;
    if (from_variable && row.kind == OptionKind::flag && row.apply_variable) {
        error = row.apply_variable(settings_, value, why);
    } else if (from_variable && row.kind == OptionKind::flag) {
        int on = parse_boolean(value);
        if (on < 0)
            return fail("invalid value '%s' for %s: expected 1, true, yes, on or 0, false, no, off",
                        value, where);
        if (on)
            error = row.apply(settings_, nullptr, why);
    } else {
        error = row.apply(settings_, value, why);
    }
    if (!error)
        return true;
    return fail("invalid %s '%s' for %s: %s", row.what.get(), value, where, error);
}

// A list variable: each value between separators, copied so that it ends
// with a NUL (the environment itself is the child's too and stays as it is).
bool OptionTable::apply_list_variable(size_t index, const char* value) {
    const OptionRow& row = rows_[index];
    const char* separators = row.separators ? row.separators.get() : ",; \t\n";
    std::string_view rest(value);
    while (!rest.empty()) {
        size_t end = rest.find_first_of(separators);
        std::string_view item = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
        if (item.empty())
            continue;
        char copy[512];
        if (item.size() >= sizeof copy)
            return fail("invalid %s in %s: a value is longer than %zu bytes", row.what.get(),
                        row.variable.get(), sizeof copy - 1);
        std::memcpy(copy, item.data(), item.size());
        copy[item.size()] = '\0';
        if (!apply(index, copy, row.variable, true))
            return false;
    }
    return true;
}

bool OptionTable::parse_arguments(int argc, char** argv, Operands operands, int& next,
                                  const char* (*on_operand)(void*, const char*)) {
    OptionScanner scanner(argc, argv, rows_);
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
                for (const OptionAdvice& entry : advice_)
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
    for (size_t index = 0; index < rows_.size(); ++index) {
        const OptionRow& row = rows_[index];
        if (!row.variable || given(index))
            continue;
        if (row.needs >= 0 && !set(static_cast<size_t>(row.needs)))
            continue;
        const char* value = environment(row.variable);
        if (!value || !*value)
            continue;
        from_environment_ |= uint64_t{1} << index;
        bool applied = row.kind == OptionKind::list ? apply_list_variable(index, value)
                                                    : apply(index, value, row.variable, true);
        if (!applied)
            return false;
    }
    return true;
}

bool OptionTable::check_requirements() {
    for (size_t index = 0; index < rows_.size(); ++index) {
        const OptionRow& row = rows_[index];
        if (row.needs < 0 || !given(index) || set(static_cast<size_t>(row.needs)))
            continue;
        const OptionRow& required = rows_[static_cast<size_t>(row.needs)];
        return fail("option --%s needs --%s %s", row.long_name.get(), required.long_name.get(),
                    required.what.get());
    }
    return true;
}

}  // namespace vigil
