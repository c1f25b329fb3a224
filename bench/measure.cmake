# bench_measure: the measurement loop (kpmc_measure_next) and the raw read
# (kpmc_set_read_raw).
#
#   bench_measure [--samples S] region|raw|read N
#                                    wall-clock time per sample or read
#   cmake --build <build> --target bench_measure_callgrind
#                                    instructions per sample of the loop and
#                                    per raw read beyond the kpc calls (budget:
#                                    the loop at most twice the raw read), for
#                                    sets of 1, 2, 4, 6 and 10 events, under
#                                    callgrind against the simulated kperf.
# The callgrind target needs valgrind and a build without KPMC_SANITIZE (clang
# 14 and later: -DCMAKE_C_FLAGS=-gdwarf-4, as for bench_read_callgrind).
add_executable(bench_measure "${CMAKE_CURRENT_SOURCE_DIR}/bench_measure.c")
kpmc_target_flags(bench_measure)
target_link_libraries(bench_measure PRIVATE kpmc::kpmc_static)

kpmc_callgrind_target(bench_measure_callgrind measure_callgrind.sh bench_measure)
