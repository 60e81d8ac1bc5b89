// ${NAME} and ${NAME:-default} in a URL or a header value, replaced from the
// environment, so that an exec-form HEALTHCHECK (which no shell expands) can
// follow the application's configuration:
//     ["/vigil", "probe", "http://localhost:${PORT:-8080}/healthz"]
// The forms are the shell's (POSIX.1-2017, 2.6.2 Parameter Expansion), and
// only these two:
//   ${NAME}            the variable's value (empty when set but empty); an
//                      unset NAME is an error that names it
//   ${NAME:-default}   the value, or `default` when NAME is unset or empty
//   $${                a literal "${"; any other '$' stands for itself
// NAME is a letter or '_', then letters, digits and '_'. A default holds no
// '}' and is not itself expanded.
#pragma once

#include <cstddef>
#include <string_view>

#include "base/environment.h"

namespace vigil {

struct ExpandResult {
    bool ok = false;
    size_t length = 0;    // of the expansion in `out` (NUL-terminated), when ok
    char error[96] = {};  // a phrase that completes "invalid URL 'X': ...", when not
};

// Expands `text` into `out` (`size` bytes, NUL included).
ExpandResult expand_variables(std::string_view text, EnvironmentLookup environment, char* out,
                              size_t size);

}  // namespace vigil
