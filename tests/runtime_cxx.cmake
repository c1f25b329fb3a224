# C++: kpmc.hpp (sessions, counters, RAII regions, measurements) and
# kpmc/benchmark.hpp (Google Benchmark user counters) against the simulated
# kperf, when there is C++ (cmake/cxx.cmake), the Google Benchmark test when
# there is Google Benchmark; otherwise the tests report themselves skipped.
include("${PROJECT_SOURCE_DIR}/cmake/cxx.cmake")

function(kpmc_cxx_skip name why)
  add_test(NAME ${name} COMMAND sh -c "echo '${why}'; exit 77")
  set_tests_properties(${name} PROPERTIES SKIP_RETURN_CODE 77)
endfunction()

if(NOT CMAKE_CXX_COMPILER)
  foreach(case counters measurement noroot)
    kpmc_cxx_skip(cxx.${case} "no C++ compiler")
  endforeach()
  kpmc_cxx_skip(cxx.benchmark "no C++ compiler")
  return()
endif()

kpmc_test_program(test_cxx test_cxx.cpp test_cxx.h)
set_target_properties(test_cxx PROPERTIES CXX_STANDARD 11 CXX_STANDARD_REQUIRED ON CXX_EXTENSIONS OFF)
target_link_libraries(test_cxx PRIVATE ${CMAKE_DL_LIBS})
add_dependencies(test_cxx kpmc_sim)
# Once per simulated kernel (cxx.CASE.KERNEL), as the session tests.
foreach(kernel ${KPMC_SIM_KERNELS})
  foreach(case counters measurement)
    add_test(NAME cxx.${case}.${kernel} COMMAND test_cxx ${case})
    set_tests_properties(cxx.${case}.${kernel} PROPERTIES ENVIRONMENT "${_kpmc_rt_env};KPMC_SIM_KERNEL=${kernel}")
  endforeach()
endforeach()
add_test(NAME cxx.noroot COMMAND test_cxx noroot)
set_tests_properties(cxx.noroot PROPERTIES ENVIRONMENT "${_kpmc_rt_env};KPMC_SIM_NOROOT=1")

if(TARGET benchmark::benchmark)
  kpmc_test_program(test_benchmark test_benchmark.cpp)
  set_target_properties(test_benchmark PROPERTIES CXX_STANDARD 11 CXX_STANDARD_REQUIRED ON CXX_EXTENSIONS OFF)
  target_link_libraries(test_benchmark PRIVATE benchmark::benchmark ${CMAKE_DL_LIBS})
  add_dependencies(test_benchmark kpmc_sim)
  foreach(kernel ${KPMC_SIM_KERNELS})
    add_test(NAME cxx.benchmark.${kernel} COMMAND test_benchmark counters)
    set_tests_properties(cxx.benchmark.${kernel} PROPERTIES ENVIRONMENT "${_kpmc_rt_env};KPMC_SIM_KERNEL=${kernel}")
  endforeach()
  add_test(NAME cxx.benchmark_noroot COMMAND test_benchmark noroot)
  set_tests_properties(cxx.benchmark_noroot PROPERTIES ENVIRONMENT "${_kpmc_rt_env};KPMC_SIM_NOROOT=1")
else()
  kpmc_cxx_skip(cxx.benchmark "Google Benchmark not found (Debian: libbenchmark-dev)")
endif()

# The C++ examples against the simulator, on each kernel (a14).  region's
# scope makes no read of the simulated counters but its closing one, which
# adds one step: INST_ALL's selector 0x8c = 140 in user mode, 3 x 140 = 420
# in both modes where configurable counters count the kernel (pre14.4,
# 14.4; tests/sim/kpmc_sim.h).
foreach(kernel ${KPMC_SIM_KERNELS})
  if(kernel STREQUAL "15" OR kernel STREQUAL "cpc")
    set(inst "140 \\(user mode\\)")
  else()
    set(inst "420 \\(user and kernel mode\\)")
  endif()
  if(TARGET example_region)
    add_test(NAME cxx.example_region.${kernel} COMMAND example_region)
    set_tests_properties(cxx.example_region.${kernel} PROPERTIES
      ENVIRONMENT "${_kpmc_rt_env};KPMC_SIM_KERNEL=${kernel}"
      PASS_REGULAR_EXPRESSION "INST_ALL +${inst}\n.*ipc ")
  endif()
  if(TARGET example_benchmark)
    add_test(NAME cxx.example_benchmark.${kernel} COMMAND example_benchmark --benchmark_min_time=0.01)
    set_tests_properties(cxx.example_benchmark.${kernel} PROPERTIES
      ENVIRONMENT "${_kpmc_rt_env};KPMC_SIM_KERNEL=${kernel}"
      PASS_REGULAR_EXPRESSION "BM_walk/1000 .* BRANCH_MISPRED_NONSPEC=[0-9.]+[a-zA-Z]* CORE_ACTIVE_CYCLE=[0-9.]+[a-zA-Z]* INST_ALL=[0-9.]")
  endif()
endforeach()
