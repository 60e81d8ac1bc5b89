# `cmake --workflow --preset dist`: the release artifacts, in dist/ at the top
# of the source tree, for every architecture in VIGIL_DIST_ARCHES:
#
#   vigil-VERSION-linux-ARCH             the static binary (release-ARCH preset)
#   vigil_VERSION_ARCH.deb               its Debian package (CPack)
#   vigil-VERSION-linux-ARCH.image.tar   the image of packaging/Dockerfile for
#                                        linux/ARCH (docker save; docker load -i
#                                        gives vigil:VERSION-ARCH)
#   SHA256SUMS                           sha256sum of all of them
#
# Nothing is published: README.md ("Releases") says how a maintainer does that.
#
# The dist configuration builds no vigil of its own. Each architecture is a
# build of its release preset in build/dist/release-ARCH, exactly as
# `cmake --workflow --preset release-ARCH` makes it, so every architecture
# needs its toolchain (README, "The other architecture"). The images are built
# with BuildKit (--platform linux/ARCH: TARGETARCH picks the binary), which
# needs a running Docker engine and, for arm64 on amd64, qemu-user registered
# with binfmt_misc only to run them, not to build them (FROM scratch).
#
# Reproducible: the binaries and .deb files of one commit are the same bytes
# in any directory and at any time. SOURCE_DATE_EPOCH is the environment's or
# the commit's time (git log -1 --format=%ct); the build passes it on, and
# the package build runs with umask 022. The images are not bit for bit the
# same (the engine records when it built them); their labels and files are.
set(VIGIL_DIST_ARCHES "amd64;arm64" CACHE STRING
    "Architectures of the release artifacts (Debian's names; each has a release-ARCH preset)")
option(VIGIL_DIST_IMAGES "Build and save the images (needs Docker with BuildKit)" ON)
set(VIGIL_DIST_DIR "${PROJECT_SOURCE_DIR}/dist" CACHE PATH "Where the release artifacts go")

# The commit: its time and full hash.
set(source_date_epoch "$ENV{SOURCE_DATE_EPOCH}")
set(revision "")
if(GIT_FOUND AND EXISTS "${PROJECT_SOURCE_DIR}/.git")
    if(source_date_epoch STREQUAL "")
        execute_process(COMMAND "${GIT_EXECUTABLE}" log -1 --format=%ct
            WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}"
            OUTPUT_VARIABLE source_date_epoch OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    endif()
    execute_process(COMMAND "${GIT_EXECUTABLE}" rev-parse HEAD
        WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}"
        OUTPUT_VARIABLE revision OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
endif()
if(NOT source_date_epoch MATCHES "^[0-9]+$")
    message(FATAL_ERROR "dist: no commit time to date the artifacts by: build from a git "
        "checkout, or set SOURCE_DATE_EPOCH (seconds since 1970)")
endif()
# The image's created label: that time in RFC 3339 (string(TIMESTAMP) reads
# SOURCE_DATE_EPOCH from the environment).
set(saved_epoch "$ENV{SOURCE_DATE_EPOCH}")
set(ENV{SOURCE_DATE_EPOCH} "${source_date_epoch}")
string(TIMESTAMP created "%Y-%m-%dT%H:%M:%SZ" UTC)
set(ENV{SOURCE_DATE_EPOCH} "${saved_epoch}")

set(version "${PROJECT_VERSION}")
set(with_epoch "${CMAKE_COMMAND}" -E env "SOURCE_DATE_EPOCH=${source_date_epoch}")

