# The runtime end to end: sessions, event sets, reads and kpmc reset against
# the simulated kperf (tests/sim.cmake builds kpmc_sim).  Every test loads it
# through KPMC_KPERF_PATH.
find_package(Threads REQUIRED)

# A kperf stand-in that lacks kpc_set_thread_counting, for the load errors.
add_library(test_session_partial_kperf SHARED test_session_partial_kperf.c)
kpmc_target_flags(test_session_partial_kperf)

set(_kpmc_rt_env "KPMC_KPERF_PATH=$<TARGET_FILE:kpmc_sim>")

function(kpmc_session_test name)
  kpmc_test_program(${name} ${name}.c test_session_util.c)
  target_link_libraries(${name} PRIVATE ${CMAKE_DL_LIBS} Threads::Threads)
  add_dependencies(${name} kpmc_sim)
endfunction()

# Every session test runs once per simulated kernel (tests/sim/kpmc_sim.h):
# runtime.CASE.KERNEL, KERNEL one of pre14.4, 14.4, 15, cpc.
set(KPMC_SIM_KERNELS pre14.4 14.4 15 cpc)

# kpmc_session_cases(PROGRAM CASE... [ARGS arg...]): runtime.CASE.KERNEL runs
# PROGRAM CASE [arg...] under each kernel.
function(kpmc_session_cases program)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "ARGS")
  foreach(case ${arg_UNPARSED_ARGUMENTS})
    foreach(kernel ${KPMC_SIM_KERNELS})
      set(name runtime.${case}.${kernel})
      if(case STREQUAL "e2e_all_databases")
        add_test(NAME ${name} COMMAND ${program})
      else()
        add_test(NAME ${name} COMMAND ${program} ${case} ${arg_ARGS})
      endif()
      set_tests_properties(${name} PROPERTIES ENVIRONMENT "${_kpmc_rt_env};KPMC_SIM_KERNEL=${kernel}")
    endforeach()
  endforeach()
endfunction()

# Plans for a kernel: no simulator involved; and `kpmc check --kernel`.
kpmc_session_test(test_session_kernel)
add_test(NAME runtime.plan_kernel COMMAND test_session_kernel)
kpmc_python_test(runtime.check_kernel test_check_kernel.py $<TARGET_FILE:kpmc>)
# `kpmc info` through the simulated kperf, on each kernel.
kpmc_python_test(runtime.info_kernel test_info_sim.py $<TARGET_FILE:kpmc> $<TARGET_FILE:kpmc_sim>)

kpmc_session_test(test_session_e2e)
kpmc_session_cases(test_session_e2e e2e_all_databases)

kpmc_session_test(test_session_faults)
kpmc_session_cases(test_session_faults faults fault_codes noroot force_held init allowlist unknown_cpu db_name
                   counts db_force other_client counts_changed x86 modes probe)
kpmc_session_cases(test_session_faults load ARGS $<TARGET_FILE:test_session_partial_kperf>)
add_dependencies(test_session_faults test_session_partial_kperf)

kpmc_session_test(test_session_threads)
kpmc_session_cases(test_session_threads two_threads busy wrong_thread read_errors new read_sentences details
                   close_race)

kpmc_session_test(test_session_reset)
kpmc_session_cases(test_session_reset reset_lib)
kpmc_session_cases(test_session_reset reset_cli ARGS $<TARGET_FILE:kpmc>)
add_dependencies(test_session_reset kpmc)

# The quick-start example runs against the simulator, and fails cleanly
# without root.
add_test(NAME runtime.example_quickstart COMMAND example_quickstart)
add_test(NAME runtime.example_quickstart_noroot COMMAND example_quickstart)
set_tests_properties(runtime.example_quickstart PROPERTIES ENVIRONMENT "${_kpmc_rt_env}")
set_tests_properties(runtime.example_quickstart_noroot PROPERTIES
  ENVIRONMENT "${_kpmc_rt_env};KPMC_SIM_NOROOT=1" WILL_FAIL TRUE)

# Without root: each thread's own cycles and instructions (thread_selfcounts),
# everything else refused, the measurement API, the root path unchanged.
kpmc_session_test(test_selfcounts)
kpmc_session_cases(test_selfcounts noroot_counts noroot_refused noroot_threads noroot_measure noroot_rootpath
                   noroot_read_fails)
