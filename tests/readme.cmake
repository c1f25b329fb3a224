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
  # model (tests/sim/kpmc_sim.h): on a 14.4 kernel every event counts user
  # and kernel mode, 3 x its base (fixed counters 1000 and 2000,
  # BRANCH_MISPRED_NONSPEC its selector 0xcb = 203); on a cpc kernel, whose
  # configurable counters count user mode only, the set counts in user mode
  # on configurable counters: CORE_ACTIVE_CYCLE (selector 2), INST_ALL
  # (0x8c = 140) and 203.
  add_test(NAME readme_example COMMAND readme_example)
  set_tests_properties(readme_example PROPERTIES PASS_REGULAR_EXPRESSION "kperf.framework exists only on macOS")
  add_test(NAME readme_example_sim COMMAND readme_example)
  set_tests_properties(readme_example_sim PROPERTIES
    ENVIRONMENT "KPMC_KPERF_PATH=$<TARGET_FILE:kpmc_sim>;KPMC_SIM_DB=a14;KPMC_SIM_KERNEL=14.4"
    PASS_REGULAR_EXPRESSION "Cycles +3000\nInstructions +6000\nBRANCH_MISPRED_NONSPEC +609\n")
  add_test(NAME readme_example_sim_cpc COMMAND readme_example)
  set_tests_properties(readme_example_sim_cpc PROPERTIES
    ENVIRONMENT "KPMC_KPERF_PATH=$<TARGET_FILE:kpmc_sim>;KPMC_SIM_DB=a14;KPMC_SIM_KERNEL=cpc"
    PASS_REGULAR_EXPRESSION "Cycles +2\nInstructions +140\nBRANCH_MISPRED_NONSPEC +203\n")
endif()
