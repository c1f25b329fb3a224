# kpmc stat end to end against the simulator (tests/test_stat.py).
#
# kpmc stat injects libkpmc_stat_inject into the command, which loads the
# simulator too, so both must load into programs built without sanitizers:
# kpmc_sim_plain is the simulator of tests/sim.cmake built without them
# (with its own copy of the catalog reader), and stat_workload, the command
# the tests count, is built without them as well.
get_target_property(_kpmc_sim_sources kpmc_sim SOURCES)
get_target_property(_kpmc_sim_link kpmc_sim LINK_OPTIONS)
add_library(kpmc_sim_plain SHARED ${_kpmc_sim_sources}
  "${CMAKE_SOURCE_DIR}/runtime/catalog.c" "${CMAKE_SOURCE_DIR}/runtime/outstruct.c" "${KPMC_CATALOG_DIR}/catalog_data.c")
if(TARGET kpmc-catalog-generated)
  add_dependencies(kpmc_sim_plain kpmc-catalog-generated)
endif()
kpmc_target_flags(kpmc_sim_plain)
target_include_directories(kpmc_sim_plain PRIVATE
  "${CMAKE_CURRENT_SOURCE_DIR}/sim" "${CMAKE_SOURCE_DIR}/runtime" "${CMAKE_SOURCE_DIR}/internal" "${CMAKE_SOURCE_DIR}/include"
  "${KPMC_CATALOG_DIR}/include")
target_link_libraries(kpmc_sim_plain PRIVATE Threads::Threads)
if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
  target_link_libraries(kpmc_sim_plain PRIVATE rt)
endif()
if(_kpmc_sim_link)
  target_link_options(kpmc_sim_plain PRIVATE ${_kpmc_sim_link})
endif()

add_executable(stat_workload stat_workload.c)
add_executable(stat_simstate stat_simstate.c)
foreach(t stat_workload stat_simstate)
  kpmc_target_flags(${t})
  target_link_libraries(${t} PRIVATE ${CMAKE_DL_LIBS} Threads::Threads)
endforeach()
target_include_directories(stat_simstate PRIVATE "${CMAKE_CURRENT_SOURCE_DIR}")
if(KPMC_SANITIZE)
  foreach(t kpmc_sim_plain stat_workload stat_simstate)
    target_compile_options(${t} PRIVATE -fno-sanitize=all)
    target_link_options(${t} PRIVATE -fno-sanitize=all)
  endforeach()
endif()

# A statically linked program: no library can be injected into it, so kpmc
# stat must say that nothing of it was counted.
add_executable(stat_static stat_static.c)
kpmc_target_flags(stat_static)
if(KPMC_SANITIZE)
  target_compile_options(stat_static PRIVATE -fno-sanitize=all)
  target_link_options(stat_static PRIVATE -fno-sanitize=all)
endif()
if(NOT APPLE)
  target_link_options(stat_static PRIVATE -static)
endif()

if(Python3_Interpreter_FOUND AND NOT APPLE)
  # Every case on the default (newest) simulated kernel; those whose counts
  # depend on the kernel also on 14.4, where configurable counters count
  # kernel mode too.
  foreach(case errors defaults suggest groups threads user process system failing not_injected signals
          threads.14.4 user.14.4 system.14.4 defaults.14.4 groups.14.4)
    string(REGEX REPLACE "\\..*" "" _kpmc_case "${case}")
    set(_kpmc_kernel "")
    if(case MATCHES "\\.([0-9.]+)$")
      set(_kpmc_kernel "${CMAKE_MATCH_1}")
    endif()
    add_test(NAME stat.${case}
      COMMAND "${Python3_EXECUTABLE}" "${CMAKE_CURRENT_SOURCE_DIR}/test_stat.py" ${_kpmc_case}
        $<TARGET_FILE:kpmc> $<TARGET_FILE:kpmc_sim_plain> $<TARGET_FILE:stat_workload>
        $<TARGET_FILE:stat_static> $<TARGET_FILE:stat_simstate>)
    if(_kpmc_kernel)
      set_tests_properties(stat.${case} PROPERTIES ENVIRONMENT "KPMC_SIM_KERNEL=${_kpmc_kernel}")
    endif()
  endforeach()
endif()
