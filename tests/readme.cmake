# README.md's C programs compile (warnings as errors) and link against kpmc,
# so that they cannot go stale: readme_example, the first one (the quick
# start), and readme_measuring, the one of the "Measuring" section.
file(READ "${CMAKE_SOURCE_DIR}/README.md" _kpmc_readme)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${CMAKE_SOURCE_DIR}/README.md")

# Program `target` from the first ```c block after the text `after` ("": the
# first of the file).
function(kpmc_readme_program target after)
  set(text "${_kpmc_readme}")
  if(after)
    string(FIND "${text}" "${after}" at)
    if(at LESS 0)
      message(FATAL_ERROR "README.md has no '${after}'")
    endif()
    string(SUBSTRING "${text}" ${at} -1 text)
  endif()
  string(FIND "${text}" "```c\n" at)
  if(at LESS 0)
    message(FATAL_ERROR "README.md has no C example for ${target}")
  endif()
  math(EXPR at "${at} + 5")
  string(SUBSTRING "${text}" ${at} -1 text)
  string(FIND "${text}" "```" end)
  string(SUBSTRING "${text}" 0 ${end} code)
  file(CONFIGURE OUTPUT "${CMAKE_CURRENT_BINARY_DIR}/${target}.c" CONTENT "${code}")
  add_executable(${target} "${CMAKE_CURRENT_BINARY_DIR}/${target}.c")
  kpmc_target_flags(${target})
  target_compile_options(${target} PRIVATE -Werror)
  target_link_libraries(${target} PRIVATE kpmc::kpmc_static)
endfunction()

kpmc_readme_program(readme_example "")
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
  # Without root the session opens (README "Without root") and the set is
  # refused for its third event, with the sentence the README quotes.
  add_test(NAME readme_example_sim_noroot COMMAND readme_example)
  set_tests_properties(readme_example_sim_noroot PROPERTIES
    ENVIRONMENT "KPMC_KPERF_PATH=$<TARGET_FILE:kpmc_sim>;KPMC_SIM_DB=a14;KPMC_SIM_NOROOT=1"
    PASS_REGULAR_EXPRESSION "^BRANCH_MISPRED_NONSPEC \\(position 3 of the set\\) needs root \\(run with sudo\\): without root kpmc counts only cycles and instructions \\(FIXED_CYCLES, FIXED_INSTRUCTIONS\\), in KPMC_MODE_ALL, through thread_selfcounts\n$")
endif()

# readme_measuring; against the simulator on each kernel:
# tests/runtime_measure.cmake.
kpmc_readme_program(readme_measuring "\n## Measuring\n")
if(NOT APPLE)
  add_test(NAME readme_measuring COMMAND readme_measuring)
  set_tests_properties(readme_measuring PROPERTIES PASS_REGULAR_EXPRESSION "kperf.framework exists only on macOS")
endif()
