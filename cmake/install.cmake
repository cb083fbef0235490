# install.cmake - what `cmake --install` puts where (the GNU install
# directories), the pkg-config file, the CMake package and the Debian package
# (cpack -G DEB). Included by the top-level CMakeLists.txt.
include(CMakePackageConfigHelpers)

set(MIGDEV_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/migdev)

install(TARGETS migdev_shared migdev_core EXPORT migdevTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT library NAMELINK_COMPONENT development
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT development
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS migdev RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT program)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/migdev DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  COMPONENT development FILES_MATCHING PATTERN "*.h")
install(FILES ${PROJECT_BINARY_DIR}/include/migdev/version.h
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/migdev COMPONENT development)

# The gnuplot templates the CLI looks for in bin/../share/migdev.
install(FILES ${PROJECT_SOURCE_DIR}/scripts/plot.gp
  DESTINATION ${CMAKE_INSTALL_DATADIR}/migdev COMPONENT program)
# Example models and the paper's scenarios, and the documentation.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/models ${PROJECT_SOURCE_DIR}/configs
  DESTINATION ${CMAKE_INSTALL_DATADIR}/migdev COMPONENT program)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/LICENSE
  DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT program)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}
  COMPONENT program)

# pkg-config: migdev.pc. The dependencies are private (the headers use only
# standard C), but a static link needs them.
# Paths are relative to the .pc file itself, so a package installed under
# another prefix (cpack, a temporary prefix) still points at its own files.
file(RELATIVE_PATH MIGDEV_PC_TO_PREFIX /p/${CMAKE_INSTALL_LIBDIR}/pkgconfig /p)
configure_file(${PROJECT_SOURCE_DIR}/cmake/migdev.pc.in ${PROJECT_BINARY_DIR}/migdev.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/migdev.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig
  COMPONENT development)

# The CMake package: find_package(migdev) gives migdev::migdev (shared) and
# migdev::migdev_static.
install(EXPORT migdevTargets NAMESPACE migdev:: DESTINATION ${MIGDEV_CMAKE_DIR}
  COMPONENT development)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/migdevConfig.cmake.in
  ${PROJECT_BINARY_DIR}/migdevConfig.cmake INSTALL_DESTINATION ${MIGDEV_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/migdevConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/migdevConfig.cmake ${PROJECT_BINARY_DIR}/migdevConfigVersion.cmake
  DESTINATION ${MIGDEV_CMAKE_DIR} COMPONENT development)

# Manual page and bash completion, generated from the CLI's option tables.
include(${PROJECT_SOURCE_DIR}/cmake/manpage.cmake OPTIONAL)

# cpack -G DEB: one package with the program, the library and its headers.
set(CPACK_PACKAGE_NAME migdev)
set(CPACK_PACKAGE_VENDOR "migdev")
set(CPACK_PACKAGE_CONTACT "migdev maintainers <migdev@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "system-dynamics simulator of the migration-remittance feedback loop")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "gnuplot-nox, graphviz")
set(CPACK_GENERATOR DEB)
include(CPack)
