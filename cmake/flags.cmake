# Compiler and linker flags for vigil's own targets.
#
# Every flavour: C++20 without exceptions or RTTI (vigil uses neither, and the
# release binary must not carry their support code).
#
# VIGIL_STATIC_MUSL: compile with Debian's musl-gcc specs file and libstdc++'s
# headers added by hand, link statically with the C driver so that no libstdc++
# archive (built for glibc) is pulled in. Only header-only parts of the standard
# library link; src/cxx_support.cpp supplies the few hooks those headers name.

set(VIGIL_COMMON_FLAGS -fno-exceptions -fno-rtti -fno-threadsafe-statics -Wall -Wextra -Wshadow)
# Every preset turns warnings into errors (VIGIL_WERROR); a plain configure
# does not, so that a newer compiler's new warning never stops a user's build.
if(VIGIL_WERROR)
    list(APPEND VIGIL_COMMON_FLAGS -Werror)
endif()

if(VIGIL_STATIC_MUSL)
    find_file(VIGIL_MUSL_SPECS musl-gcc.specs
        PATHS /usr/lib/x86_64-linux-musl /usr/lib/musl /usr/local/musl/lib
        NO_DEFAULT_PATH)
    if(NOT VIGIL_MUSL_SPECS)
        message(FATAL_ERROR "musl-gcc.specs not found: install Debian's musl-tools")
    endif()
    if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
        message(FATAL_ERROR "the static musl build needs g++ (found ${CMAKE_CXX_COMPILER_ID})")
    endif()
    string(REGEX MATCH "^[0-9]+" VIGIL_GCC_MAJOR "${CMAKE_CXX_COMPILER_VERSION}")
    execute_process(COMMAND ${CMAKE_CXX_COMPILER} -dumpmachine
        OUTPUT_VARIABLE VIGIL_GCC_TRIPLE OUTPUT_STRIP_TRAILING_WHITESPACE)
    set(VIGIL_MUSL_COMPILE_FLAGS
        -specs=${VIGIL_MUSL_SPECS}
        -nostdinc++
        "SHELL:-isystem /usr/include/c++/${VIGIL_GCC_MAJOR}"
        "SHELL:-isystem /usr/include/${VIGIL_GCC_TRIPLE}/c++/${VIGIL_GCC_MAJOR}"
        # libstdc++'s os_defines.h asks glibc's version macro; musl has none.
        "-D__GLIBC_PREREQ(major,minor)=0"
        # Smaller than -Os (3 KB of 64); vigil's time goes to system calls.
        -Oz
        -ffunction-sections -fdata-sections
        -fno-asynchronous-unwind-tables -fno-unwind-tables
        -fno-stack-protector
        -DVIGIL_CXX_SUPPORT)
    set(VIGIL_MUSL_LINK_FLAGS
        -specs=${VIGIL_MUSL_SPECS} -static -Wl,--gc-sections -Wl,--build-id=none -s
        # One read-only and one writable segment instead of four page-aligned
        # ones: the padding between them was a fifth of the file.
        -Wl,-z,noseparate-code -Wl,-z,norelro)
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

function(vigil_executable_flags target)
    if(VIGIL_STATIC_MUSL)
        set_target_properties(${target} PROPERTIES LINKER_LANGUAGE C)
        target_link_options(${target} PRIVATE ${VIGIL_MUSL_LINK_FLAGS})
    endif()
endfunction()
