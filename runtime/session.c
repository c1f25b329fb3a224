/* Sessions: load kperf, find the database, save and force the kernel's
 * counter state, restore it on close; and kpmc_reset. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detail.h"
#include "alloc.h"
#include "outstruct.h"
#include "session_internal.h"

#define CLASSES_ALL (KPMC_CLASS_FIXED | KPMC_CLASS_CONFIGURABLE)

/* ---- details and lifetime ---- */

/* Each thread's detail of its last failed call on a session, and of its
 * last failed call on a set, with the serial number of that session or set
 * (0: none).  A detail belongs to the thread that made the call: no other
 * thread's call can change it while it is read. */
struct thread_detail {
    uint64_t owner;
    char text[KPMC_DETAIL_MAX];
};
static _Thread_local struct thread_detail session_detail, set_detail;
static atomic_uint_least64_t serials;

uint64_t kpmc_serial(void)
{
    return (uint64_t)atomic_fetch_add_explicit(&serials, 1, memory_order_relaxed) + 1;
}

void kpmc_call_begin(kpmc_session *s)
{
    pthread_mutex_lock(&s->lock);
    if (s->db)
        s->detail[0] = '\0';
}

int kpmc_call_end(kpmc_session *s, int r)
{
    if (r < 0 && s->db) {
        session_detail.owner = s->serial;
        memcpy(session_detail.text, s->detail, sizeof session_detail.text);
    }
    pthread_mutex_unlock(&s->lock);
    return r;
}

char *kpmc_set_detail(const kpmc_set *set)
{
    set_detail.owner = set->serial;
    set_detail.text[0] = '\0';
    return set_detail.text;
}

void kpmc_session_unref(kpmc_session *s)
{
    int last = --s->refs == 0;
    pthread_mutex_unlock(&s->lock);
    if (!last)
        return;
    if (s->k.handle)
        kpmc_kperf_unload(&s->k);
    pthread_mutex_destroy(&s->lock);
    free(s->cpu_buf);
    free(s);
}

int kpmc_restore_u32(int (*fn)(uint32_t), uint32_t value)
{
    int r = fn(value);
    return r == 0 ? 0 : fn(value);
}

int kpmc_restore_int(int (*fn)(int), int value)
{
    int r = fn(value);
    return r == 0 ? 0 : fn(value);
}

void kpmc_kernel_learn(kpmc_session *s, unsigned flag, int value)
{
    s->kernel.known |= flag;
    s->kernel.flags = value ? s->kernel.flags | flag : s->kernel.flags & ~flag;
}

int kpmc_kpc_error(kpmc_session *s, const char *call, int err)
{
    kpmc_kpc_failure(s->detail, sizeof s->detail, call, err);
    if (err != EBUSY)
        return KPMC_E_KPC;
    kpmc_detail_add(s->detail, sizeof s->detail,
                    ": another client (Instruments, powermetrics, another kpmc) uses the counters");
    return KPMC_E_BUSY;
}

/* The family field of a "cpu_<type>_<subtype>_<family>[_<model>]" string,
 * as "0x..." ("?" when absent). */
static void cpu_family(const char *cpu, char fam[16])
{
    const char *family = cpu;
    for (int field = 0; field < 3 && family; field++) {
        family = strchr(family, '_');
        family = family ? family + 1 : NULL;
    }
    snprintf(fam, 16, "?");
    if (family) {
        size_t n = strcspn(family, "_");
        snprintf(fam, 16, "0x%.*s", (int)(n < 8 ? n : 8), family);
    }
}

static int env_switch(const char *name)
{
    const char *v = getenv(name);
    return v && !strcmp(v, "1");
}

/* The database named by opt->db or $KPMC_DB, else the one of the CPU.  A
 * named database must be the CPU's unless forced. */
