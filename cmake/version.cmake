# The version string: the project version, plus the git revision when built
# from a checkout ("0.1.0 (git 1a2b3c4)"), so a bug report names the build.
find_package(Git QUIET)
set(VIGIL_GIT_REVISION "")
if(GIT_FOUND AND EXISTS "${CMAKE_SOURCE_DIR}/.git")
    execute_process(
        COMMAND "${GIT_EXECUTABLE}" rev-parse --short=10 HEAD
        WORKING_DIRECTORY "${CMAKE_SOURCE_DIR}"
        OUTPUT_VARIABLE VIGIL_GIT_REVISION
        OUTPUT_STRIP_TRAILING_WHITESPACE
        ERROR_QUIET)
endif()
if(VIGIL_GIT_REVISION)
    set(VIGIL_VERSION_STRING "${PROJECT_VERSION} (git ${VIGIL_GIT_REVISION})")
else()
    set(VIGIL_VERSION_STRING "${PROJECT_VERSION}")
endif()
configure_file(src/base/version.h.in "${CMAKE_CURRENT_BINARY_DIR}/generated/base/version.h" @ONLY)
