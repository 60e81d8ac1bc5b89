#include "shared_page.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdlib>

namespace bench {

Result<std::unique_ptr<SharedPage>> SharedPage::create() {
    char path[] = "/dev/shm/vigil-bench-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return fail(errno_message("mkstemp /dev/shm/vigil-bench-XXXXXX"));
    // A fresh file reads as zeros: every field starts at 0.
    if (ftruncate(fd, sizeof(SharedState)) < 0) {
        std::string message = errno_message("ftruncate shared page");
        close(fd);
        unlink(path);
        return fail(message);
    }
    void* mapping = mmap(nullptr, sizeof(SharedState), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    std::string message = errno_message("mmap shared page");
    close(fd);
    if (mapping == MAP_FAILED) {
        unlink(path);
        return fail(message);
    }
    return std::unique_ptr<SharedPage>(new SharedPage(path, static_cast<SharedState*>(mapping)));
}

SharedPage::~SharedPage() {
    munmap(state_, sizeof(SharedState));
    unlink(path_.c_str());
}

}  // namespace bench