static int find_db(kpmc_session *s, const kpmc_options *opt)
{
    const char *name = opt ? opt->db : NULL;
    const char *from = "kpmc_options.db";
    if (!name || !*name) {
        name = getenv("KPMC_DB");
        from = "KPMC_DB";
    }
    const kpmc_db *host = kpmc_db_for_cpu_string(s->cpu);
    char fam[16]; /* for the messages only */
    if (name && *name) {
        s->db = kpmc_db_find(name);
        if (!s->db) {
            struct kpmc_detail d = kpmc_detail_open(s->detail, sizeof s->detail, 0);
            kpmc_detail_put(&d, "%s=%s: no such database; valid:", from, name);
            for (size_t i = 0; i < kpmc_db_count(); i++)
                kpmc_detail_put(&d, " %s", kpmc_db_name(kpmc_db_at(i)));
            return KPMC_E_NODB;
        }
        int force = (opt && opt->size >= offsetof(kpmc_options, force_db) + sizeof opt->force_db && opt->force_db) ||
                    env_switch("KPMC_DB_FORCE");
        if (s->db == host || force)
            return 0;
        cpu_family(s->cpu, fam);
        kpmc_detail_set(s->detail, sizeof s->detail,
                        "%s=%s: this CPU (%s, family %s) is not one of database %s's CPU families (its database "
                        "is %s): %s's selectors would count other events here; force it with "
                        "kpmc_options.force_db or KPMC_DB_FORCE=1",
                        from, name, s->cpu, fam, kpmc_db_name(s->db), host ? kpmc_db_name(host) : "unknown",
                        kpmc_db_name(s->db));
        s->db = NULL;
        return KPMC_E_NODB;
    }
    s->db = host;
    if (s->db)
        return 0;
    cpu_family(s->cpu, fam);
    kpmc_detail_set(s->detail, sizeof s->detail,
                    "no database for CPU %s (family %s) in this build; build kpmc on this Mac "
                    "(the build regenerates the catalog from /usr/share/kpep) or configure with "
                    "cmake -DKPMC_KPEP_DIR=/usr/share/kpep",
                    s->cpu, fam);
    return KPMC_E_NODB;
}

/* The counts the kernel reports for FIXED|CONFIGURABLE, all counters
 * forced, against the database's; the configurable counters the kernel
 * gives into s->kernel.  An x86_64 kernel may give fewer general-purpose
 * counters than the database lists (CPC-era kernels give half): the lower
 * ones. */
static int check_counts(kpmc_session *s)
{
    kpmc_db_info d = {.size = sizeof d};
    kpmc_db_get(s->db, &d);
    int x86 = d.arch == KPMC_ARCH_X86_64;
    uint32_t n_fixed = kpmc_popcount32(d.fixed_counters), n_conf = kpmc_popcount32(d.config_counters);
    /* x86_64 has one word for the fixed counters (IA32_FIXED_CTR_CTRL);
     * arm64 fixed counters take none (docs/kpc.md §2). */
    uint32_t fixed_words = x86 ? 1u : 0u;
    errno = 0;
    uint32_t counters = s->k.kpc_get_counter_count(CLASSES_ALL);
    if (counters == 0 && errno)
        return kpmc_kpc_error(s, "kpc_get_counter_count", errno);
    errno = 0;
    uint32_t config = s->k.kpc_get_config_count(CLASSES_ALL);
    if (config == 0 && errno)
        return kpmc_kpc_error(s, "kpc_get_config_count", errno);
    uint32_t kc = counters - (counters >= n_fixed ? n_fixed : counters);
    int fits = counters >= n_fixed && config == fixed_words + kc && (x86 ? kc >= 1 && kc <= n_conf : kc == n_conf);
    if (!fits) {
        kpmc_detail_set(s->detail, sizeof s->detail,
                        "kpc_get_counter_count/kpc_get_config_count(FIXED|CONFIGURABLE) report %u "
                        "counters and %u config words, but database %s has %u and %u; "
                        "is it the database of this CPU?",
                        (unsigned)counters, (unsigned)config, d.name, (unsigned)(n_fixed + n_conf),
                        (unsigned)(fixed_words + n_conf));
        return KPMC_E_NODB;
    }
    s->kernel.size = sizeof s->kernel;
    s->kernel.config_counters = kpmc_low_bits(d.config_counters, kc);
    if (x86) {
        /* x86_64 kernels have no selector allowlist and count what the
         * modes ask. */
        s->kernel.known |= KPMC_KERNEL_ALLOWLIST | KPMC_KERNEL_USER_ONLY;
    }
    return 0;
}

