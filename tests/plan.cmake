# Plans: placement (test_alloc), encoding and layout (test_encode), and the
# `kpmc check` command (test_check.py).
kpmc_test_program(test_alloc test_alloc.c)
add_test(NAME plan_alloc COMMAND test_alloc)

kpmc_test_program(test_encode test_encode.c)
add_test(NAME plan_encode COMMAND test_encode)

kpmc_python_test(plan_check test_check.py $<TARGET_FILE:kpmc>)

# Every JSON writer of the command line (tools/cli.c cli_json_str) writes
# valid UTF-8 JSON whatever bytes it is given.
if(Python3_Interpreter_FOUND)
  add_test(NAME cli_json_utf8
    COMMAND ${Python3_EXECUTABLE} "${CMAKE_CURRENT_SOURCE_DIR}/test_cli_json_utf8.py" $<TARGET_FILE:kpmc>)
endif()
