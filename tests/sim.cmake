# The simulated kperf.framework (tests/sim/) and its tests.
#
# libkpmc_sim exports the kpc_* functions of kperf.framework with the kernel's
# semantics for one catalog database (tests/sim/kpmc_sim.h).  Other tests load
# it through KPMC_KPERF_PATH=$<TARGET_FILE:kpmc_sim>.  It links only the
# catalog reader of libkpmc, never the placement or encoding code it checks.
find_package(Threads REQUIRED)

add_library(kpmc_sim SHARED
  "${CMAKE_CURRENT_SOURCE_DIR}/sim/kpmc_sim.c"
  "${CMAKE_CURRENT_SOURCE_DIR}/sim/sim_config.c"
  "${CMAKE_CURRENT_SOURCE_DIR}/sim/sim_shared.c")
kpmc_target_flags(kpmc_sim)
target_include_directories(kpmc_sim PRIVATE "${CMAKE_CURRENT_SOURCE_DIR}/sim")
target_link_libraries(kpmc_sim PRIVATE kpmc::kpmc_static Threads::Threads)
if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
  target_link_libraries(kpmc_sim PRIVATE rt)
endif()
if(APPLE)
  # With macOS's two-level namespace the runtime binds to its own copy of the
  # catalog whatever the simulator exports; the export list only keeps the
  # simulator tidy, so a linker without it (zig's, when cross-compiling) is
  # fine.
  include(CheckLinkerFlag)
  set(_kpmc_sim_exports "${CMAKE_CURRENT_SOURCE_DIR}/sim/kpmc_sim.exp")
  check_linker_flag(C "LINKER:-exported_symbols_list,${_kpmc_sim_exports}" KPMC_HAVE_EXPORTED_SYMBOLS_LIST)
  if(KPMC_HAVE_EXPORTED_SYMBOLS_LIST)
    target_link_options(kpmc_sim PRIVATE "LINKER:-exported_symbols_list,${_kpmc_sim_exports}")
  endif()
else()
  set(_kpmc_sim_exports "${CMAKE_CURRENT_SOURCE_DIR}/sim/kpmc_sim.map")
  target_link_options(kpmc_sim PRIVATE "LINKER:--version-script=${_kpmc_sim_exports}")
endif()
set_target_properties(kpmc_sim PROPERTIES LINK_DEPENDS "${_kpmc_sim_exports}")

kpmc_test_program(test_sim test_sim.c)
target_link_libraries(test_sim PRIVATE ${CMAKE_DL_LIBS} Threads::Threads)
target_compile_definitions(test_sim PRIVATE "KPMC_SIM_PATH=\"$<TARGET_FILE:kpmc_sim>\"")
add_dependencies(test_sim kpmc_sim)

foreach(case counts arm64 x86 x86_cpc layout modes threads noroot busy allowlist faults log init cpu_string force misc
             badenv allcounts)
  add_test(NAME sim.${case} COMMAND test_sim ${case})
endforeach()
