// How a binary is linked: static (no PT_INTERP program header, so the kernel
// runs it without a dynamic loader) or dynamic, with the shared libraries
// ldd resolves for it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "result.h"

namespace bench {

struct Linkage {
    bool is_static = false;
    std::vector<std::string> libraries;  // resolved paths, the loader included
    uint64_t libraries_bytes = 0;        // their total size on disk

    // "static", or "dynamic, 2 shared libraries (2,134 KiB)".
    std::string describe() const;
};

Result<Linkage> read_linkage(const std::string& path);

}  // namespace bench
