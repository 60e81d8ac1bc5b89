// Output of a shell command, for the few facts only a tool knows (ldd, the
// package versions). Never used for anything that is timed.
#pragma once

#include <string>

#include "result.h"

namespace bench {

// stdout of `sh -c command`; a failure when it cannot run or exits non-zero.
Result<std::string> shell_output(const std::string& command);

}  // namespace bench
