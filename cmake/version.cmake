# The version line, `vigil --version`: one line that people, scripts and
# dockerd all read.
#
#     vigil 0.1.0 - git.v0_1_0-1a2b3c4d5e     (built from a git checkout)
#     vigil 0.1.0 - git.v0_1_0                (built from a source tarball)
#
# The first two words are the name and version, as before. The rest is for
# dockerd, which runs its init (`--init-path`, daemon.json's "init-path") as
# `docker-init --version` for `docker info` and `docker version`. It expects
# tini's "tini version X - git.REV": it splits at " - " and takes REV after
# "git." as the commit, which must have no dot; anything else it logs as a
# warning ("failed to parse ... version: unknown output format") on every
# `docker info`. `docker info` shows only that commit, so it carries both the
# version (dots as underscores) and the git revision: init version:
# v0_1_0-1a2b3c4d5e. catatonit answers the same parser by calling itself tini.
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
string(REPLACE "." "_" VIGIL_VERSION_TOKEN "v${PROJECT_VERSION}")
if(VIGIL_GIT_REVISION)
    string(APPEND VIGIL_VERSION_TOKEN "-${VIGIL_GIT_REVISION}")
endif()
set(VIGIL_VERSION_LINE "vigil ${PROJECT_VERSION} - git.${VIGIL_VERSION_TOKEN}")
configure_file(src/base/version.h.in "${CMAKE_CURRENT_BINARY_DIR}/generated/base/version.h" @ONLY)
