/* The simulator's environment: KPMC_SIM_KERNEL, _DB, _CPU, _NOROOT,
 * _ALLOWLIST, _KERNEL_COUNTING, _FORCE_HELD, _BUSY, _FAULT, _INIT and
 * _SELFCOUNTS_FAIL (kpmc_sim.h). */
#include "sim_internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const sim_kernel_names[SIM_KERNEL_COUNT] = {"pre14.4", "14.4", "15", "cpc"};

const char *const sim_fn_names[SIM_FN_COUNT] = {
#define SIM_FN_NAME(name) #name,
    SIM_FUNCTIONS(SIM_FN_NAME)
#undef SIM_FN_NAME
};

static const struct {
    const char *name;
    int value;
} errno_names[] = {
    {"EPERM", EPERM},   {"ENOENT", ENOENT},   {"EINTR", EINTR},     {"EIO", EIO},
    {"ENXIO", ENXIO},   {"EAGAIN", EAGAIN},   {"ENOMEM", ENOMEM},   {"EACCES", EACCES},
    {"EFAULT", EFAULT}, {"EBUSY", EBUSY},     {"ENODEV", ENODEV},   {"EINVAL", EINVAL},
    {"ENOSPC", ENOSPC}, {"ERANGE", ERANGE},   {"ENOSYS", ENOSYS},   {"ENOTSUP", ENOTSUP},
    {"ETIMEDOUT", ETIMEDOUT},
};

#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 2, 3)))
#endif
static void fail(struct sim_config *c, const char *fmt, ...)
{
    if (c->error[0])
        return; /* keep the first complaint */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->error, sizeof c->error, fmt, ap);
    va_end(ap);
}

/* s[0..len) as an unsigned number (base 10, or 16 with 0x when base is 0). */
static int parse_ulong(const char *s, size_t len, int base, unsigned long *out)
{
    char tmp[32];
    if (len == 0 || len >= sizeof tmp || s[0] == '-' || s[0] == '+' || s[0] == ' ')
        return -1;
    memcpy(tmp, s, len);
    tmp[len] = '\0';
    char *end;
    errno = 0;
    unsigned long v = strtoul(tmp, &end, base);
    if (errno || *end)
        return -1;
    *out = v;
    return 0;
}

static int parse_fn(const char *s, size_t len, enum sim_fn *out)
{
    if (len > 4 && memcmp(s, "kpc_", 4) == 0) {
        s += 4;
        len -= 4;
    }
    for (int i = 0; i < SIM_FN_COUNT; i++)
        if (strlen(sim_fn_names[i]) == len && memcmp(sim_fn_names[i], s, len) == 0) {
            *out = (enum sim_fn)i;
            return 0;
        }
    return -1;
}

static int parse_errno(const char *s, size_t len, int *out)
{
    unsigned long v;
    if (parse_ulong(s, len, 10, &v) == 0) {
        if (v == 0 || v > 4095)
            return -1;
        *out = (int)v;
        return 0;
    }
    for (size_t i = 0; i < sizeof errno_names / sizeof errno_names[0]; i++)
        if (strlen(errno_names[i].name) == len && memcmp(errno_names[i].name, s, len) == 0) {
            *out = errno_names[i].value;
            return 0;
        }
    return -1;
}

/* Split s[0..len) at `sep` into exactly n fields. */
static int split(const char *s, size_t len, char sep, size_t n, const char **field, size_t *flen)
{
    size_t k = 0;
    const char *start = s;
    for (const char *p = s;; p++) {
        if (p == s + len || *p == sep) {
            if (k == n)
                return -1;
            field[k] = start;
            flen[k] = (size_t)(p - start);
            k++;
            if (p == s + len)
                break;
            start = p + 1;
        }
    }
    return k == n ? 0 : -1;
}

/* One FN:N:ERR item of KPMC_SIM_FAULT. */
static void load_fault(struct sim_config *c, const char *item, size_t len)
{
    const char *f[3];
    size_t fl[3];
    struct sim_fault fault;
    unsigned long nth;
    if (len == 0) {
        fail(c, "KPMC_SIM_FAULT: empty item (stray comma?)");
        return;
    }
    if (split(item, len, ':', 3, f, fl) != 0) {
        fail(c, "KPMC_SIM_FAULT: \"%.*s\" is not FN:N:ERR", (int)len, item);
        return;
    }
    if (parse_fn(f[0], fl[0], &fault.fn) != 0) {
        fail(c, "KPMC_SIM_FAULT: \"%.*s\": no kpc function called \"%.*s\"", (int)len, item,
             (int)fl[0], f[0]);
        return;
    }
    if (parse_ulong(f[1], fl[1], 10, &nth) != 0 || nth == 0) {
        fail(c, "KPMC_SIM_FAULT: \"%.*s\": the call number must be 1 or more", (int)len, item);
        return;
    }
    fault.nth = nth;
    if (parse_errno(f[2], fl[2], &fault.err) != 0) {
        fail(c, "KPMC_SIM_FAULT: \"%.*s\": \"%.*s\" is not an errno number (1-4095) or a known name",
             (int)len, item, (int)fl[2], f[2]);
        return;
    }
    if (c->n_faults == SIM_MAX_FAULTS) {
        fail(c, "KPMC_SIM_FAULT: more than %d faults", SIM_MAX_FAULTS);
        return;
    }
    c->faults[c->n_faults++] = fault;
}

