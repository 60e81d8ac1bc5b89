# Finds what the static musl build needs for the compiler's target, whatever
# that target is: the host's, or a cross compiler's (the release-ARCH presets).
#
# Two kinds of compiler work:
#   - a musl compiler (Alpine's g++; its target ends in -musl): it has its own
#     headers and start files, so nothing is looked up;
#   - a glibc compiler (Debian's g++, g++-aarch64-linux-gnu, ...) with Debian's
#     musl-dev for the same target. musl lives in /usr/lib/<musl triplet>
#     (x86_64-linux-gnu -> x86_64-linux-musl, arm-linux-gnueabihf ->
#     arm-linux-musleabihf), with the specs file musl-gcc.specs that points the
#     compiler at musl's headers. libstdc++'s headers are the compiler's own
#     (only header-only parts of the standard library are used), found by
#     asking the compiler where they are.
#
# Sets, for flags.cmake:
#   VIGIL_TARGET_TRIPLE       the compiler's target (gcc -dumpmachine)
#   VIGIL_MUSL_NATIVE         ON for a musl compiler
#   VIGIL_MUSL_LIB_DIR        musl's libc.a and start files (glibc compiler only)
#   VIGIL_MUSL_SPECS          the specs file (glibc compiler only)
#   VIGIL_CXX_INCLUDE_DIRS    libstdc++'s headers for the target (glibc compiler only)
#   VIGIL_CRTBEGIN, VIGIL_CRTEND, VIGIL_LIBGCC   the compiler's own pieces
#
# Every error names the file that is missing and the Debian package that has it.

# With clang (the release presets): clang compiles and links with LTO for the
# target VIGIL_TARGET names (a GNU triplet, x86_64-linux-gnu, aarch64-linux-gnu;
# default: clang's own), and the target's GNU toolchain supplies what clang
# takes from it: libstdc++'s headers and gcc's start files and libgcc. That
# is g++ for the host, g++-TRIPLET for a cross build (Debian's packages).
# Clang with LTO makes the smallest binary: on arm64 some 10 % smaller than
# g++ -Oz, whose LTO lld cannot link.
set(VIGIL_TARGET "" CACHE STRING "Target of a clang build, as a GNU triplet (default: clang's own)")
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    set(VIGIL_CLANG ON)
    set(VIGIL_TARGET_TRIPLE "${VIGIL_TARGET}")
    if(NOT VIGIL_TARGET_TRIPLE)
        execute_process(COMMAND ${CMAKE_CXX_COMPILER} -dumpmachine
            OUTPUT_VARIABLE VIGIL_TARGET_TRIPLE OUTPUT_STRIP_TRAILING_WHITESPACE)
        string(REGEX REPLACE "-(pc|unknown)-" "-" VIGIL_TARGET_TRIPLE "${VIGIL_TARGET_TRIPLE}")
    endif()
    find_program(VIGIL_GNU_CC ${VIGIL_TARGET_TRIPLE}-gcc)
    find_program(VIGIL_GNU_CXX ${VIGIL_TARGET_TRIPLE}-g++)
    if(NOT VIGIL_GNU_CC OR NOT VIGIL_GNU_CXX)
        message(FATAL_ERROR "${VIGIL_TARGET_TRIPLE}-g++ not found: clang takes libstdc++'s "
            "headers and gcc's start files from it (on Debian: apt-get install g++ for the host, "
            "g++-${VIGIL_TARGET_TRIPLE} for a cross build)")
    endif()
    execute_process(COMMAND ${CMAKE_CXX_COMPILER} -print-resource-dir
        OUTPUT_VARIABLE VIGIL_CLANG_RESOURCE_DIR OUTPUT_STRIP_TRAILING_WHITESPACE)
