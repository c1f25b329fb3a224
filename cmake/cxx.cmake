# C++ for the tests and examples that use kpmc.hpp: included by
# examples/CMakeLists.txt and tests/runtime_cxx.cmake.  The library is C and
# builds without a C++ compiler.  C++ is enabled when one is found (when
# cross-compiling, only when the toolchain names one: a host compiler would
# build for the host), and Google Benchmark is looked for (Debian:
# libbenchmark-dev; target benchmark::benchmark).  Leaves CMAKE_CXX_COMPILER
# empty when there is no C++.
include(CheckLanguage)
if(NOT CMAKE_CROSSCOMPILING OR CMAKE_CXX_COMPILER)
  check_language(CXX)
endif()
if(CMAKE_CXX_COMPILER)
  enable_language(CXX)
  find_package(benchmark CONFIG QUIET)
endif()
