# Compiler and linker flags for vigil's own targets.
#
# Every flavour: C++20 without exceptions or RTTI (vigil uses neither, and the
# release binary must not carry their support code).
#
# VIGIL_STATIC_MUSL (the release presets): a static PIE against musl, for the
# compiler's target (cmake/musl.cmake finds musl for it). Compiled with
# Debian's musl-gcc specs file and libstdc++'s headers added by hand; linked
# by hand (below), so that no libstdc++ archive (built for glibc) is pulled in.
# Only header-only parts of the standard library link; src/base/cxx_support.cpp
# supplies the few hooks those headers name.
#
# Hardening, on every architecture, and what each measure costs is in
# docs/benchmarks.md ("Hardening"):
#   - static PIE: vigil's own code and data at a random address (ASLR);
#   - -fstack-protector-strong: a canary in every frame with an array or an
#     address taken; musl sets it up from AT_RANDOM and supplies
#     __stack_chk_fail;
#   - full RELRO (-z relro -z now): the relocated pointers and the GOT
#     read-only after start-up (musl's static start code does not apply
#     PT_GNU_RELRO itself: src/base/relro.cpp does);
#   - a non-executable stack (-z noexecstack).
# With lld, code also has pages of its own: the ELF header and read-only data
# are not executable.

set(VIGIL_COMMON_FLAGS -fno-exceptions -fno-rtti -fno-threadsafe-statics -Wall -Wextra -Wshadow)
# Every preset turns warnings into errors (VIGIL_WERROR); a plain configure
# does not, so that a newer compiler's new warning never stops a user's build.
if(VIGIL_WERROR)
    list(APPEND VIGIL_COMMON_FLAGS -Werror)
endif()

# The measures the release binary gets; all of them always. Leaving one out
# is only for measuring what it costs (bench/binary-size.sh).
set(VIGIL_HARDENING "pie;stack-protector;relro" CACHE STRING
    "Hardening of the static musl binary: pie, stack-protector, relro (releases: all three)")
mark_as_advanced(VIGIL_HARDENING)

