# Groups and measurements: kpmc_groups_build against an exhaustive search,
# `kpmc check --groups`, the measurement API against the simulated kperf.
kpmc_test_program(test_groups test_groups.c)
add_test(NAME groups COMMAND test_groups)
kpmc_test_program(test_stats test_stats.c)
add_test(NAME measure.stats COMMAND test_stats)

# The measurement API against the simulated kperf (tests/sim).
kpmc_session_test(test_measure)
foreach(case callback region groups migration user_mode intel errors raw)
  add_test(NAME measure.${case} COMMAND test_measure ${case})
  set_tests_properties(measure.${case} PROPERTIES ENVIRONMENT "${_kpmc_rt_env}")
endforeach()
if(Python3_Interpreter_FOUND)
  add_test(NAME measure.output
    COMMAND ${Python3_EXECUTABLE} "${CMAKE_CURRENT_SOURCE_DIR}/test_measure_output.py"
            $<TARGET_FILE:test_measure> "${CMAKE_CURRENT_BINARY_DIR}/measure-output")
else()
  add_test(NAME measure.output COMMAND sh -c "echo 'python3 not found'; exit 77")
endif()
set_tests_properties(measure.output PROPERTIES ENVIRONMENT "${_kpmc_rt_env}" SKIP_RETURN_CODE 77)

# kpmc check --groups
if(Python3_Interpreter_FOUND)
  add_test(NAME plan_check_groups
    COMMAND ${Python3_EXECUTABLE} "${CMAKE_CURRENT_SOURCE_DIR}/test_check_groups.py" $<TARGET_FILE:kpmc>)
else()
  add_test(NAME plan_check_groups COMMAND sh -c "echo 'python3 not found'; exit 77")
endif()
set_tests_properties(plan_check_groups PROPERTIES SKIP_RETURN_CODE 77)
