// Fuzzes ${NAME} and ${NAME:-default} expansion in probe URLs and headers:
// the first piece (up to a NUL) is the text, the others NAME=VALUE
// variables. Whatever they hold, the expansion fits its buffer and ends with
// a NUL where it says, or fails with a reason; text without "${" expands to
// itself; and a smaller buffer never gives a longer result.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/expand.h"
#include "fuzz_check.h"

using vigil_fuzz::check;

namespace {

std::map<std::string, std::string> variables;

char* lookup(const char* name) {
    auto found = variables.find(name);
    return found == variables.end() ? nullptr : found->second.data();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::vector<std::string> pieces = vigil_fuzz::split_at_nul(data, size);
    if (pieces.empty())
        return 0;
    variables.clear();
    for (size_t i = 1; i < pieces.size(); ++i) {
        size_t equals = pieces[i].find('=');
        if (equals != std::string::npos)
            variables[pieces[i].substr(0, equals)] = pieces[i].substr(equals + 1);
    }
    const std::string& text = pieces[0];
    std::vector<char> out(4096, '#');
    vigil::ExpandResult result = vigil::expand_variables(text, lookup, out.data(), out.size());
    if (!result.ok) {
        check(result.error[0] != '\0' && std::memchr(result.error, '\0', sizeof result.error));
        return 0;
    }
    check(result.length < out.size() && out[result.length] == '\0');
    if (text.find('$') == std::string::npos)
        check(std::string_view(out.data(), result.length) == text);
    size_t small = 1 + (text.size() + result.length) % 64;
    std::vector<char> cut(small, '#');
    vigil::ExpandResult again = vigil::expand_variables(text, lookup, cut.data(), small);
    check(!again.ok || (again.length < small && again.length <= result.length &&
                        std::memcmp(cut.data(), out.data(), again.length) == 0));
    return 0;
}