elseif(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    set(VIGIL_CLANG OFF)
    set(VIGIL_GNU_CC "${CMAKE_C_COMPILER}")
    set(VIGIL_GNU_CXX "${CMAKE_CXX_COMPILER}")
    execute_process(COMMAND ${CMAKE_CXX_COMPILER} -dumpmachine
        OUTPUT_VARIABLE VIGIL_TARGET_TRIPLE OUTPUT_STRIP_TRAILING_WHITESPACE)
else()
    message(FATAL_ERROR "the static musl build needs clang or g++ (found "
        "${CMAKE_CXX_COMPILER_ID} ${CMAKE_CXX_COMPILER}); on Debian: apt-get install clang")
endif()

# Debian's architecture name for a GNU triplet, for messages (musl-dev:arm64).
function(vigil_debian_arch triple out)
    set(arch "")
    if(triple MATCHES "^x86_64-")
        set(arch amd64)
    elseif(triple MATCHES "^aarch64-")
        set(arch arm64)
    elseif(triple MATCHES "^arm.*-gnueabihf$")
        set(arch armhf)
    elseif(triple MATCHES "^riscv64-")
        set(arch riscv64)
    elseif(triple MATCHES "^powerpc64le-")
        set(arch ppc64el)
    elseif(triple MATCHES "^s390x-")
        set(arch s390x)
    elseif(triple MATCHES "^i[3-6]86-")
        set(arch i386)
    endif()
    set(${out} "${arch}" PARENT_SCOPE)
endfunction()
vigil_debian_arch("${VIGIL_TARGET_TRIPLE}" VIGIL_DEBIAN_ARCH)

# The compiler's own start files and runtime library: the same for both kinds.
foreach(piece crtbeginS.o crtendS.o)
    execute_process(COMMAND ${VIGIL_GNU_CC} -print-file-name=${piece}
        OUTPUT_VARIABLE path OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(NOT IS_ABSOLUTE "${path}" OR NOT EXISTS "${path}")
        message(FATAL_ERROR "${VIGIL_GNU_CC} has no ${piece} (its gcc is incomplete; "
            "on Debian: apt-get install --reinstall gcc)")
    endif()
    string(REGEX REPLACE "S\\.o$" "" name "${piece}")
    string(TOUPPER "${name}" name)
    set(VIGIL_${name} "${path}")
endforeach()
execute_process(COMMAND ${VIGIL_GNU_CC} -print-libgcc-file-name
    OUTPUT_VARIABLE VIGIL_LIBGCC OUTPUT_STRIP_TRAILING_WHITESPACE)

if(VIGIL_TARGET_TRIPLE MATCHES "-musl" AND NOT VIGIL_CLANG)
    set(VIGIL_MUSL_NATIVE ON)
    message(STATUS "musl: ${VIGIL_TARGET_TRIPLE} is a musl compiler; no specs file needed")
    return()
endif()
set(VIGIL_MUSL_NATIVE OFF)

# x86_64-linux-gnu -> x86_64-linux-musl; arm-linux-gnueabihf -> arm-linux-musleabihf;
# i686-linux-gnu -> i386-linux-musl (musl names the 32-bit x86 port i386).
string(REGEX REPLACE "-gnu" "-musl" musl_triple "${VIGIL_TARGET_TRIPLE}")
string(REGEX REPLACE "^i[3-6]86-" "i386-" musl_triple "${musl_triple}")
set(VIGIL_MUSL_TRIPLE "${musl_triple}" CACHE STRING "musl's name for the target (Debian's multiarch directory)")

set(musl_package "musl-dev:${VIGIL_DEBIAN_ARCH}")
if(NOT CMAKE_CROSSCOMPILING)
    set(musl_package "musl-tools")
endif()
set(VIGIL_MUSL_LIB_DIR "/usr/lib/${VIGIL_MUSL_TRIPLE}" CACHE PATH
    "musl's libc.a, start files and specs file for the target")
foreach(file musl-gcc.specs rcrt1.o crti.o crtn.o libc.a)
    if(NOT EXISTS "${VIGIL_MUSL_LIB_DIR}/${file}")
        message(FATAL_ERROR "musl for ${VIGIL_TARGET_TRIPLE} not found: "
            "${VIGIL_MUSL_LIB_DIR}/${file} is missing (on Debian: apt-get install ${musl_package}"
            "; or set VIGIL_MUSL_LIB_DIR)")
    endif()
endforeach()
set(VIGIL_MUSL_SPECS "${VIGIL_MUSL_LIB_DIR}/musl-gcc.specs")
if(NOT EXISTS "/usr/include/${VIGIL_MUSL_TRIPLE}/stdio.h")
    message(FATAL_ERROR "musl's headers for ${VIGIL_TARGET_TRIPLE} not found: "
        "/usr/include/${VIGIL_MUSL_TRIPLE}/stdio.h is missing (on Debian: apt-get install "
        "${musl_package})")
endif()

# libstdc++'s headers: the directories the compiler itself searches whose
# path names c++ (e.g. /usr/include/c++/12 and /usr/include/x86_64-linux-gnu/c++/12,
# or /usr/aarch64-linux-gnu/include/c++/12/...); the specs file's -nostdinc
# drops them, so they are added back by hand.
execute_process(COMMAND ${VIGIL_GNU_CXX} -x c++ -E -v -
    INPUT_FILE /dev/null OUTPUT_QUIET ERROR_VARIABLE search_output)
string(REGEX MATCH "#include <...> search starts here:\n(.*)End of search list" search_list
    "${search_output}")
string(REPLACE "\n" ";" search_list "${CMAKE_MATCH_1}")
set(VIGIL_CXX_INCLUDE_DIRS "")
foreach(directory IN LISTS search_list)
    string(STRIP "${directory}" directory)
    if(directory MATCHES "/c\\+\\+/[0-9]+" AND NOT directory MATCHES "/backward$")
        get_filename_component(directory "${directory}" REALPATH)
        list(APPEND VIGIL_CXX_INCLUDE_DIRS "${directory}")
    endif()
endforeach()
set(first_cxx_directory "")
if(VIGIL_CXX_INCLUDE_DIRS)
    list(GET VIGIL_CXX_INCLUDE_DIRS 0 first_cxx_directory)
endif()
if(NOT first_cxx_directory OR NOT EXISTS "${first_cxx_directory}/span")
    message(FATAL_ERROR "libstdc++'s headers for ${VIGIL_TARGET_TRIPLE} not found "
        "(${VIGIL_GNU_CXX} searches no .../c++/N directory with <span>; on Debian: "
        "apt-get install g++ for the host, g++-${VIGIL_TARGET_TRIPLE} for a cross build)")
endif()
message(STATUS "musl: ${VIGIL_MUSL_LIB_DIR} for ${VIGIL_TARGET_TRIPLE}; "
    "libstdc++ headers: ${VIGIL_CXX_INCLUDE_DIRS}")
