# bench_groups: kpmc_groups_build on every database's events and on random
# inputs of up to 64 events (time per call, the slowest case).
add_executable(bench_groups bench_groups.c)
kpmc_target_flags(bench_groups)
target_link_libraries(bench_groups PRIVATE kpmc::kpmc_static)
