# bench_plan: ns per kpmc_plan_build_names / kpmc_plan_build for several
# event sets and databases (budget: 6 named events in <= 1 us).
add_executable(bench_plan bench_plan.c)
kpmc_target_flags(bench_plan)
target_link_libraries(bench_plan PRIVATE kpmc::kpmc_static)
