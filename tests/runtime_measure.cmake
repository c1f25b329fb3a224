# Groups and measurements: kpmc_groups_build against an exhaustive search,
# `kpmc check --groups`, the measurement API against the simulated kperf.
kpmc_test_program(test_groups test_groups.c)
add_test(NAME groups COMMAND test_groups)
kpmc_test_program(test_stats test_stats.c)
add_test(NAME measure.stats COMMAND test_stats)

# The measurement API against the simulated kperf (tests/sim), once per
# simulated kernel, as the session tests: measure.CASE.KERNEL.
kpmc_session_test(test_measure)
foreach(kernel ${KPMC_SIM_KERNELS})
  foreach(case callback region groups migration user_mode intel errors raw)
    add_test(NAME measure.${case}.${kernel} COMMAND test_measure ${case})
    set_tests_properties(measure.${case}.${kernel} PROPERTIES ENVIRONMENT "${_kpmc_rt_env};KPMC_SIM_KERNEL=${kernel}")
  endforeach()
  kpmc_python_test(measure.output.${kernel} test_measure_output.py
                   $<TARGET_FILE:test_measure> "${CMAKE_CURRENT_BINARY_DIR}/measure-output-${kernel}")
  set_tests_properties(measure.output.${kernel} PROPERTIES ENVIRONMENT "${_kpmc_rt_env};KPMC_SIM_KERNEL=${kernel}")
endforeach()

# kpmc check --groups
kpmc_python_test(plan_check_groups test_check_groups.py $<TARGET_FILE:kpmc>)

# The README's Measuring program against the simulator (a14) on each
# kernel.  Its loop reads nothing, so every event counts 0 once the empty
# region's overhead (one read a sample) is subtracted.  Where configurable
# counters count the kernel (pre14.4, 14.4) Cycles and Instructions stay on
# the fixed counters, both modes: 3 x 1000 and 3 x 2000 a read
# (tests/sim/kpmc_sim.h); on 15 and cpc the mixed set counts in user mode
# on configurable counters: CORE_ACTIVE_CYCLE (selector 2) and INST_ALL
# (0x8c = 140).
if(NOT APPLE)
  foreach(kernel ${KPMC_SIM_KERNELS})
    if(kernel STREQUAL "15" OR kernel STREQUAL "cpc")
      set(cyc CORE_ACTIVE_CYCLE)
      set(ins INST_ALL)
      set(counts user)
      set(cyc_step 2)
      set(ins_step 140)
    else()
      set(cyc FIXED_CYCLES)
      set(ins FIXED_INSTRUCTIONS)
      set(counts all)
      set(cyc_step 3000)
      set(ins_step 6000)
    endif()
    add_test(NAME readme_measuring_sim.${kernel} COMMAND readme_measuring)
    set_tests_properties(readme_measuring_sim.${kernel} PROPERTIES
      ENVIRONMENT "${_kpmc_rt_env};KPMC_SIM_DB=a14;KPMC_SIM_KERNEL=${kernel}"
      PASS_REGULAR_EXPRESSION "\"iterations\":100,\"repetitions\":20,.*\"pinned\":\"unsupported\".*\n {\"name\":\"Cycles\",\"counted\":\"${cyc}\",\"counts\":\"${counts}\",\"anchor\":false,\"group\":0,\"n\":20,\"min\":0,\"median\":0,[^\n]*\"overhead\":{\"n\":20,\"min\":${cyc_step},\"median\":${cyc_step},[^\n]*\n {\"name\":\"Instructions\",\"counted\":\"${ins}\",\"counts\":\"${counts}\",[^\n]*\"overhead\":{\"n\":20,\"min\":${ins_step},.*\"metrics\":\\[\n {\"name\":\"ipc\"")
  endforeach()
endif()
