# Groups and measurements: kpmc_groups_build against an exhaustive search,
# `kpmc check --groups`, the measurement API against the simulated kperf.
kpmc_test_program(test_groups test_groups.c)
add_test(NAME groups COMMAND test_groups)
