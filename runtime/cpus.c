/* Counting on every CPU: the CPUs and their performance levels (sysctl),
 * and kpc_get_cpu_counters over all of them. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cores.h"
#include "detail.h"
#include "outstruct.h"
#include "session_internal.h"

int kpmc_session_cpus(kpmc_session *s, kpmc_cpus *res)
{
    if (!s || !kpmc_out_ok(res, KPMC_SIZE_TO(kpmc_cpus, level)))
        return KPMC_E_INVAL;
    kpmc_cpus full, *out = &full;
    memset(out, 0, sizeof *out);
    out->size = sizeof *out;
    kpmc_call_begin(s);
    int r = kpmc_session_need_kpc(s, "counting on every CPU");
    if (r)
        goto done;
    void *sym = kpmc_kperf_symbol(s->k.handle, "sysctlbyname");
    kpmc_sysctlbyname_fn fn;
    memcpy(&fn, &sym, sizeof sym);
    if (!fn) {
        kpmc_detail_set(s->detail, sizeof s->detail, "sysctlbyname is missing (it exists on macOS only)");
        r = KPMC_E_UNSUPPORTED;
        goto done;
    }
    sym = kpmc_kperf_symbol(s->k.handle, "kpc_get_cpu_counters");
    memcpy(&s->kpc_get_cpu_counters, &sym, sizeof sym);
    if (!s->kpc_get_cpu_counters) {
        kpmc_detail_set(s->detail, sizeof s->detail, "%.200s has no kpc_get_cpu_counters", s->k.path);
        r = KPMC_E_UNSUPPORTED;
        goto done;
    }
    if (kpmc_sysctl_uint(fn, "hw.ncpu", &out->n_cpus) != 0 || out->n_cpus == 0) {
        kpmc_detail_set(s->detail, sizeof s->detail, "sysctl hw.ncpu failed");
        r = KPMC_E_UNSUPPORTED;
        goto done;
    }
    if (out->n_cpus > KPMC_MAX_CPUS) {
        kpmc_detail_set(s->detail, sizeof s->detail, "hw.ncpu is %u; kpmc counts at most %d CPUs", out->n_cpus,
                        KPMC_MAX_CPUS);
        r = KPMC_E_INVAL;
        goto done;
    }
    out->n_levels = 1;
    out->level_cpus[0] = out->n_cpus;
    unsigned levels = 0, e_per_cluster = 0;
    if (kpmc_sysctl_uint(fn, "hw.nperflevels", &levels) == 0 && levels >= 2 &&
        kpmc_sysctl_uint(fn, "hw.perflevel0.logicalcpu", &out->level_cpus[0]) == 0 &&
        kpmc_sysctl_uint(fn, "hw.perflevel1.logicalcpu", &out->level_cpus[1]) == 0 &&
        out->level_cpus[0] + out->level_cpus[1] == out->n_cpus) {
        out->n_levels = 2;
        if (kpmc_sysctl_uint(fn, "hw.perflevel1.cpusperl2", &e_per_cluster) != 0)
            e_per_cluster = 0;
        kpmc_cpu_levels(out->level_cpus[0], out->level_cpus[1], e_per_cluster, out->n_cpus, out->level);
    } else {
        out->level_cpus[0] = out->n_cpus;
        out->level_cpus[1] = 0;
    }
    for (unsigned l = 0; l < out->n_levels; l++) {
        char name[32];
        size_t len = sizeof out->level_name[l] - 1;
        snprintf(name, sizeof name, "hw.perflevel%u.name", l);
        if (out->n_levels < 2 || fn(name, out->level_name[l], &len, NULL, 0) != 0)
            snprintf(out->level_name[l], sizeof out->level_name[l], "%s",
                     out->n_levels < 2 ? "All" : l == 0 ? "Performance" : "Efficiency");
        out->level_name[l][sizeof out->level_name[l] - 1] = '\0';
    }
    if (s->n_cpus != out->n_cpus) {
        uint64_t *buf = calloc((size_t)out->n_cpus * KPMC_MAX_EVENTS, sizeof *buf);
        if (!buf) {
            kpmc_detail_set(s->detail, sizeof s->detail, "out of memory for %u CPUs' counters", out->n_cpus);
            r = KPMC_E_NOMEM;
            goto done;
        }
        free(s->cpu_buf);
        s->cpu_buf = buf;
        s->n_cpus = out->n_cpus;
    }
    kpmc_out_fill(res, out, sizeof *out, KPMC_SIZE_TO(kpmc_cpus, level));
done:
    return kpmc_call_end(s, r);
}

int kpmc_set_read_cpus(kpmc_set *set, uint64_t *out)
{
    if (!set || !out)
        return KPMC_E_INVAL;
    /* The session outlives its sets: set->s is valid, and whether it is
     * closed is read under its lock. */
    kpmc_session *s = set->s;
    pthread_mutex_lock(&s->lock);
    int r = 0;
    if (s->closed) {
        kpmc_detail_set(kpmc_set_detail(set), KPMC_DETAIL_MAX, "the set's session is closed");
        r = KPMC_E_STATE;
    } else if (!s->cpu_buf || !s->kpc_get_cpu_counters) {
        kpmc_detail_set(kpmc_set_detail(set), KPMC_DETAIL_MAX, "call kpmc_session_cpus before reading every CPU");
        r = KPMC_E_STATE;
    } else if (!kpmc_set_counting(set)) {
        kpmc_detail_set(kpmc_set_detail(set), KPMC_DETAIL_MAX, "the set does not count (start it first)");
        r = KPMC_E_STATE;
    } else {
        int cur = 0;
        memset(s->cpu_buf, 0, (size_t)s->n_cpus * set->n_counters * sizeof *s->cpu_buf);
        if (s->kpc_get_cpu_counters(true, set->plan.classes, &cur, s->cpu_buf) < 0) {
            kpmc_kpc_failure(kpmc_set_detail(set), KPMC_DETAIL_MAX, "kpc_get_cpu_counters(all CPUs)", errno);
            r = KPMC_E_KPC;
        } else {
            unsigned n = set->plan.n_events;
            for (unsigned c = 0; c < s->n_cpus; c++)
                for (unsigned i = 0; i < n; i++)
                    out[c * n + i] = s->cpu_buf[c * set->n_counters + set->index[i]];
        }
    }
    pthread_mutex_unlock(&s->lock);
    return r;
}