static void load_faults(struct sim_config *c, const char *v)
{
    if (!v || !*v)
        return;
    for (;;) {
        const char *comma = strchr(v, ',');
        size_t len = comma ? (size_t)(comma - v) : strlen(v);
        load_fault(c, v, len);
        if (!comma)
            break;
        v = comma + 1;
    }
}

static void load_init(struct sim_config *c, const char *v)
{
    const char *f[3];
    size_t fl[3];
    unsigned long num[3];
    if (!v || !*v)
        return;
    if (split(v, strlen(v), ':', 3, f, fl) != 0) {
        fail(c, "KPMC_SIM_INIT=%s: expected C:T:F (counting:thread_counting:force)", v);
        return;
    }
    for (int i = 0; i < 3; i++)
        if (parse_ulong(f[i], fl[i], 0, &num[i]) != 0 || num[i] > UINT32_MAX) {
            fail(c, "KPMC_SIM_INIT=%s: \"%.*s\" is not a 32-bit number", v, (int)fl[i], f[i]);
            return;
        }
    c->init_counting = (uint32_t)num[0];
    c->init_thread_counting = (uint32_t)num[1];
    c->init_force = num[2] != 0;
}

static int load_switch(struct sim_config *c, const char *var)
{
    const char *v = getenv(var);
    if (!v || !*v || strcmp(v, "0") == 0)
        return 0;
    if (strcmp(v, "1") == 0)
        return 1;
    fail(c, "%s=%s: expected 0 or 1", var, v);
    return 0;
}

static void load_db(struct sim_config *c)
{
    const char *name = getenv("KPMC_SIM_DB");
    if (!name || !*name)
        name = "a14";
    c->db = kpmc_db_find(name);
    kpmc_db_info info = {.size = sizeof info};
    if (!c->db || kpmc_db_get(c->db, &info) != 0) {
        fail(c, "KPMC_SIM_DB=%s: no such database in the catalog", name);
        c->db = NULL;
        return;
    }
    snprintf(c->db_name, sizeof c->db_name, "%s", info.name);
    c->arch = info.arch;
    c->fixed_counters = info.fixed_counters;
    c->config_counters = info.config_counters;
    c->power_counters = info.power_counters;
    c->n_events = info.n_events;
}

static void load_cpu_string(struct sim_config *c)
{
    const char *v = getenv("KPMC_SIM_CPU");
    if (v) {
        if (strlen(v) >= sizeof c->cpu_string)
            fail(c, "KPMC_SIM_CPU: longer than %zu characters", sizeof c->cpu_string - 1);
        else
            snprintf(c->cpu_string, sizeof c->cpu_string, "%s", v);
        return;
    }
    kpmc_family_info fam = {.size = sizeof fam};
    if (!c->db)
        return;
    if (kpmc_db_family(c->db, 0, &fam) != 0) {
        fail(c, "KPMC_SIM_DB=%s: the database has no CPU family; set KPMC_SIM_CPU", c->db_name);
        return;
    }
    snprintf(c->cpu_string, sizeof c->cpu_string, "cpu_%x_%x_%x%s", (unsigned)fam.cputype,
             (unsigned)fam.cpusubtype, (unsigned)fam.family,
             c->arch == KPMC_ARCH_X86_64 ? "_9e" : "");
}

static void load_kernel(struct sim_config *c)
{
    const char *v = getenv("KPMC_SIM_KERNEL");
    c->kernel = SIM_CPC;
    if (!v || !*v)
        return;
    for (int i = 0; i < SIM_KERNEL_COUNT; i++)
        if (strcmp(v, sim_kernel_names[i]) == 0) {
            c->kernel = (enum sim_kernel)i;
            return;
        }
    fail(c, "KPMC_SIM_KERNEL=%s: expected pre14.4, 14.4, 15 or cpc", v);
}

/* arm64 facts of the simulated chip: its PMESR field, 16 bits from a16 on
 * (CPMU_16BIT_EVENTS, pexpert/arm64/H15.h and H16.h), told by a selector
 * above 0xff in the database; EL3 only on the six-counter a7-a9 (their
 * pexpert headers lack NO_MONITOR). */
