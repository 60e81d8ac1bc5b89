// The release binary's stack protector, live and not only present: checksec
// (.ci/run) finds __stack_chk_fail's symbol; these tests show that vigil's
// own functions call it, and that a program built with the same
// recipe (tests/hardening, beside vigil in every release build) gets a fresh
// canary on every run and is stopped by an overrun of a stack buffer. Run on
// the binary under test, so on arm64 too (under qemu-user) when VIGIL_BINARY
// names that build.
#include <elf.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <set>
#include <string>
#include <utility>
#include <vector>

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

// vigil's own functions (namespace vigil, and main) in an ELF64 executable's
// symbol table whose code calls the stack protector's failure handler,
// __stack_chk_fail: the functions GCC gave a canary check. Looked for by
// decoding direct calls and jumps (x86-64 E8/E9 rel32; arm64 BL/B imm26).
// musl's own code calls the handler too, so only vigil's functions count.
struct CanaryChecks {
    std::string problem;  // why the file could not be read
    size_t functions = 0;
    std::vector<std::string> checked;
};

CanaryChecks canary_checks(const std::string& path) {
    CanaryChecks result;
    std::string file = vigil_test::read_file(path);
    Elf64_Ehdr header{};
    if (file.size() < sizeof header || file.compare(0, SELFMAG, ELFMAG) != 0) {
        result.problem = path + " is not an ELF file";
        return result;
    }
    std::memcpy(&header, file.data(), sizeof header);
    auto read_at = [&](auto& value, size_t offset) {
        if (offset + sizeof value > file.size())
            return false;
        std::memcpy(&value, file.data() + offset, sizeof value);
        return true;
    };
    std::vector<Elf64_Shdr> sections(header.e_shnum);
    for (size_t i = 0; i < sections.size(); ++i)
        read_at(sections[i], header.e_shoff + i * sizeof(Elf64_Shdr));
    std::vector<std::pair<std::string, Elf64_Sym>> functions;
    uint64_t handler = 0;
    for (const Elf64_Shdr& table : sections) {
        if (table.sh_type != SHT_SYMTAB || table.sh_link >= sections.size())
            continue;
        const Elf64_Shdr& names = sections[table.sh_link];
        for (size_t offset = 0; offset + sizeof(Elf64_Sym) <= table.sh_size;
             offset += sizeof(Elf64_Sym)) {
            Elf64_Sym symbol{};
            if (!read_at(symbol, table.sh_offset + offset) ||
                names.sh_offset + symbol.st_name >= file.size())
                continue;
            std::string name = file.c_str() + names.sh_offset + symbol.st_name;
            if (name == "__stack_chk_fail")
                handler = symbol.st_value;
            bool own = name == "main" || name.rfind("_ZN5vigil", 0) == 0;
            if (own && ELF64_ST_TYPE(symbol.st_info) == STT_FUNC && symbol.st_size > 0)
                functions.emplace_back(name, symbol);
        }
    }
    if (functions.empty()) {
        result.problem = "no symbol table with vigil's functions in " + path;
        return result;
    }
    result.functions = functions.size();
    if (handler == 0)
        return result;
    // A function's bytes: in the section that holds its address.
    auto code_of = [&](const Elf64_Sym& symbol) -> std::string {
        for (const Elf64_Shdr& section : sections) {
            if (section.sh_type == SHT_PROGBITS && symbol.st_value >= section.sh_addr &&
                symbol.st_value + symbol.st_size <= section.sh_addr + section.sh_size)
                return file.substr(section.sh_offset + (symbol.st_value - section.sh_addr),
                                   symbol.st_size);
        }
        return "";
    };
    for (const auto& [name, symbol] : functions) {
        std::string code = code_of(symbol);
        bool calls = false;
        if (header.e_machine == EM_X86_64) {
            for (size_t i = 0; !calls && i + 5 <= code.size(); ++i) {
                unsigned char opcode = static_cast<unsigned char>(code[i]);
                int32_t displacement;
                std::memcpy(&displacement, code.data() + i + 1, 4);
                calls = (opcode == 0xe8 || opcode == 0xe9) &&
                        symbol.st_value + i + 5 + static_cast<int64_t>(displacement) == handler;
            }
        } else if (header.e_machine == EM_AARCH64) {
            for (size_t i = 0; !calls && i + 4 <= code.size(); i += 4) {
                uint32_t word;
                std::memcpy(&word, code.data() + i, 4);
                if ((word & 0x7c000000u) != 0x14000000u)  // BL or B
                    continue;
                int64_t offset = static_cast<int64_t>(static_cast<int32_t>(word << 6) >> 6) * 4;
                calls = symbol.st_value + i + offset == handler;
            }
        } else {
            result.problem = path + ": an architecture this test cannot decode";
            return result;
        }
        if (calls)
            result.checked.push_back(name);
    }
    return result;
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

// checksec only finds __stack_chk_fail's symbol, which musl's own code also
// brings in: a vigil built without the protector has it too. Here the calls
// from vigil's own functions are counted.
TEST_F(ReleaseBinary, VigilsOwnFunctionsCheckTheirCanary) {
    std::string unstripped = static_vigil_binary() + ".unstripped";
    CanaryChecks checks = canary_checks(unstripped);
    ASSERT_EQ(checks.problem, "");
    std::printf("%zu of vigil's %zu functions check a canary\n", checks.checked.size(),
                checks.functions);
    // -fstack-protector-strong: every function with a local array or a local
    // whose address is taken; most of vigil's buffers are such locals.
    EXPECT_GE(checks.checked.size(), 10u) << "in " << unstripped;
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
