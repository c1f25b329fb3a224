# install: headers (hand-written and generated), static and shared library,
# the CLI, a CMake package (find_package(kpmc CONFIG), targets kpmc::kpmc and
# kpmc::kpmc_static) and kpmc.pc.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set_target_properties(kpmc_shared PROPERTIES EXPORT_NAME kpmc)
set_target_properties(kpmc_static PROPERTIES EXPORT_NAME kpmc_static)

install(TARGETS kpmc_shared kpmc_static EXPORT kpmcTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY "${CMAKE_SOURCE_DIR}/include/kpmc" "${KPMC_CATALOG_DIR}/include/kpmc"
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.h" PATTERN "*.hpp")
install(TARGETS kpmc RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

install(EXPORT kpmcTargets NAMESPACE kpmc:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/kpmc)
configure_package_config_file("${CMAKE_SOURCE_DIR}/cmake/kpmcConfig.cmake.in"
  "${CMAKE_BINARY_DIR}/kpmcConfig.cmake"
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/kpmc)
write_basic_package_version_file("${CMAKE_BINARY_DIR}/kpmcConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion)
install(FILES "${CMAKE_BINARY_DIR}/kpmcConfig.cmake" "${CMAKE_BINARY_DIR}/kpmcConfigVersion.cmake"
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/kpmc)

# kpmc.pc finds the prefix from its own place, so `cmake --install --prefix`
# and relocated installs stay right.
file(RELATIVE_PATH KPMC_PC_TO_PREFIX "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
configure_file("${CMAKE_SOURCE_DIR}/cmake/kpmc.pc.in" "${CMAKE_BINARY_DIR}/kpmc.pc" @ONLY)
install(FILES "${CMAKE_BINARY_DIR}/kpmc.pc" DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
