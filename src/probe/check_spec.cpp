#include "probe/check_spec.h"

#include <cstring>

#include "base/duration.h"
#include "probe/http_request.h"

namespace vigil {

const char* set_check_url(CheckSpec& spec, const char* text) {
    UrlParse parsed = parse_url(text);
    if (!parsed.ok)
        return parsed.error;
    spec.url = parsed.url;
    return nullptr;
}

const char* set_check_status(CheckSpec& spec, const char* text) {
    const char* error = nullptr;
    return spec.healthy.parse(text, error) ? nullptr : error;
}

const char* CheckSpec::keep(std::string_view text) {
    if (text.size() >= sizeof text_ - text_used_)
        return nullptr;
    char* kept = text_ + text_used_;
    std::memcpy(kept, text.data(), text.size());
    kept[text.size()] = '\0';
    text_used_ += text.size() + 1;
    return kept;
}

const char* add_check_header(CheckSpec& spec, const char* header) {
    if (const char* error = check_header(header))
        return error;
    if (spec.header_count == spec.headers.size())
        return "too many headers (at most 32)";
    const char* kept = spec.keep(header);
    if (!kept)
        return "the headers exceed 4 KiB in all";
    spec.headers[spec.header_count++] = kept;
    return nullptr;
}

const char* set_check_method(CheckSpec& spec, const char* method) {
    if (const char* error = check_method(method))
        return error;
    spec.method = method;
    return nullptr;
}

const char* set_check_timeout(CheckSpec& spec, const char* text) {
    auto timeout = parse_duration_ms(text);
    if (!timeout)
        return duration_syntax_hint;
    if (*timeout == 0)
        return "a timeout must be longer than 0";
    spec.timeout_ms = *timeout;
    return nullptr;
}

}  // namespace vigil
