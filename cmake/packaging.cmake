# Installing and packaging vigil.
#
# `cmake --install` puts the binary in sbin (an init is a system program) and
# the man page, gzipped as Debian wants it, in share/man/man1. In the static
# musl build (the release preset) CPack makes a Debian package of that:
#   cmake --workflow --preset release && cd build/release && cpack -G DEB
# gives vigil_VERSION_ARCH.deb with /usr/sbin/vigil, /usr/share/man/man1/vigil.1.gz
# and the copyright file. Other builds (the sanitizer one links ASan
# dynamically) get no CPack configuration: their binary is not one to ship.
include(GNUInstallDirs)

find_program(VIGIL_GZIP gzip REQUIRED)
set(VIGIL_MAN_PAGE "${CMAKE_CURRENT_BINARY_DIR}/vigil.1.gz")
add_custom_command(OUTPUT "${VIGIL_MAN_PAGE}"
    # -n: no name or timestamp in the header, so the package is reproducible.
    COMMAND sh -c "\"${VIGIL_GZIP}\" -9 -n -c \"$1\" > \"$2\"" gzip-man
        "${PROJECT_SOURCE_DIR}/packaging/vigil.1" "${VIGIL_MAN_PAGE}"
    DEPENDS "${PROJECT_SOURCE_DIR}/packaging/vigil.1"
    COMMENT "Compressing the man page"
    VERBATIM)
add_custom_target(man_page ALL DEPENDS "${VIGIL_MAN_PAGE}")

install(TARGETS vigil RUNTIME DESTINATION "${CMAKE_INSTALL_SBINDIR}")
install(FILES "${VIGIL_MAN_PAGE}" DESTINATION "${CMAKE_INSTALL_MANDIR}/man1")
install(FILES LICENSE DESTINATION "${CMAKE_INSTALL_DOCDIR}" RENAME copyright)

if(NOT VIGIL_STATIC_MUSL)
    return()
endif()

set(VIGIL_PACKAGE_MAINTAINER "vigil maintainers <maintainers@vigil.invalid>"
    CACHE STRING "Maintainer field of the Debian package")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME vigil)
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "${VIGIL_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "tiny static init (PID 1) and health probe for containers")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# CPack puts the summary first and indents these lines as dpkg wants.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "vigil runs a program as the init of a container: it forwards signals,
reaps zombies, stops the program gracefully (SIGTERM, then SIGKILL after
--grace), lets the processes left behind finish (--drain) and exits with the
program's status. The same static binary is an HTTP health probe
(vigil probe) for images without a shell.")
# Statically linked: no shared-library dependencies to compute or declare.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS OFF)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
