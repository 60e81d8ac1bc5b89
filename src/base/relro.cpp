#include "base/relro.h"

#include <elf.h>
#include <sys/auxv.h>
#include <sys/mman.h>

#include <cerrno>
#include <cstdint>
#include <type_traits>

// The linker's symbol for the binary's own dynamic section; a static binary
// that is not a PIE has none (null). Its run-time address minus its address
// in the program headers is where the binary was loaded.
extern "C" const char _DYNAMIC[] __attribute__((weak, visibility("hidden")));  // NOLINT

namespace vigil {
namespace {

using ProgramHeader = std::conditional_t<sizeof(void*) == 8, Elf64_Phdr, Elf32_Phdr>;

}  // namespace

int protect_relro() {
    // The auxiliary vector gives addresses as integers: nothing to optimize.
    // NOLINTNEXTLINE(performance-no-int-to-ptr)
    const auto* headers = reinterpret_cast<const ProgramHeader*>(getauxval(AT_PHDR));
    size_t count = getauxval(AT_PHNUM);
    uintptr_t page = getauxval(AT_PAGESZ);
    if (!headers || !page)
        return 0;
    uintptr_t base = 0;
    const ProgramHeader* relro = nullptr;
    for (size_t i = 0; i < count; ++i) {
        if (headers[i].p_type == PT_DYNAMIC && _DYNAMIC)
            base = reinterpret_cast<uintptr_t>(_DYNAMIC) - headers[i].p_vaddr;
        if (headers[i].p_type == PT_GNU_RELRO)
            relro = &headers[i];
    }
    if (!relro)
        return 0;
    // The linker ends the region on a page boundary; rounding the end down
    // never takes in the writable data after it.
    uintptr_t start = (base + relro->p_vaddr) & ~(page - 1);
    uintptr_t end = (base + relro->p_vaddr + relro->p_memsz) & ~(page - 1);
    if (end <= start)
        return 0;
    // Page arithmetic is done on integers; mprotect wants the page back as a pointer.
    if (mprotect(reinterpret_cast<void*>(start), end - start,  // NOLINT(performance-no-int-to-ptr)
                 PROT_READ) != 0)
        return errno;
    return 0;
}

}  // namespace vigil
