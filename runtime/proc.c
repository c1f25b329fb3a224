/* A process's cycles and instructions without root: proc_pid_rusage. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <kpmc/kpmc.h>

#include "detail.h"
#include "kperf.h"
#include "outstruct.h"
#include "rusage_info.h"

typedef int (*proc_pid_rusage_fn)(int pid, int flavor, void *buffer);

/* strerror_r into a buffer; "" when it fails. */
static const char *why(int err, char *buf, size_t len)
{
    if (strerror_r(err, buf, len) != 0)
        buf[0] = '\0';
    return buf;
}

/* proc_pid_rusage from the kperf library at `path` (or the program); the
 * library stays loaded, so that a command counted again and again does not
 * load it each time. */
static proc_pid_rusage_fn lookup(const char *path)
{
    void *sym = kpmc_kperf_kept_symbol(path, "proc_pid_rusage");
    proc_pid_rusage_fn fn;
    memcpy(&fn, &sym, sizeof sym);
    return fn;
}

int kpmc_proc_counts_get(int pid, const char *kperf_path, kpmc_proc_counts *out, char *detail,
                         size_t detail_len)
{
    char local[KPMC_DETAIL_MAX], text[128];
    if (!detail || !detail_len) {
        detail = local;
        detail_len = sizeof local;
    }
    detail[0] = '\0';
    if (!kpmc_out_ok(out, KPMC_SIZE_TO(kpmc_proc_counts, has_p))) {
        kpmc_detail_set(detail, detail_len, "process %d: no place for the counts (out is NULL or its size too small)",
                        pid);
        return KPMC_E_INVAL;
    }
    kpmc_proc_counts full = {.size = sizeof full}, *res = out;
    out = &full;
    proc_pid_rusage_fn fn = lookup(kpmc_kperf_default_path(kperf_path));
    if (!fn) {
        kpmc_detail_set(detail, detail_len, "process %d: proc_pid_rusage is missing (it exists on macOS only)", pid);
        return KPMC_E_UNSUPPORTED;
    }
    int r = 0;
    struct kpmc_rusage_info ri;
    memset(&ri, 0, sizeof ri);
    int v6 = 1;
    int err = fn(pid, KPMC_RUSAGE_INFO_V6, &ri) == 0 ? 0 : errno;
    if (err == EINVAL) { /* a kernel before V6 */
        v6 = 0;
        memset(&ri, 0, sizeof ri);
        err = fn(pid, KPMC_RUSAGE_INFO_V4, &ri) == 0 ? 0 : errno;
    }
    if (err == ESRCH) {
        kpmc_detail_set(detail, detail_len, "proc_pid_rusage(%d): no such process (%s)", pid,
                        why(err, text, sizeof text));
        r = KPMC_E_INVAL;
    } else if (err == EPERM || err == EACCES) {
        kpmc_detail_set(detail, detail_len, "proc_pid_rusage(%d): %s: another user's process needs root", pid,
                        why(err, text, sizeof text));
        r = KPMC_E_PERM;
    } else if (err) {
        kpmc_detail_set(detail, detail_len, "proc_pid_rusage(%d) failed: %s", pid, why(err, text, sizeof text));
        r = KPMC_E_KPC;
    } else {
        out->cycles = ri.cycles;
        out->instructions = ri.instructions;
        if (v6) {
            out->p_cycles = ri.pcycles;
            out->p_instructions = ri.pinstructions;
            out->has_p = 1;
        }
    }
    kpmc_out_fill(res, out, sizeof *out, KPMC_SIZE_TO(kpmc_proc_counts, has_p));
    return r;
}
