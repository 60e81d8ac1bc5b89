# Installing and packaging vigil.
#
# `cmake --install` puts the binary in bin, where tini, dumb-init and
# catatonit are and where daemon.json's "init-path" usually points; the man
# page in share/man/man1 (section 1, user commands, as for a program in bin)
# and the Debian changelog, both gzipped as Debian wants them. In the static
# musl build (the release presets) CPack makes a Debian package of that:
#   cmake --workflow --preset release && cd build/release && cpack -G DEB
# gives vigil_VERSION_ARCH.deb with /usr/bin/vigil, its man page, copyright,
# changelog and lintian override, clean under lintian. `cmake --workflow
# --preset dist` makes one per architecture (cmake/dist.cmake). Other builds
# (the sanitizer one links ASan dynamically) get no CPack configuration: their
# binary is not one to ship.
#
# Reproducible: the same commit gives the same .deb in any directory and at
# any time. File times in the package are SOURCE_DATE_EPOCH, which is the
# commit's time unless the environment sets it; gzip stores no name or time;
# owners are root and modes are fixed, whatever the umask.
include(GNUInstallDirs)

find_program(VIGIL_GZIP gzip REQUIRED)
# -n: no name or timestamp in the header, so the package is reproducible.
function(vigil_gzip source output)
    add_custom_command(OUTPUT "${output}"
        COMMAND sh -c "\"${VIGIL_GZIP}\" -9 -n -c \"$1\" > \"$2\"" gzip "${source}" "${output}"
        DEPENDS "${source}"
        COMMENT "Compressing ${source}"
        VERBATIM)
endfunction()
set(VIGIL_MAN_PAGE "${CMAKE_CURRENT_BINARY_DIR}/vigil.1.gz")
set(VIGIL_CHANGELOG "${CMAKE_CURRENT_BINARY_DIR}/changelog.gz")
vigil_gzip("${PROJECT_SOURCE_DIR}/packaging/vigil.1" "${VIGIL_MAN_PAGE}")
vigil_gzip("${PROJECT_SOURCE_DIR}/packaging/changelog" "${VIGIL_CHANGELOG}")
add_custom_target(package_documents ALL DEPENDS "${VIGIL_MAN_PAGE}" "${VIGIL_CHANGELOG}")

set(CMAKE_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
install(TARGETS vigil RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
install(FILES "${VIGIL_MAN_PAGE}" DESTINATION "${CMAKE_INSTALL_MANDIR}/man1")
install(FILES LICENSE DESTINATION "${CMAKE_INSTALL_DOCDIR}" RENAME copyright)
install(FILES "${VIGIL_CHANGELOG}" DESTINATION "${CMAKE_INSTALL_DOCDIR}")

if(NOT VIGIL_STATIC_MUSL)
    return()
endif()

# The static link is deliberate; lintian is told so (see the file).
install(FILES packaging/lintian-overrides DESTINATION "${CMAKE_INSTALL_DATAROOTDIR}/lintian/overrides"
    RENAME vigil)

# SOURCE_DATE_EPOCH for the package's file times: the environment's, else
# the time of the commit being built. cpack reads it from its environment, so
# CPackProjectConfig.cmake (which cpack runs first) sets it there.
set(VIGIL_SOURCE_DATE_EPOCH "$ENV{SOURCE_DATE_EPOCH}")
if(NOT VIGIL_SOURCE_DATE_EPOCH AND GIT_FOUND AND EXISTS "${PROJECT_SOURCE_DIR}/.git")
    execute_process(COMMAND "${GIT_EXECUTABLE}" log -1 --format=%ct
        WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}"
        OUTPUT_VARIABLE VIGIL_SOURCE_DATE_EPOCH OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
endif()
file(WRITE "${CMAKE_CURRENT_BINARY_DIR}/CPackProjectConfig.cmake"
    "# Written by cmake/packaging.cmake.\n"
    "if(NOT DEFINED ENV{SOURCE_DATE_EPOCH} AND NOT \"${VIGIL_SOURCE_DATE_EPOCH}\" STREQUAL \"\")\n"
    "    set(ENV{SOURCE_DATE_EPOCH} \"${VIGIL_SOURCE_DATE_EPOCH}\")\n"
    "endif()\n")
set(CPACK_PROJECT_CONFIG_FILE "${CMAKE_CURRENT_BINARY_DIR}/CPackProjectConfig.cmake")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME vigil)
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "${VIGIL_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${VIGIL_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${VIGIL_HOMEPAGE}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "tiny static init (PID 1) and health probe for containers")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# The target's architecture, not the machine's (CPack would ask dpkg, which
# says amd64 for an arm64 cross build).
set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE "${VIGIL_DEBIAN_ARCH}")
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# CPack puts the summary first and indents these lines as dpkg wants.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "vigil runs a program as the init of a container: it forwards signals,
reaps zombies, stops the program gracefully (SIGTERM, then SIGKILL after
--grace), lets the processes left behind finish (--drain) and exits with the
program's status. The same static binary is an HTTP, gRPC and TCP health
probe (vigil probe) for images without a shell.")
# Statically linked: no shared-library dependencies to compute or declare.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS OFF)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
