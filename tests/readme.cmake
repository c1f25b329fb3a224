# readme_example: the first C program of README.md compiles (warnings as
# errors) and links against kpmc, so the quick start cannot go stale.
set(_kpmc_readme_c "${CMAKE_CURRENT_BINARY_DIR}/readme_example.c")
file(READ "${CMAKE_SOURCE_DIR}/README.md" _kpmc_readme)
string(FIND "${_kpmc_readme}" "```c\n" _kpmc_at)
if(_kpmc_at LESS 0)
  message(FATAL_ERROR "README.md has no C example")
endif()
math(EXPR _kpmc_at "${_kpmc_at} + 5")
string(SUBSTRING "${_kpmc_readme}" ${_kpmc_at} -1 _kpmc_rest)
string(FIND "${_kpmc_rest}" "```" _kpmc_end)
string(SUBSTRING "${_kpmc_rest}" 0 ${_kpmc_end} _kpmc_code)
file(CONFIGURE OUTPUT "${_kpmc_readme_c}" CONTENT "${_kpmc_code}")
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${CMAKE_SOURCE_DIR}/README.md")
add_executable(readme_example "${_kpmc_readme_c}")
kpmc_target_flags(readme_example)
target_compile_options(readme_example PRIVATE -Werror)
target_link_libraries(readme_example PRIVATE kpmc::kpmc_static)
if(NOT APPLE)
  # Without kperf.framework it stops with kpmc's message; against the
  # simulated kperf (a14) one read's deltas are the simulator's counting
  # model: fixed counters 1 x 1000 and 2 x 1000, BRANCH_MISPRED_NONSPEC its
  # word 0xcb = 203.
  add_test(NAME readme_example COMMAND readme_example)
  set_tests_properties(readme_example PROPERTIES PASS_REGULAR_EXPRESSION "kperf.framework exists only on macOS")
  add_test(NAME readme_example_sim COMMAND readme_example)
  set_tests_properties(readme_example_sim PROPERTIES
    ENVIRONMENT "KPMC_KPERF_PATH=$<TARGET_FILE:kpmc_sim>;KPMC_SIM_DB=a14"
    PASS_REGULAR_EXPRESSION "Cycles +1000\nInstructions +2000\nBRANCH_MISPRED_NONSPEC +203\n")
endif()

# readme_measuring: the C program of README.md's "Measuring" section, built
# the same way; against the simulator (a14) every read advances Cycles by
# 1000, so the empty region's overhead is 1000 a sample and the loop, which
# reads nothing, counts 0 once it is subtracted.
string(FIND "${_kpmc_readme}" "\n## Measuring\n" _kpmc_at)
if(_kpmc_at LESS 0)
  message(FATAL_ERROR "README.md has no Measuring section")
endif()
string(SUBSTRING "${_kpmc_readme}" ${_kpmc_at} -1 _kpmc_rest)
string(FIND "${_kpmc_rest}" "```c\n" _kpmc_at)
math(EXPR _kpmc_at "${_kpmc_at} + 5")
string(SUBSTRING "${_kpmc_rest}" ${_kpmc_at} -1 _kpmc_rest)
string(FIND "${_kpmc_rest}" "```" _kpmc_end)
string(SUBSTRING "${_kpmc_rest}" 0 ${_kpmc_end} _kpmc_code)
file(CONFIGURE OUTPUT "${CMAKE_CURRENT_BINARY_DIR}/readme_measuring.c" CONTENT "${_kpmc_code}")
add_executable(readme_measuring "${CMAKE_CURRENT_BINARY_DIR}/readme_measuring.c")
kpmc_target_flags(readme_measuring)
target_compile_options(readme_measuring PRIVATE -Werror)
target_link_libraries(readme_measuring PRIVATE kpmc::kpmc_static)
if(NOT APPLE)
  add_test(NAME readme_measuring COMMAND readme_measuring)
  set_tests_properties(readme_measuring PROPERTIES PASS_REGULAR_EXPRESSION "kperf.framework exists only on macOS")
  add_test(NAME readme_measuring_sim COMMAND readme_measuring)
  set_tests_properties(readme_measuring_sim PROPERTIES
    ENVIRONMENT "KPMC_KPERF_PATH=$<TARGET_FILE:kpmc_sim>;KPMC_SIM_DB=a14"
    PASS_REGULAR_EXPRESSION "\"iterations\":100,\"repetitions\":20,.*\"pinned\":\"unsupported\".*\n {\"name\":\"Cycles\",\"counted\":\"FIXED_CYCLES\",\"anchor\":false,\"group\":0,\"n\":20,\"min\":0,\"median\":0,.*\"overhead\":{\"n\":20,\"min\":1000,\"median\":1000,.*\"metrics\":\\[\n {\"name\":\"ipc\"")
endif()
