// What a health check asks and how it judges the answer, as given on a
// command line: `vigil probe`'s options, and the supervisor's --watchdog-*
// options, which mean the same. Setters return null, or a phrase that
// completes "invalid X 'VALUE': ...", so each command line words its own
// errors around them.
//
// A CheckSpec keeps its own copy of the text it was given where that text
// may not outlive the parse (a header from a list variable), and points into
// it; so it is neither copied nor moved: configurations are filled in place.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/environment.h"
#include "probe/status_list.h"
#include "probe/url.h"

namespace vigil {

inline constexpr size_t max_extra_headers = 32;
// As the kubelet: more redirects than this are a failure.
inline constexpr int max_redirects = 10;
// Room for the text a CheckSpec keeps (the -H headers, all together).
inline constexpr size_t check_text_bytes = 4096;

class CheckSpec {
  public:
    CheckSpec() = default;
    CheckSpec(const CheckSpec&) = delete;
    CheckSpec& operator=(const CheckSpec&) = delete;

    // Copies `text` into this spec's own storage; null when it is full.
    const char* keep(std::string_view text);

    Url url;
    StatusList healthy = StatusList::kubernetes_default();
    std::string_view method = "GET";
    const char* unix_socket = nullptr;  // --unix-socket: connect there instead
    std::array<const char*, max_extra_headers> headers{};
    size_t header_count = 0;
    int64_t timeout_ms = 3000;
    // --expect: healthy only if the body's first 10 KiB contain this text
    // (http_body.h); null: the body is never read.
    const char* expect = nullptr;
    // --follow-redirects: follow 3xx to the same scheme, host and port (up
    // to max_redirects) and judge the final response (redirect.h).
    bool follow_redirects = false;

  private:
    // Not zeroed: only the bytes used are ever touched.
    char text_[check_text_bytes];
    size_t text_used_ = 0;
};

// The URL and the headers may hold ${NAME} and ${NAME:-default}, replaced
// from `environment` (base/expand.h).
const char* set_check_url(CheckSpec& spec, const char* text, EnvironmentLookup environment);
const char* set_check_status(CheckSpec& spec, const char* text);
const char* add_check_header(CheckSpec& spec, const char* header, EnvironmentLookup environment);
const char* set_check_method(CheckSpec& spec, const char* method);
const char* set_check_timeout(CheckSpec& spec, const char* text);

}  // namespace vigil
