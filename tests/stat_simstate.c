/* Prints the simulated kernel's state as JSON, for the kpmc stat tests:
 * with KPMC_SIM_SHARED set, the state every process that loads the
 * simulator shares.  Built without sanitizers, like the simulator it loads
 * ($KPMC_KPERF_PATH). */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/kpmc_sim.h"

int main(void)
{
    const char *path = getenv("KPMC_KPERF_PATH");
    void *sim = path ? dlopen(path, RTLD_NOW | RTLD_LOCAL) : NULL;
    void *sym = sim ? dlsym(sim, "kpmc_sim_get_state") : NULL;
    int (*get)(struct kpmc_sim_state *);
    memcpy(&get, &sym, sizeof sym);
    struct kpmc_sim_state st;
    if (!get || get(&st) != 0) {
        fprintf(stderr, "stat_simstate: no simulator state from %s\n", path ? path : "(KPMC_KPERF_PATH unset)");
        return 1;
    }
    printf("{\"db\":\"%s\",\"counting\":%u,\"thread_counting\":%u,\"force_all\":%d,\"config\":[", st.db,
           (unsigned)st.counting, (unsigned)st.thread_counting, st.force_all);
    for (unsigned i = 0; i < st.n_config; i++)
        printf("%s%llu", i ? "," : "", (unsigned long long)st.config[i]);
    printf("]}\n");
    return 0;
}