/* Save the kernel's state and force all counters; on failure undo. */
static int take_counters(kpmc_session *s)
{
    struct kpmc_kperf *k = &s->k;
    if (k->kpc_force_all_ctrs_get(&s->saved_force) != 0) {
        int e = errno;
        if (e != EPERM)
            return kpmc_kpc_error(s, "kpc_force_all_ctrs_get", e);
        kpmc_kpc_failure(s->detail, sizeof s->detail, "kpc_force_all_ctrs_get", e);
        kpmc_detail_add(s->detail, sizeof s->detail, ": needs root (run with sudo)");
        return KPMC_E_PERM;
    }
    /* kpc_get_counting answers 0 on failure, a valid value too: errno tells. */
    errno = 0;
    s->saved_counting = k->kpc_get_counting();
    if (s->saved_counting == 0 && errno)
        return kpmc_kpc_error(s, "kpc_get_counting", errno);
    s->saved_thread_counting = k->kpc_get_thread_counting();
    if (s->saved_thread_counting == UINT32_MAX)
        return kpmc_kpc_error(s, "kpc_get_thread_counting", errno);
    s->cur_force = s->saved_force;
    s->cur_counting = s->saved_counting;
    s->cur_thread_counting = s->saved_thread_counting;
    if (k->kpc_force_all_ctrs_set(1) != 0) {
        int e = errno;
        kpmc_kpc_failure(s->detail, sizeof s->detail, "kpc_force_all_ctrs_set(1)", e);
        if (e == EACCES || e == EBUSY) {
            kpmc_detail_add(s->detail, sizeof s->detail,
                            ": another client (Instruments, powermetrics, another kpmc) holds the counters");
            return KPMC_E_BUSY;
        }
        return e == EPERM ? KPMC_E_PERM : KPMC_E_KPC;
    }
    s->cur_force = 1;
    int r = check_counts(s);
    if (r != 0 && kpmc_restore_int(k->kpc_force_all_ctrs_set, s->saved_force) == 0)
        s->cur_force = s->saved_force;
    return r;
}

int kpmc_open(kpmc_session **out, const kpmc_options *opt)
{
    if (!out)
        return KPMC_E_INVAL;
    kpmc_session *s = calloc(1, sizeof *s);
    *out = s;
    if (!s)
        return KPMC_E_NOMEM;
    if (pthread_mutex_init(&s->lock, NULL) != 0) {
        free(s);
        *out = NULL;
        return KPMC_E_NOMEM;
    }
    s->refs = 1;
    s->serial = kpmc_serial();
    int r = 0;
    if (opt && opt->size < offsetof(kpmc_options, db) + sizeof opt->db) {
        kpmc_detail_set(s->detail, sizeof s->detail, "kpmc_options.size is %zu; set it to sizeof(kpmc_options)",
                        opt->size);
        r = KPMC_E_INVAL;
    }
    if (r == 0)
        r = kpmc_kperf_load(&s->k, opt ? opt->kperf_path : NULL, s->detail, sizeof s->detail);
    if (r != 0) {
        memcpy(s->open_detail, s->detail, sizeof s->open_detail);
        return r;
    }
    if (s->k.kpc_cpu_string(s->cpu, sizeof s->cpu) < 0 || !s->cpu[0])
        r = kpmc_kpc_error(s, "kpc_cpu_string", errno);
    if (r == 0)
        r = find_db(s, opt);
    if (r == 0)
        r = take_counters(s);
    if (r == KPMC_E_PERM &&
        !(opt && opt->size >= offsetof(kpmc_options, kpc_only) + sizeof opt->kpc_only && opt->kpc_only))
        r = kpmc_selfcounts_open(s);
    if (r != 0) {
        s->db = NULL;
        kpmc_kperf_unload(&s->k);
    }
    if (r != 0 || s->selfcounts)
        memcpy(s->open_detail, s->detail, sizeof s->open_detail);
    return r;
}

void kpmc_close(kpmc_session *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->lock);
    s->closed = 1;
    for (kpmc_set *set = s->sets; set; set = set->next) {
        kpmc_set_switch(set, KPMC_SET_CLOSED, kpmc_set_read_idle);
    }
    s->running = 0;
    struct kpmc_kperf *k = &s->k;
    if (k->handle) {
        /* Reverse order of kpmc_open and kpmc_set_start; only what changed. */
        if (s->cur_thread_counting != s->saved_thread_counting &&
            kpmc_restore_u32(k->kpc_set_thread_counting, s->saved_thread_counting) == 0)
            s->cur_thread_counting = s->saved_thread_counting;
        if (s->cur_counting != s->saved_counting && kpmc_restore_u32(k->kpc_set_counting, s->saved_counting) == 0)
            s->cur_counting = s->saved_counting;
        if (s->cur_force != s->saved_force && kpmc_restore_int(k->kpc_force_all_ctrs_set, s->saved_force) == 0)
            s->cur_force = s->saved_force;
    }
    /* kperf stays loaded while sets exist: a read racing this close may
     * still be in kpc_get_thread_counters. */
    kpmc_session_unref(s);
}

