// stack_protector_check: a program built with the release binary's own
// recipe (cmake/flags.cmake: static musl PIE, -fstack-protector-strong, the
// same linker and start files), so that tests/e2e/release_binary_test.cpp can
// show the stack protector at work rather than only present:
//
//   stack_protector_check canary     prints the canary that this run's stack
//                                    frames are checked against, in hex
//   stack_protector_check overflow   overruns a 16-byte buffer on the stack
//
// The canary comes from the kernel's AT_RANDOM bytes, which musl's start code
// copies (__init_ssp), so it differs from run to run. With the protector,
// the overrun is found when the function returns and musl's __stack_chk_fail
// crashes the process (SIGSEGV). Without it, nothing notices: the words
// written over the frame are all the address of overflow_went_unnoticed(),
// so whether the function returns normally or through a return address the
// overrun replaced, the program says so and exits 3.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if !defined(__x86_64__)
// musl's copy of the canary; GCC's code reads it from here on arm64.
extern "C" uintptr_t __stack_chk_guard;
#endif

namespace {

// What this run's stack frames are checked against.
uintptr_t canary() {
#if defined(__x86_64__)
    // GCC's code reads it at %fs:0x28, where musl's thread block keeps it.
    uintptr_t value;
    asm volatile("mov %%fs:0x28, %0" : "=r"(value));
    return value;
#else
    return __stack_chk_guard;
#endif
}

void print(const char* text) {
    ssize_t ignored = write(STDOUT_FILENO, text, strlen(text));
    (void)ignored;
}

#if defined(__x86_64__)
// Reached by `ret`, not `call`, the stack is 8 bytes off the ABI's alignment.
#define REALIGN_STACK __attribute__((force_align_arg_pointer))
#else
#define REALIGN_STACK
#endif

[[noreturn]] REALIGN_STACK void overflow_went_unnoticed() {
    print("the overrun went unnoticed\n");
    _exit(3);
}

// 16 bytes for the buffer and 64 more over whatever the frame keeps above it
// (the canary, saved registers, the return address, the caller's frame).
uintptr_t overrun[(16 + 64) / sizeof(uintptr_t)];

__attribute__((noinline)) void copy_to_stack(const void* source, size_t length) {
    char buffer[16];
    memcpy(buffer, source, length);
    asm volatile("" : : "r"(buffer) : "memory");  // the copy is not dead
}

}  // namespace

int main(int argc, char** argv) {
    if (argc == 2 && strcmp(argv[1], "canary") == 0) {
        char text[2 + 16 + 2] = "0x";
        uintptr_t value = canary();
        for (int i = 0; i < 16; ++i) text[2 + i] = "0123456789abcdef"[value >> (60 - 4 * i) & 0xf];
        text[18] = '\n';
        print(text);
        return 0;
    }
    if (argc == 2 && strcmp(argv[1], "overflow") == 0) {
        for (uintptr_t& word : overrun)
            word = reinterpret_cast<uintptr_t>(&overflow_went_unnoticed);
        // The length is not a constant the compiler could check.
        volatile size_t length = sizeof overrun;
        copy_to_stack(overrun, length);
        overflow_went_unnoticed();
    }
    print("usage: stack_protector_check canary|overflow\n");
    return 2;
}
