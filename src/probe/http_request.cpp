#include "probe/http_request.h"

#include <cstring>

#include "base/text.h"
#include "base/version.h"

namespace vigil {
namespace {

bool is_token(std::string_view text) {
    if (text.empty())
        return false;
    for (char c : text)
        if (!is_token_character(c))
            return false;
    return true;
}

std::string_view header_name(std::string_view header) {
    return header.substr(0, header.find(':'));
}

// Appends to a fixed buffer; remembers running out of room.
class RequestWriter {
  public:
    RequestWriter(char* buffer, size_t size) : buffer_(buffer), size_(size) {}
    // Not inlined: build_request calls it a dozen times, and each copy
    // would be its own bounds check and memcpy.
    [[gnu::noinline]] void add(std::string_view text) {
        if (length_ + text.size() > size_) {
            overflow_ = true;
            return;
        }
        if (!text.empty())
            std::memcpy(buffer_ + length_, text.data(), text.size());
        length_ += text.size();
    }
    size_t finish() const { return overflow_ ? 0 : length_; }

  private:
    char* buffer_;
    size_t size_;
    size_t length_ = 0;
    bool overflow_ = false;
};

}  // namespace

const char* check_header(std::string_view header) {
    size_t colon = header.find(':');
    if (colon == std::string_view::npos)
        return "expected 'Name: value'";
    if (!is_token(header.substr(0, colon)))
        return "the name must be a token such as X-Probe (no spaces)";
    for (char c : header.substr(colon + 1))
        if (c == '\r' || c == '\n' || c == '\0')
            return "the value must not contain CR or LF";
    return nullptr;
}

const char* check_method(std::string_view method) {
    return is_token(method) ? nullptr : "a method is a single word such as GET or HEAD";
}

size_t build_request(const RequestSpec& spec, char* buffer, size_t size) {
    RequestWriter request(buffer, size);
    request.add(spec.method);
    request.add(" ");
    if (spec.target.empty() || spec.target[0] == '?')
        request.add("/");
    request.add(spec.target);
    request.add(" HTTP/1.1\r\n");
    // vigil's own headers, each left out when a -H header has its name.
    bool replaced[4] = {};
    for (const char* extra : spec.headers) {
        int own = find_string(header_name(extra), "Host\0User-Agent\0Accept\0Connection\0", true);
        if (own >= 0)
            replaced[own] = true;
    }
    if (!replaced[0]) {
        request.add("Host: ");
        request.add(spec.host);
        request.add("\r\n");
    }
    if (!replaced[1])
        request.add("User-Agent: vigil-probe/" VIGIL_VERSION "\r\n");
    if (!replaced[2])
        request.add("Accept: */*\r\n");
    if (!replaced[3])
        request.add("Connection: close\r\n");
    for (const char* extra : spec.headers) {
        request.add(extra);
        request.add("\r\n");
    }
    request.add("\r\n");
    return request.finish();
}

}  // namespace vigil