if(VIGIL_DIST_IMAGES)
    # The first docker CLI on PATH that builds with BuildKit: one with the
    # buildx plugin, or one older than 23.0, which has BuildKit built in
    # (Debian 12's docker.io); Docker 23 and later need buildx for it.
    set(VIGIL_DOCKER "" CACHE FILEPATH "docker CLI for the images (with BuildKit)")
    if(NOT VIGIL_DOCKER)
        string(REPLACE ":" ";" path_directories "$ENV{PATH}")
        foreach(directory IN LISTS path_directories)
            set(candidate "${directory}/docker")
            if(NOT EXISTS "${candidate}" OR IS_DIRECTORY "${candidate}")
                continue()
            endif()
            execute_process(COMMAND "${candidate}" buildx version
                RESULT_VARIABLE buildx_result OUTPUT_QUIET ERROR_QUIET)
            execute_process(COMMAND "${candidate}" version --format "{{.Client.Version}}"
                OUTPUT_VARIABLE client_version OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
            if(buildx_result EQUAL 0 OR (client_version MATCHES "^([0-9]+)\\."
                                         AND CMAKE_MATCH_1 LESS 23))
                set(VIGIL_DOCKER "${candidate}" CACHE FILEPATH
                    "docker CLI for the images (with BuildKit)" FORCE)
                break()
            endif()
        endforeach()
    endif()
    if(NOT VIGIL_DOCKER)
        message(FATAL_ERROR "dist: no docker CLI on PATH builds with BuildKit (Debian 12: "
            "apt-get install docker.io; Docker 23 and later need the buildx plugin); or "
            "configure with -DVIGIL_DIST_IMAGES=OFF for binaries and packages only")
    endif()
    message(STATUS "dist: images with ${VIGIL_DOCKER} (BuildKit)")
endif()

# dist/ holds one release: emptied first.
add_custom_target(dist_clean
    COMMAND "${CMAKE_COMMAND}" -E rm -rf "${VIGIL_DIST_DIR}"
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${VIGIL_DIST_DIR}"
    COMMENT "dist: emptying ${VIGIL_DIST_DIR}")

set(artifacts "")
set(previous dist_clean)
foreach(arch IN LISTS VIGIL_DIST_ARCHES)
    set(build "${CMAKE_BINARY_DIR}/release-${arch}")
    set(binary "vigil-${version}-linux-${arch}")
    set(deb "vigil_${version}_${arch}.deb")
    set(commands
        COMMAND ${with_epoch} "${CMAKE_COMMAND}" -S "${PROJECT_SOURCE_DIR}" -B "${build}"
                --preset "release-${arch}" "-DVIGIL_MAINTAINER=${VIGIL_MAINTAINER}"
                "-DVIGIL_HOMEPAGE=${VIGIL_HOMEPAGE}"
        COMMAND ${with_epoch} "${CMAKE_COMMAND}" --build "${build}" --parallel 2
        COMMAND "${CMAKE_COMMAND}" -E rm -rf "${build}/packages"
        # umask 022: CPack gives the archive members of the .deb the umask's modes.
        COMMAND ${with_epoch} sh -c "umask 022 && exec \"$0\" \"$@\"" "${CMAKE_CPACK_COMMAND}"
                -G DEB --config "${build}/CPackConfig.cmake" -B "${build}/packages"
        COMMAND "${CMAKE_COMMAND}" -E copy "${build}/vigil" "${VIGIL_DIST_DIR}/${binary}"
        COMMAND "${CMAKE_COMMAND}" -E copy "${build}/packages/${deb}" "${VIGIL_DIST_DIR}/${deb}")
    list(APPEND artifacts "${binary}" "${deb}")
    if(VIGIL_DIST_IMAGES)
        set(image "vigil-${version}-linux-${arch}.image.tar")
        set(tag "vigil:${version}-${arch}")
        list(APPEND commands
            COMMAND "${CMAKE_COMMAND}" -E env DOCKER_BUILDKIT=1 "${VIGIL_DOCKER}" build
                    --platform "linux/${arch}" -f "${PROJECT_SOURCE_DIR}/packaging/Dockerfile"
                    --build-arg "VERSION=${version}" --build-arg "SOURCE=${VIGIL_HOMEPAGE}"
                    --build-arg "REVISION=${revision}" --build-arg "CREATED=${created}"
                    -t "${tag}" "${VIGIL_DIST_DIR}"
            COMMAND "${VIGIL_DOCKER}" save -o "${VIGIL_DIST_DIR}/${image}" "${tag}"
            COMMAND chmod 0644 "${VIGIL_DIST_DIR}/${image}"
            # The file is the artifact; the engine is left as it was.
            COMMAND "${VIGIL_DOCKER}" rmi "${tag}")
        list(APPEND artifacts "${image}")
    endif()
    add_custom_target(dist_${arch} ${commands}
        COMMENT "dist: ${arch}: the release build, its package and image"
        VERBATIM)
    add_dependencies(dist_${arch} ${previous})
    set(previous dist_${arch})
endforeach()

add_custom_target(dist ALL
    COMMAND sh -c "sha256sum \"$@\" > SHA256SUMS" sha256sum ${artifacts}
    COMMAND "${CMAKE_COMMAND}" -E echo "dist: ${VIGIL_DIST_DIR}:"
    COMMAND cat SHA256SUMS
    WORKING_DIRECTORY "${VIGIL_DIST_DIR}"
    COMMENT "dist: SHA256SUMS"
    VERBATIM)
add_dependencies(dist ${previous})
