/* kpmc_session_probe: what the kernel behind a session does, found out by
 * programming it (kpmc info). */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "detail.h"
#include "outstruct.h"
#include "session_internal.h"

/* A selector, 1-0xff, that no event of db has, whatever the width of the
 * kernel's field (8 or 16 bits); 0 when there is none. */
static unsigned absent_selector(const kpmc_db *db, const kpmc_db_info *d)
{
    for (unsigned sel = 1; sel <= 0xff; sel++) {
        int used = 0;
        for (unsigned i = 0; i < d->n_events && !used; i++) {
            kpmc_event_info e = {.size = sizeof e};
            used = kpmc_event_get(db, i, &e) == 0 && (e.has & KPMC_HAS_NUMBER) && (e.number & 0xffu) == sel;
        }
        if (!used)
            return sel;
    }
    return 0;
}

/* Probe the allowlist and each event; first_ok gets the first event the
 * kernel accepted (-1 when none). */
static int probe_events(kpmc_session *s, const kpmc_db_info *d, kpmc_probe *out, kpmc_plan *first_ok)
{
    struct kpmc_kperf *k = &s->k;
    uint64_t words[KPMC_MAX_EVENTS + 1];
    int arm = d->arch == KPMC_ARCH_ARM64;
    if (arm) {
        unsigned sel = absent_selector(s->db, d);
        if (sel) {
            memset(words, 0, sizeof words);
            words[0] = sel;
            if (k->kpc_set_config(KPMC_CLASS_CONFIGURABLE, words) == 0)
                out->allowlist = 0;
            else if (errno == EPERM)
                out->allowlist = 1;
            else
                return kpmc_kpc_error(s, "kpc_set_config(CONFIGURABLE)", errno);
            kpmc_kernel_learn(s, KPMC_KERNEL_ALLOWLIST, out->allowlist);
        }
    }
    int have_ok = 0;
    for (unsigned i = 0; i < d->n_events; i++) {
        kpmc_plan p;
        if (kpmc_plan_build_kernel(&p, s->db, &s->kernel, &i, 1, KPMC_MODE_ALL, NULL, 0) != 0 ||
            !(p.classes & KPMC_CLASS_CONFIGURABLE) || p.events[0].resolved != i)
            continue;
        if (!arm) {
            /* x86_64 kernels have no list: one event will do. */
            *first_ok = p;
            return 1;
        }
        out->n_tried++;
        kpmc_conf_words(&p, words);
        if (k->kpc_set_config(KPMC_CLASS_CONFIGURABLE, words) == 0) {
            if (!have_ok)
                *first_ok = p;
            have_ok = 1;
            continue;
        }
        if (errno != EPERM)
            return kpmc_kpc_error(s, "kpc_set_config(CONFIGURABLE)", errno);
        if (out->n_refused < KPMC_PROBE_REFUSED)
            out->refused[out->n_refused] = i;
        out->n_refused++;
    }
    return have_ok;
}

/* Count p's one configurable event in all modes and read it back. */
static int probe_modes(kpmc_session *s, const kpmc_db_info *d, const kpmc_plan *p, kpmc_probe *out)
{
    struct kpmc_kperf *k = &s->k;
    uint64_t words[KPMC_MAX_EVENTS + 1];
    kpmc_conf_words(p, words);
    if (k->kpc_set_config(KPMC_CLASS_CONFIGURABLE, words) != 0)
        return kpmc_kpc_error(s, "kpc_set_config(CONFIGURABLE)", errno);
    uint32_t counting = s->cur_counting;
    if (k->kpc_set_counting(counting | KPMC_CLASS_CONFIGURABLE) != 0)
        return kpmc_kpc_error(s, "kpc_set_counting", errno);
    int r = 0;
    if (k->kpc_get_config(KPMC_CLASS_CONFIGURABLE, words) != 0) {
        r = kpmc_kpc_error(s, "kpc_get_config(CONFIGURABLE)", errno);
    } else {
        unsigned m = kpmc_modes_of(d, words[kpmc_conf_slot(s, &p->events[0])]);
        out->kernel_counting = (m & KPMC_COUNTS_KERNEL) != 0;
        kpmc_kernel_learn(s, KPMC_KERNEL_USER_ONLY, !out->kernel_counting);
    }
    if (kpmc_restore_u32(k->kpc_set_counting, counting) != 0)
        s->cur_counting = counting | KPMC_CLASS_CONFIGURABLE;
    return r;
}

int kpmc_session_probe(kpmc_session *s, kpmc_probe *res)
{
    if (!s || !kpmc_out_ok(res, KPMC_SIZE_TO(kpmc_probe, config_counters)))
        return KPMC_E_INVAL;
    kpmc_probe full, *out = &full;
    kpmc_call_begin(s);
    int r = kpmc_session_need_kpc(s, "probing the kernel's counters");
    if (r)
        goto done;
    if (s->running) {
        kpmc_detail_set(s->detail, sizeof s->detail, "kpmc_session_probe: %u event set%s counting; stop %s first",
                        s->running, s->running > 1 ? "s are" : " is", s->running > 1 ? "them" : "it");
        r = KPMC_E_BUSY;
        goto done;
    }
    memset(out, 0, sizeof *out);
    out->size = sizeof *out;
    out->force_found = s->saved_force;
    out->counting_found = s->saved_counting;
    out->thread_counting_found = s->saved_thread_counting;
    out->config_counters = s->kernel.config_counters;
    out->allowlist = -1;
    out->kernel_counting = -1;
    kpmc_db_info d = {.size = sizeof d};
    kpmc_db_get(s->db, &d);
    /* The words the kernel holds, to put back at the end. */
    uint64_t saved[KPMC_MAX_EVENTS + 1];
    if (s->k.kpc_get_config(KPMC_CLASS_CONFIGURABLE, saved) != 0) {
        r = kpmc_kpc_error(s, "kpc_get_config(CONFIGURABLE)", errno);
        goto done;
    }
    kpmc_plan ok;
    r = probe_events(s, &d, out, &ok);
    if (r > 0)
        r = probe_modes(s, &d, &ok, out);
    (void)s->k.kpc_set_config(KPMC_CLASS_CONFIGURABLE, saved); /* best effort: nothing to report to */
    if (r >= 0)
        kpmc_out_fill(res, out, sizeof *out, KPMC_SIZE_TO(kpmc_probe, config_counters));
done:
    return kpmc_call_end(s, r);
}
