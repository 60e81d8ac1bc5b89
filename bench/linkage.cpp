#include "linkage.h"

#include <elf.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "shell.h"

namespace bench {
namespace {

Result<bool> has_interpreter(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    if (!file)
        return fail(errno_message("open " + path));
    Elf64_Ehdr header{};
    if (!file.read(reinterpret_cast<char*>(&header), sizeof header) ||
        std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0 || header.e_ident[EI_CLASS] != ELFCLASS64)
        return fail(path + " is not a 64-bit ELF file");
    for (int i = 0; i < header.e_phnum; ++i) {
        Elf64_Phdr program_header{};
        file.seekg(static_cast<std::streamoff>(header.e_phoff + uint64_t(i) * header.e_phentsize));
        if (!file.read(reinterpret_cast<char*>(&program_header), sizeof program_header))
            return fail(path + ": truncated program headers");
        if (program_header.p_type == PT_INTERP)
            return true;
    }
    return false;
}

// The paths in ldd's output: "libc.so.6 => /lib/.../libc.so.6 (0x...)" and
// "/lib64/ld-linux-x86-64.so.2 (0x...)"; linux-vdso has no file.
std::vector<std::string> library_paths(const std::string& ldd_output) {
    std::vector<std::string> paths;
    std::istringstream lines(ldd_output);
    std::string line;
    while (std::getline(lines, line)) {
        size_t arrow = line.find("=> ");
        size_t start = arrow != std::string::npos ? arrow + 3 : line.find_first_not_of(" \t");
        if (start == std::string::npos || line[start] != '/')
            continue;
        paths.push_back(line.substr(start, line.find(' ', start) - start));
    }
    return paths;
}

}  // namespace

std::string Linkage::describe() const {
    if (is_static)
        return "static";
    char text[96];
    std::snprintf(text, sizeof text, "dynamic, %zu shared libraries (%llu KiB)", libraries.size(),
                  static_cast<unsigned long long>(libraries_bytes / 1024));
    return text;
}

Result<Linkage> read_linkage(const std::string& path) {
    Result<bool> dynamic = has_interpreter(path);
    if (!dynamic)
        return fail(dynamic.error());
    Linkage linkage;
    linkage.is_static = !*dynamic;
    if (linkage.is_static)
        return linkage;
    Result<std::string> ldd = shell_output("ldd '" + path + "'");
    if (!ldd)
        return fail(ldd.error());
    linkage.libraries = library_paths(*ldd);
    for (const std::string& library : linkage.libraries) {
        struct stat info {};
        if (stat(library.c_str(), &info) < 0)
            return fail(errno_message("stat " + library));
        linkage.libraries_bytes += static_cast<uint64_t>(info.st_size);
    }
    return linkage;
}

}  // namespace bench
