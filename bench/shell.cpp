#include "shell.h"

#include <sys/wait.h>

#include <cstdio>

namespace bench {

Result<std::string> shell_output(const std::string& command) {
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe)
        return fail(errno_message("popen " + command));
    std::string output;
    char buffer[4096];
    size_t length;
    while ((length = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, length);
    int status = pclose(pipe);
    if (status < 0)
        return fail(errno_message("pclose " + command));
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return fail("'" + command + "' failed");
    return output;
}

}  // namespace bench