static void load_chip(struct sim_config *c)
{
    c->sel_mask = 0xff;
    c->no_monitor = 1;
    if (!c->db || c->arch != KPMC_ARCH_ARM64)
        return;
    for (size_t i = 0; i < c->n_events; i++) {
        kpmc_event_info e = {.size = sizeof e};
        if (kpmc_event_get(c->db, (unsigned)i, &e) == 0 && (e.has & KPMC_HAS_NUMBER) && e.number > 0xff)
            c->sel_mask = 0xffff;
    }
    unsigned n = 0;
    for (uint32_t m = c->config_counters; m; m &= m - 1)
        n++;
    c->no_monitor = n > 6;
}

static void allow(struct sim_config *c, unsigned sel)
{
    for (size_t i = 0; i < c->n_allow; i++)
        if (c->allow[i] == sel)
            return;
    if (c->n_allow == SIM_MAX_ALLOW)
        fail(c, "KPMC_SIM_ALLOWLIST: more than %d selectors", SIM_MAX_ALLOW);
    else
        c->allow[c->n_allow++] = (uint16_t)sel;
}

/* KPMC_SIM_ALLOWLIST, after the kernel, the database and
 * KPMC_SIM_KERNEL_COUNTING. */
static void load_allowlist(struct sim_config *c)
{
    const char *v = getenv("KPMC_SIM_ALLOWLIST");
    int x86 = c->arch == KPMC_ARCH_X86_64;
    if (!v || !*v) {
        if (x86 || c->kernel == SIM_PRE_14_4 || (c->kernel == SIM_CPC && c->kernel_counting))
            v = "off";
        else
            v = "db";
    }
    if (strcmp(v, "off") == 0)
        return;
    if (c->kernel == SIM_PRE_14_4) {
        fail(c, "KPMC_SIM_ALLOWLIST=%s: kernels before 14.4 have no selector allowlist (only \"off\")", v);
        return;
    }
    if (x86) {
        fail(c, "KPMC_SIM_ALLOWLIST=%s: x86_64 kernels have no selector allowlist (only \"off\")", v);
        return;
    }
    if (c->kernel == SIM_CPC && c->kernel_counting) {
        fail(c, "KPMC_SIM_ALLOWLIST=%s with KPMC_SIM_KERNEL_COUNTING=1: a cpc kernel with an allowlist is "
                "secure and never counts the kernel on configurable counters", v);
        return;
    }
    c->allowlist = 1;
    if (strcmp(v, "none") == 0)
        return;
    if (strcmp(v, "db") == 0) {
        for (size_t i = 0; c->db && i < c->n_events; i++) {
            kpmc_event_info e = {.size = sizeof e};
            if (kpmc_event_get(c->db, (unsigned)i, &e) == 0 && (e.has & KPMC_HAS_NUMBER))
                allow(c, e.number);
        }
        return;
    }
    for (const char *p = v;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        unsigned long sel;
        if (parse_ulong(p, len, 0, &sel) != 0 || sel > 0xffff) {
            fail(c, "KPMC_SIM_ALLOWLIST=%s: \"%.*s\" is not a 16-bit selector (expected db, none, off or "
                    "selectors such as 0x8c,0x2)", v, (int)len, p);
            return;
        }
        allow(c, (unsigned)sel);
        if (!comma)
            break;
        p = comma + 1;
    }
}

/* KPMC_SIM_SELFCOUNTS_FAIL=ERR (every thread_selfcounts call) or N:ERR
 * (the N-th). */
static void load_selfcounts_fail(struct sim_config *c, const char *v)
{
    if (!v || !*v)
        return;
    const char *colon = strchr(v, ':');
    unsigned long nth = 0;
    if (colon && (parse_ulong(v, (size_t)(colon - v), 10, &nth) != 0 || nth == 0)) {
        fail(c, "KPMC_SIM_SELFCOUNTS_FAIL=%s: \"%.*s\" is not a call number (1, 2, ...)", v, (int)(colon - v), v);
        return;
    }
    const char *err = colon ? colon + 1 : v;
    if (parse_errno(err, strlen(err), &c->selfcounts_fail_err) != 0) {
        fail(c, "KPMC_SIM_SELFCOUNTS_FAIL=%s: \"%s\" is not an errno (a number or a name such as ENOTSUP)", v, err);
        return;
    }
    c->selfcounts_fail_nth = nth;
}

void sim_config_load(struct sim_config *c)
{
    memset(c, 0, sizeof *c);
    load_kernel(c);
    load_db(c);
    load_chip(c);
    load_cpu_string(c);
    c->noroot = load_switch(c, "KPMC_SIM_NOROOT");
    c->force_held = load_switch(c, "KPMC_SIM_FORCE_HELD");
    c->busy = load_switch(c, "KPMC_SIM_BUSY");
    c->kernel_counting = load_switch(c, "KPMC_SIM_KERNEL_COUNTING");
    load_allowlist(c);
    load_faults(c, getenv("KPMC_SIM_FAULT"));
    load_init(c, getenv("KPMC_SIM_INIT"));
    load_selfcounts_fail(c, getenv("KPMC_SIM_SELFCOUNTS_FAIL"));
}
