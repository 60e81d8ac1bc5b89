#include "base/expand.h"

#include <cstring>

#include "base/format.h"

namespace vigil {
namespace {

bool is_name_start(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

bool is_name_character(char c) {
    return is_name_start(c) || (c >= '0' && c <= '9');
}

}  // namespace

ExpandResult expand_variables(std::string_view text, EnvironmentLookup environment, char* out,
                              size_t size) {
    ExpandResult result;
    size_t length = 0;
    bool fits = true;
    auto append = [&](std::string_view piece) {
        fits = fits && length + piece.size() < size;
        if (fits) {
            std::memcpy(out + length, piece.data(), piece.size());
            length += piece.size();
        }
        return fits;
    };
    for (size_t i = 0; i < text.size();) {
        if (text.substr(i, 3) == "$${") {
            if (!append("${"))
                break;
            i += 3;
            continue;
        }
        if (text.substr(i, 2) != "${") {
            if (!append(text.substr(i, 1)))
                break;
            ++i;
            continue;
        }
        size_t close = text.find('}', i + 2);
        if (close == std::string_view::npos) {
            format_into(result.error, sizeof result.error,
                        "'${' without its '}' (write $${ for a literal ${)");
            return result;
        }
        std::string_view inside = text.substr(i + 2, close - i - 2);
        size_t name_length = 0;
        while (name_length < inside.size() && is_name_character(inside[name_length])) ++name_length;
        std::string_view name = inside.substr(0, name_length);
        std::string_view rest = inside.substr(name_length);
        bool has_default = rest.substr(0, 2) == ":-";
        if (name.empty() || !is_name_start(name[0]) || (!rest.empty() && !has_default)) {
            format_into(result.error, sizeof result.error,
                        "'${%.*s}' is not ${NAME} or ${NAME:-default}",
                        static_cast<int>(inside.size() > 40 ? 40 : inside.size()), inside.data());
            return result;
        }
        char name_text[64];
        if (name.size() >= sizeof name_text) {
            format_into(result.error, sizeof result.error, "a variable name is too long");
            return result;
        }
        std::memcpy(name_text, name.data(), name.size());
        name_text[name.size()] = '\0';
        const char* value = environment(name_text);
        if (has_default && (!value || !*value)) {
            if (!append(rest.substr(2)))
                break;
        } else if (value) {
            if (!append(value))
                break;
        } else {
            format_into(result.error, sizeof result.error,
                        "the variable %s is not set (${%s:-DEFAULT} gives a default)", name_text,
                        name_text);
            return result;
        }
        i = close + 1;
    }
    if (!fits || size == 0) {
        format_into(result.error, sizeof result.error, "longer than %zu bytes once expanded",
                    size == 0 ? size : size - 1);
        return result;
    }
    out[length] = '\0';
    result.length = length;
    result.ok = true;
    return result;
}

}  // namespace vigil
