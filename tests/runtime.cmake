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

kpmc_session_test(test_session_e2e)
add_test(NAME runtime.e2e_all_databases COMMAND test_session_e2e)
set_tests_properties(runtime.e2e_all_databases PROPERTIES ENVIRONMENT "${_kpmc_rt_env}")

kpmc_session_test(test_session_faults)
foreach(case faults fault_codes noroot force_held init strict unknown_cpu db_name counts)
  add_test(NAME runtime.${case} COMMAND test_session_faults ${case})
  set_tests_properties(runtime.${case} PROPERTIES ENVIRONMENT "${_kpmc_rt_env}")
endforeach()
add_test(NAME runtime.load COMMAND test_session_faults load $<TARGET_FILE:test_session_partial_kperf>)
set_tests_properties(runtime.load PROPERTIES ENVIRONMENT "${_kpmc_rt_env}")
add_dependencies(test_session_faults test_session_partial_kperf)

kpmc_session_test(test_session_threads)
foreach(case two_threads busy wrong_thread read_errors new)
  add_test(NAME runtime.${case} COMMAND test_session_threads ${case})
  set_tests_properties(runtime.${case} PROPERTIES ENVIRONMENT "${_kpmc_rt_env}")
endforeach()

kpmc_session_test(test_session_reset)
add_test(NAME runtime.reset_lib COMMAND test_session_reset lib)
add_test(NAME runtime.reset_cli COMMAND test_session_reset cli $<TARGET_FILE:kpmc>)
set_tests_properties(runtime.reset_lib runtime.reset_cli PROPERTIES ENVIRONMENT "${_kpmc_rt_env}")
add_dependencies(test_session_reset kpmc)

# The quick-start example runs against the simulator, and fails cleanly
# without root.
add_test(NAME runtime.example_quickstart COMMAND example_quickstart)
add_test(NAME runtime.example_quickstart_noroot COMMAND example_quickstart)
set_tests_properties(runtime.example_quickstart PROPERTIES ENVIRONMENT "${_kpmc_rt_env}")
set_tests_properties(runtime.example_quickstart_noroot PROPERTIES
  ENVIRONMENT "${_kpmc_rt_env};KPMC_SIM_NOROOT=1" WILL_FAIL TRUE)
