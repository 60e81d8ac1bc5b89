#include "base/expand.h"

#include <cstring>

#include "base/format.h"

namespace vigil {
namespace {

bool is_name_character(char c, bool first) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
           (!first && c >= '0' && c <= '9');
}

}  // namespace

// Walks the text with plain pointers: string_view's checked substr() would
// cost its bounds checks at every step, in a binary counted in bytes.
ExpandResult expand_variables(std::string_view text, EnvironmentLookup environment, char* out,
                              size_t size) {
    ExpandResult result;
    const char* at = text.data();
    const char* end = at + text.size();
    size_t length = 0;
    char name[64];
    while (at < end) {
        const char* piece = at;
        size_t piece_length = 1;
        const char* next = at + 1;
        if (end - at >= 3 && at[0] == '$' && at[1] == '$' && at[2] == '{') {
            piece = "${";
            piece_length = 2;
            next = at + 3;
        } else if (end - at >= 2 && at[0] == '$' && at[1] == '{') {
            const char* inside = at + 2;
            const char* close = static_cast<const char*>(std::memchr(inside, '}', end - inside));
            if (!close) {
                format_into(result.error, sizeof result.error,
                            "'${' without its '}' (write $${ for a literal ${)");
                return result;
            }
            const char* name_end = inside;
            while (name_end < close && is_name_character(*name_end, name_end == inside)) ++name_end;
            size_t name_length = static_cast<size_t>(name_end - inside);
            bool has_default = close - name_end >= 2 && name_end[0] == ':' && name_end[1] == '-';
            if (name_length == 0 || name_length >= sizeof name ||
                (name_end != close && !has_default)) {
                int shown = static_cast<int>(close - inside > 40 ? 40 : close - inside);
                format_into(result.error, sizeof result.error,
                            "'${%.*s}' is not ${NAME} or ${NAME:-default}", shown, inside);
                return result;
            }
            std::memcpy(name, inside, name_length);
            name[name_length] = '\0';
            const char* value = environment(name);
            if (has_default && (!value || !*value)) {
                piece = name_end + 2;
                piece_length = static_cast<size_t>(close - piece);
            } else if (value) {
                piece = value;
                piece_length = std::strlen(value);
            } else {
                format_into(result.error, sizeof result.error,
                            "the variable %s is not set (${%s:-DEFAULT} gives a default)", name,
                            name);
                return result;
            }
            next = close + 1;
        }
        if (length + piece_length >= size) {
            format_into(result.error, sizeof result.error, "longer than fits once expanded");
            return result;
        }
        std::memcpy(out + length, piece, piece_length);
        length += piece_length;
        at = next;
    }
    if (size == 0) {
        format_into(result.error, sizeof result.error, "longer than fits once expanded");
        return result;
    }
    out[length] = '\0';
    result.length = length;
    result.ok = true;
    return result;
}

}  // namespace vigil
