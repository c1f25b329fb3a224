# The binary interface: what libkpmc.so exports, its soname, the version.
kpmc_test_program(test_version test_version.c)
target_compile_definitions(test_version PRIVATE KPMC_PROJECT_VERSION="${PROJECT_VERSION}")
add_test(NAME abi.version COMMAND test_version)

if(Python3_Interpreter_FOUND AND CMAKE_NM AND NOT APPLE)
  find_program(KPMC_READELF NAMES readelf)
  set(_kpmc_readelf_arg "")
  if(KPMC_READELF)
    set(_kpmc_readelf_arg --readelf "${KPMC_READELF}")
  endif()
  add_test(NAME abi.exports
    COMMAND "${Python3_EXECUTABLE}" "${CMAKE_CURRENT_SOURCE_DIR}/test_abi_exports.py"
      --lib $<TARGET_FILE:kpmc_shared> --nm "${CMAKE_NM}" ${_kpmc_readelf_arg} --abi ${KPMC_ABI_VERSION}
      "${CMAKE_SOURCE_DIR}/include/kpmc" "${KPMC_CATALOG_DIR}/include/kpmc")
endif()

# The size convention of the structs the library fills, call by call.
kpmc_test_program(test_abi_sizes test_abi_sizes.c)
add_test(NAME abi.sizes COMMAND test_abi_sizes)
# No public struct sized by the counter count; every struct a caller
# allocates for the library to fill begins with its size.
if(Python3_Interpreter_FOUND)
  add_test(NAME abi.layout
    COMMAND "${Python3_EXECUTABLE}" "${CMAKE_CURRENT_SOURCE_DIR}/test_abi_layout.py" "${CMAKE_SOURCE_DIR}/include/kpmc")
endif()
