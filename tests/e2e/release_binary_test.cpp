// The release binary's stack protector, live and not only present: checksec
// (.ci/run) finds __stack_chk_fail's symbol; these tests show that the
// release binary links the handler, and that a program built with the same
// recipe (tests/hardening, beside vigil in every release build) gets a fresh
// canary on every run and is stopped by an overrun of a stack buffer. Run on
// the binary under test, so on arm64 too (under qemu-user) when VIGIL_BINARY
// names that build.
#include <elf.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstring>
#include <set>
#include <string>

#include "docker.h"
#include "process_harness.h"

using namespace vigil_e2e;
using vigil_test::run;
using vigil_test::RunOutput;

namespace {

std::string directory_of(const std::string& path) {
    size_t slash = path.rfind('/');
    return slash == std::string::npos ? "." : path.substr(0, slash);
}

// The program the release presets build beside vigil.
std::string check_program() {
    return directory_of(static_vigil_binary()) + "/stack_protector_check";
}

// The names in an ELF64 file's symbol table (.symtab); empty when it has none.
std::set<std::string> symbol_names(const std::string& path) {
    std::string file = vigil_test::read_file(path);
    std::set<std::string> names;
    if (file.size() < sizeof(Elf64_Ehdr) || file.compare(0, SELFMAG, ELFMAG) != 0)
        return names;
    Elf64_Ehdr header;
    std::memcpy(&header, file.data(), sizeof header);
    auto section = [&](size_t index) {
        Elf64_Shdr entry{};
        size_t offset = header.e_shoff + index * sizeof(Elf64_Shdr);
        if (offset + sizeof entry <= file.size())
            std::memcpy(&entry, file.data() + offset, sizeof entry);
        return entry;
    };
    for (size_t i = 0; i < header.e_shnum; ++i) {
        Elf64_Shdr symbols = section(i);
        if (symbols.sh_type != SHT_SYMTAB)
            continue;
        Elf64_Shdr strings = section(symbols.sh_link);
        for (size_t offset = symbols.sh_offset;
             offset + sizeof(Elf64_Sym) <= symbols.sh_offset + symbols.sh_size &&
             offset + sizeof(Elf64_Sym) <= file.size();
             offset += sizeof(Elf64_Sym)) {
            Elf64_Sym symbol;
            std::memcpy(&symbol, file.data() + offset, sizeof symbol);
            size_t name = strings.sh_offset + symbol.st_name;
            if (symbol.st_name != 0 && name < file.size())
                names.insert(std::string(file.c_str() + name));
        }
    }
    return names;
}

class ReleaseBinary : public ::testing::Test {
  protected:
    void SetUp() override {
        // No core files from the deliberate crash (qemu-user writes its own).
        rlimit no_core{0, 0};
        setrlimit(RLIMIT_CORE, &no_core);
        if (access(check_program().c_str(), X_OK) != 0) {
            std::string why = check_program() +
                              " is missing: it is built beside vigil by the release presets, and "
                              "VIGIL_BINARY names a vigil without it";
            if (vigil_test::in_ci())
                FAIL() << why << "; CI=true forbids skipping";
            GTEST_SKIP() << why;
        }
    }
};

}  // namespace

TEST_F(ReleaseBinary, LinksTheStackProtectorsFailureHandler) {
    std::string unstripped = static_vigil_binary() + ".unstripped";
    std::set<std::string> names = symbol_names(unstripped);
    ASSERT_FALSE(names.empty()) << "no symbol table in " << unstripped;
    // Linked only when compiled code calls it: with -fno-stack-protector,
    // --gc-sections leaves it out.
    EXPECT_EQ(names.count("__stack_chk_fail"), 1u) << unstripped;
    EXPECT_EQ(names.count("__init_ssp"), 1u) << "musl sets up no canary in " << unstripped;
}

TEST_F(ReleaseBinary, StackProtectorCanaryIsFreshOnEveryRun) {
    std::set<std::string> canaries;
    for (int i = 0; i < 3; ++i) {
        RunOutput output = run({check_program(), "canary"}, 60s);
        ASSERT_EQ(output.result.exit_code, 0) << output.err;
        std::string canary = trim(output.out);
        ASSERT_EQ(canary.size(), 18u) << canary;
        EXPECT_NE(canary, "0x0000000000000000") << "no canary was set up";
        canaries.insert(canary);
    }
    EXPECT_EQ(canaries.size(), 3u) << "the same canary in different runs";
}

TEST_F(ReleaseBinary, StackProtectorStopsAStackBufferOverrun) {
    RunOutput output = run({check_program(), "overflow"}, 60s);
    ASSERT_TRUE(output.result.exited);
    EXPECT_EQ(output.out.find("went unnoticed"), std::string::npos) << output.out;
    // musl's __stack_chk_fail crashes the process on purpose.
    EXPECT_EQ(output.result.signal, SIGSEGV)
        << "exit status " << output.result.exit_code << ", output: " << output.out << output.err;
}
