# macOS-only tests: built everywhere, run everywhere, skipped (77) where they
# cannot run.
#  - macos_count: with root, counts a loop of known instruction count through
#    the real kperf.framework.
#  - macos_kperfdata: without root, compares kpmc's configuration words and
#    buffer positions with kperfdata.framework's for every event of the
#    machine's database and for random sets.
# Off macOS, macos_kperfdata also runs against tests/sim/kperfdata_sim.c, a
# second reading of docs/kpc.md §5 (kperfdata's greedy allocation and words),
# for several databases; and once with the other arm64 user-mode bits, where
# it must report the difference (WILL_FAIL).
kpmc_test_program(test_macos_count test_macos_count.c)
add_test(NAME macos_count COMMAND test_macos_count)
set_tests_properties(macos_count PROPERTIES SKIP_RETURN_CODE 77 LABELS macos)

kpmc_test_program(test_macos_kperfdata test_macos_kperfdata.c)
target_link_libraries(test_macos_kperfdata PRIVATE ${CMAKE_DL_LIBS})
add_test(NAME macos_kperfdata COMMAND test_macos_kperfdata)
set_tests_properties(macos_kperfdata PROPERTIES SKIP_RETURN_CODE 77 LABELS macos)

if(NOT APPLE)
  add_library(kpmc_kperfdata_sim SHARED "${CMAKE_CURRENT_SOURCE_DIR}/sim/kperfdata_sim.c")
  kpmc_target_flags(kpmc_kperfdata_sim)
  target_link_libraries(kpmc_kperfdata_sim PRIVATE kpmc::kpmc_static)
  set_target_properties(kpmc_kperfdata_sim PROPERTIES C_VISIBILITY_PRESET hidden)
  foreach(db a7 a14 as4 haswell skylake icelake cometlake)
    add_test(NAME macos_kperfdata_sim_${db} COMMAND test_macos_kperfdata)
    set_tests_properties(macos_kperfdata_sim_${db} PROPERTIES LABELS macos
      ENVIRONMENT "KPMC_KPERFDATA_PATH=$<TARGET_FILE:kpmc_kperfdata_sim>;KPMC_DB=${db};KPMC_TEST_SETS=500")
  endforeach()
  add_test(NAME macos_kperfdata_sim_user_bits COMMAND test_macos_kperfdata)
  set_tests_properties(macos_kperfdata_sim_user_bits PROPERTIES LABELS macos WILL_FAIL TRUE
    ENVIRONMENT "KPMC_KPERFDATA_PATH=$<TARGET_FILE:kpmc_kperfdata_sim>;KPMC_DB=a14;KPMC_TEST_SETS=50;KPMC_KPERFDATA_USER_BITS=0x20000")
endif()
