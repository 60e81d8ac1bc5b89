#include "probe/check_spec.h"

#include <cstring>

#include "base/duration.h"
#include "base/expand.h"
#include "probe/http_request.h"

namespace vigil {

namespace {

// `text` with its ${NAME} and ${NAME:-default} replaced, kept in the spec's
// own storage; null with `error` set when it cannot be.
const char* expand_and_keep(CheckSpec& spec, const char* text, EnvironmentLookup environment,
                            const char*& error) {
    if (!std::strchr(text, '$'))
        return text;  // nothing to expand: the caller's text lives on
    char expanded[1024];
    static ExpandResult result;  // its error outlives the call (one parse at a time)
    result = expand_variables(text, environment, expanded, sizeof expanded);
    if (!result.ok) {
        error = result.error;
        return nullptr;
    }
    const char* kept = spec.keep(std::string_view(expanded, result.length));
    if (!kept)
        error = "the URL and headers exceed 4 KiB in all";
    return kept;
}

}  // namespace

const char* set_check_url(CheckSpec& spec, const char* text, EnvironmentLookup environment) {
    const char* error = nullptr;
    const char* url = expand_and_keep(spec, text, environment, error);
    if (!url)
        return error;
    UrlParse parsed = parse_url(url);
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

const char* add_check_header(CheckSpec& spec, const char* header, EnvironmentLookup environment) {
    if (spec.header_count == spec.headers.size())
        return "too many headers (at most 32)";
    const char* error = nullptr;
    const char* expanded = expand_and_keep(spec, header, environment, error);
    if (!expanded)
        return error;
    if ((error = check_header(expanded)))
        return error;
    // A header given on the command line or in the environment lives on; a
    // piece of a list variable does not, and is kept.
    const char* kept = expanded == header ? spec.keep(header) : expanded;
    if (!kept)
        return "the URL and headers exceed 4 KiB in all";
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
