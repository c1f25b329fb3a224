# bench_read: the counter read path (kpmc_set_read).
#
#   bench_read [--reads R] [N ...]   wall-clock time per read for sets of N events
#   cmake --build <build> --target bench_read_callgrind
#                                    kpmc's instructions per read beyond the kpc
#                                    call (budget 19 + 3 an event) and its calls (none may
#                                    allocate), for sets of 1, 2, 4, 6 and 10
#                                    events, under valgrind's callgrind against
#                                    the simulated kperf (a14: 10 counters).
#   cmake --build <build> --target bench_read_selfcounts_callgrind
#                                    the same without root: an unprivileged
#                                    session reading thread_selfcounts, sets
#                                    of 1 and 2 events (cycles, instructions).
# The callgrind target needs valgrind and a build without KPMC_SANITIZE.  clang 14
# and later write DWARF 5, which older valgrind cannot read: configure such a
# build with -DCMAKE_C_FLAGS=-gdwarf-4.
add_executable(bench_read "${CMAKE_CURRENT_SOURCE_DIR}/bench_read.c")
kpmc_target_flags(bench_read)
target_link_libraries(bench_read PRIVATE kpmc::kpmc_static)

kpmc_callgrind_target(bench_read_callgrind read_callgrind.sh bench_read)
kpmc_callgrind_target(bench_read_selfcounts_callgrind selfcounts_callgrind.sh bench_read 1 2)