if(VIGIL_STATIC_MUSL)
    include(cmake/musl.cmake)
    set(VIGIL_MUSL_COMPILE_FLAGS
        # Smaller than -Os (3 KB of 64); vigil's time goes to system calls.
        -Oz
        -ffunction-sections -fdata-sections
        -fno-asynchronous-unwind-tables -fno-unwind-tables
        # No build path in the binary: two checkouts build the same bytes.
        "-ffile-prefix-map=${PROJECT_SOURCE_DIR}=."
        -DVIGIL_CXX_SUPPORT)
    # LLVM's linker, not GNU ld: GNU ld pads the file so that the RELRO region
    # ends on a page boundary in the file too, which on arm64 (64 KiB pages at
    # most) made the binary 133 KB; and it keeps code and read-only data apart
    # only at the price of more padding (-z separate-code, +8 KB). lld moves
    # segments in memory instead of padding the file: code, read-only data,
    # RELRO and data each get pages of their own at no cost in the file.
    find_program(VIGIL_LLD ld.lld)
    if(NOT VIGIL_LLD)
        message(FATAL_ERROR "ld.lld not found: the static musl build links with LLVM's linker "
            "(on Debian: apt-get install lld)")
    endif()
    # gcc finds the linker that -fuse-ld=lld names in its -B directory.
    file(MAKE_DIRECTORY "${CMAKE_BINARY_DIR}/linker")
    file(CREATE_LINK "${VIGIL_LLD}" "${CMAKE_BINARY_DIR}/linker/ld.lld" SYMBOLIC)
    set(VIGIL_MUSL_LINK_FLAGS
        "-B${CMAKE_BINARY_DIR}/linker/" -fuse-ld=lld
        -Wl,--gc-sections -Wl,--build-id=none -Wl,-z,noexecstack
        # Identical functions (template copies, twin accessors) kept once.
        -Wl,--icf=all)
    if("stack-protector" IN_LIST VIGIL_HARDENING)
        list(APPEND VIGIL_MUSL_COMPILE_FLAGS -fstack-protector-strong)
    else()
        list(APPEND VIGIL_MUSL_COMPILE_FLAGS -fno-stack-protector)
    endif()
    if("relro" IN_LIST VIGIL_HARDENING)
        list(APPEND VIGIL_MUSL_LINK_FLAGS -Wl,-z,relro -Wl,-z,now)
    else()
        list(APPEND VIGIL_MUSL_LINK_FLAGS -Wl,-z,norelro)
    endif()
    if("pie" IN_LIST VIGIL_HARDENING)
        set(pie_compile -fPIE)
        set(pie_link -static-pie)
        set(start_file rcrt1.o)
    else()
        set(pie_compile -fno-pie)
        set(pie_link -static -no-pie)
        set(start_file crt1.o)
    endif()
    list(APPEND VIGIL_MUSL_COMPILE_FLAGS ${pie_compile})
    if(VIGIL_MUSL_NATIVE)
        # A musl compiler knows its own start files for -static-pie.
        list(APPEND VIGIL_MUSL_LINK_FLAGS ${pie_link})
    else()
        if(VIGIL_CLANG)
            # clang for musl's target, with the headers in the order clang
            # itself searches them: libstdc++'s (whose <cstdlib> includes the
            # C library's <stdlib.h> next), clang's own, then musl's. The
            # whole program is optimized at link time (-flto): 10 % smaller
            # on arm64 than without.
            list(PREPEND VIGIL_MUSL_COMPILE_FLAGS
                --target=${VIGIL_MUSL_TRIPLE} -flto -nostdinc -nostdinc++
                "-D__GLIBC_PREREQ(major,minor)=0")
            foreach(directory IN LISTS VIGIL_CXX_INCLUDE_DIRS)
                list(APPEND VIGIL_MUSL_COMPILE_FLAGS "SHELL:-isystem ${directory}")
            endforeach()
            list(APPEND VIGIL_MUSL_COMPILE_FLAGS
                "SHELL:-isystem ${VIGIL_CLANG_RESOURCE_DIR}/include"
                "SHELL:-isystem /usr/include/${VIGIL_MUSL_TRIPLE}")
            list(PREPEND VIGIL_MUSL_LINK_FLAGS --target=${VIGIL_MUSL_TRIPLE} -flto)
            # No frame pointer (arm64 keeps one by default; x86-64 at -Oz
            # does not), and on arm64 the machine outliner, which turns
            # repeated instruction sequences into calls, run thrice rather
            # than once: 600 bytes on arm64.
            list(APPEND VIGIL_MUSL_COMPILE_FLAGS -fomit-frame-pointer)
            if(VIGIL_MUSL_TRIPLE MATCHES "^aarch64")
                list(APPEND VIGIL_MUSL_LINK_FLAGS -Wl,-mllvm,-machine-outliner-reruns=3)
            endif()
            # clang has no -static-pie of its own before clang 15: the linker
            # is told directly.
            if("pie" IN_LIST VIGIL_HARDENING)
                set(pie_link -Wl,-static -Wl,-pie)
            endif()
        else()
            list(PREPEND VIGIL_MUSL_COMPILE_FLAGS
                -specs=${VIGIL_MUSL_SPECS}
                -nostdinc++
                # libstdc++'s os_defines.h asks glibc's version macro; musl has none.
                "-D__GLIBC_PREREQ(major,minor)=0")
            foreach(directory IN LISTS VIGIL_CXX_INCLUDE_DIRS)
                list(APPEND VIGIL_MUSL_COMPILE_FLAGS "SHELL:-isystem ${directory}")
            endforeach()
        endif()
        # Debian's specs file turns -static-pie into a dynamically linked PIE
        # against musl's libc.so (`file` says "dynamically linked"), so the
        # link is spelled out: musl's rcrt1.o relocates the binary itself, no
        # dynamic linker is named, and libc.a is the only library.
        list(APPEND VIGIL_MUSL_LINK_FLAGS -nostdlib -nostartfiles ${pie_link})
        if("pie" IN_LIST VIGIL_HARDENING)
            list(APPEND VIGIL_MUSL_LINK_FLAGS -Wl,--no-dynamic-linker)
        endif()
        set(start_files
            "${VIGIL_MUSL_LIB_DIR}/${start_file} ${VIGIL_MUSL_LIB_DIR}/crti.o ${VIGIL_CRTBEGIN}")
        set(end_files "${VIGIL_MUSL_LIB_DIR}/libc.a ${VIGIL_LIBGCC} ${VIGIL_CRTEND} "
            "${VIGIL_MUSL_LIB_DIR}/crtn.o")
        string(CONCAT end_files ${end_files})
        set(CMAKE_C_LINK_EXECUTABLE "<CMAKE_C_COMPILER> <FLAGS> <CMAKE_C_LINK_FLAGS> <LINK_FLAGS> \
${start_files} <OBJECTS> -o <TARGET> <LINK_LIBRARIES> ${end_files}")
    endif()
    if(VIGIL_CLANG)
        # GNU strip knows only the host's machine; LLVM's knows every target.
        find_program(VIGIL_LLVM_STRIP NAMES llvm-strip llvm-strip-${CMAKE_CXX_COMPILER_VERSION_MAJOR})
        if(VIGIL_LLVM_STRIP)
            set(CMAKE_STRIP "${VIGIL_LLVM_STRIP}")
        endif()
    endif()
    # vigil is linked with the C driver: no libstdc++ or libm behind its back.
    set(CMAKE_CXX_IMPLICIT_LINK_LIBRARIES "")
    set(CMAKE_CXX_IMPLICIT_LINK_DIRECTORIES "")
endif()

function(vigil_target_flags target)
    target_compile_options(${target} PRIVATE ${VIGIL_COMMON_FLAGS})
    if(VIGIL_STATIC_MUSL)
        target_compile_options(${target} PRIVATE ${VIGIL_MUSL_COMPILE_FLAGS})
    endif()
    if(VIGIL_SANITIZE)
        target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer
            -fno-sanitize-recover=all)
        target_link_options(${target} PUBLIC -fsanitize=address,undefined)
    endif()
endfunction()

# A static musl executable: linked as above, then stripped of its symbols and
# of .comment (the compilers' and linker's names, of no use to anyone running
# it). The unstripped file stays beside it as NAME.unstripped, for
# `nm --size-sort -S` (what each function costs; docs/benchmarks.md).
function(vigil_executable_flags target)
    if(VIGIL_STATIC_MUSL)
        set_target_properties(${target} PROPERTIES LINKER_LANGUAGE C)
        target_link_options(${target} PRIVATE ${VIGIL_MUSL_LINK_FLAGS})
        add_custom_command(TARGET ${target} POST_BUILD
            COMMAND "${CMAKE_COMMAND}" -E copy "$<TARGET_FILE:${target}>"
                    "$<TARGET_FILE:${target}>.unstripped"
            COMMAND "${CMAKE_STRIP}" --strip-all --remove-section=.comment
                    "$<TARGET_FILE:${target}>"
            VERBATIM)
    endif()
endfunction()
