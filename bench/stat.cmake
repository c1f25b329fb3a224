# bench_stat: the wall time `kpmc stat -- true` adds to `true` (budget 1.5x,
# without root).  Off macOS, run it against the simulator's no-root path:
#   KPMC_KPERF_PATH=<build>/tests/libkpmc_sim_plain.so KPMC_SIM_NOROOT=1 \
#     <build>/bench/bench_stat <build>/tools/kpmc
add_executable(bench_stat bench_stat.c)
kpmc_target_flags(bench_stat)
