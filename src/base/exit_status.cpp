#include "base/exit_status.h"

#include <sys/wait.h>

namespace vigil {

int exit_code_from_wait_status(int wait_status) {
    if (WIFEXITED(wait_status))
        return WEXITSTATUS(wait_status);
    if (WIFSIGNALED(wait_status))
        return 128 + WTERMSIG(wait_status);
    return exit_internal;
}

}  // namespace vigil