const char *kpmc_session_error(const kpmc_session *s)
{
    if (!s)
        return "no session (out of memory)";
    return session_detail.owner == s->serial ? session_detail.text : s->open_detail;
}

const char *kpmc_set_error(const kpmc_set *set)
{
    return set && set_detail.owner == set->serial ? set_detail.text : "";
}

const kpmc_db *kpmc_session_db(const kpmc_session *s)
{
    return s ? s->db : NULL;
}

const char *kpmc_session_cpu(const kpmc_session *s)
{
    return s ? s->cpu : "";
}

const char *kpmc_session_kperf_path(const kpmc_session *s)
{
    return s && s->k.handle ? s->k.path : "";
}

int kpmc_session_kernel(kpmc_session *s, kpmc_kernel *out)
{
    if (!s || !kpmc_out_ok(out, KPMC_SIZE_TO(kpmc_kernel, config_counters)))
        return KPMC_E_INVAL;
    pthread_mutex_lock(&s->lock);
    kpmc_kernel k = s->kernel;
    int r = s->db ? 0 : KPMC_E_STATE;
    pthread_mutex_unlock(&s->lock);
    if (r == 0) {
        k.flags &= k.known;
        r = kpmc_out_fill(out, &k, sizeof k, KPMC_SIZE_TO(kpmc_kernel, config_counters));
    }
    return r;
}

/* ---- kpmc_reset ---- */

int kpmc_reset(const char *kperf_path, char *detail, size_t detail_len)
{
    char local[KPMC_DETAIL_MAX];
    char *d = detail && detail_len ? detail : local;
    size_t len = detail && detail_len ? detail_len : sizeof local;
    d[0] = '\0';
    struct kpmc_kperf k;
    int r = kpmc_kperf_load(&k, kperf_path, d, len);
    if (r != 0)
        return r;
    int force = 0;
    if (k.kpc_force_all_ctrs_get(&force) != 0) {
        int e = errno;
        kpmc_kpc_failure(d, len, "kpc_force_all_ctrs_get", e);
        kpmc_kperf_unload(&k);
        if (e != EPERM)
            return KPMC_E_KPC;
        kpmc_detail_add(d, len, ": needs root (run with sudo)");
        return KPMC_E_PERM;
    }
    uint32_t counting = k.kpc_get_counting();
    uint32_t thread_counting = k.kpc_get_thread_counting();
    struct kpmc_detail w = kpmc_detail_open(d, len, 0);
    kpmc_detail_put(&w, "found thread counting 0x%x, counting 0x%x, force_all_ctrs %d;", (unsigned)thread_counting,
                    (unsigned)counting, force);
    /* All three are attempted, in the order of kpmc_close. */
    struct {
        const char *call;
        int failed, err;
    } steps[3] = {{"kpc_set_thread_counting(0)", 0, 0},
                  {"kpc_set_counting(0)", 0, 0},
                  {"kpc_force_all_ctrs_set(0)", 0, 0}};
    steps[0].failed = k.kpc_set_thread_counting(0) != 0;
    steps[0].err = errno;
    steps[1].failed = k.kpc_set_counting(0) != 0;
    steps[1].err = errno;
    steps[2].failed = k.kpc_force_all_ctrs_set(0) != 0;
    steps[2].err = errno;
    /* CPC-era kernels answer 0 without releasing a force another task
     * holds: look. */
    int after = 0;
    int still = !steps[2].failed && k.kpc_force_all_ctrs_get(&after) == 0 && after;
    kpmc_kperf_unload(&k);
    r = 0;
    for (int i = 0; i < 3; i++) {
        if (!steps[i].failed) {
            kpmc_detail_put(&w, " %s done%s;", steps[i].call,
                            i == 2 && still
                                ? ", but force_all_ctrs still reads 1 (another client holds the counters, or "
                                  "the kernel has no power manager to give them back to)"
                                : "");
            continue;
        }
        char why[160];
        kpmc_kpc_failure(why, sizeof why, steps[i].call, steps[i].err);
        kpmc_detail_put(&w, " %s;", why);
        if (r == 0)
            r = steps[i].err == EACCES || steps[i].err == EBUSY ? KPMC_E_BUSY : KPMC_E_KPC;
    }
    if (w.pos && d[w.pos - 1] == ';')
        d[w.pos - 1] = '\0';
    return r;
}
