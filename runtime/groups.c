/* Groups: any number of events become the fewest sets that each fit the
 * counters, every set also carrying the anchor events.
 *
 * Each event is resolved alone first (kpmc_plan_build_names of one name, so
 * that every spelling the plans accept is accepted here), then reduced to
 * the counters it may use (kpmc_plan_event_counters).  A group fits exactly
 * when its events and the anchors can be given distinct counters from those
 * masks (kpmc_alloc_place), which is the test kpmc_plan_build applies.
 *
 * The fewest groups: a branch and bound over the events, most constrained
 * first, each put into every open group it fits, then into one new group;
 * events with the same mask keep the order of their groups (a partition
 * that differs only by swapping such events is the same); a branch stops as
 * soon as it needs as many groups as the best found, and the search as soon
 * as the best meets the lower bound: for every union U of distinct masks,
 * the events whose mask lies in U, over the counters of U that the anchors
 * confined to U leave free. */
#include <kpmc/measure.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "detail.h"
#include "digest.h"
#include "groups.h"
#include "outstruct.h"
#include "plan.h"

#define NONE ((size_t)-1)

struct item {
    size_t input;  /* position in the masks given to the search */
    uint32_t mask; /* counters it may use */
};

struct search {
    size_t n;                            /* items, most constrained first */
    struct item it[KPMC_GROUPS_MAX];
    size_t n_anchors;
    uint32_t anchor_mask[KPMC_MAX_EVENTS];
    /* the partial partition: group g holds the anchors' masks, then its
     * items' masks */
    size_t used;
    size_t size[KPMC_GROUPS_MAX];
    uint32_t masks[KPMC_GROUPS_MAX][KPMC_MAX_EVENTS];
    size_t group_of[KPMC_GROUPS_MAX];
    size_t best;
    size_t best_of[KPMC_GROUPS_MAX];
    size_t lower;
};

static int fits(const uint32_t *masks, size_t n)
{
    unsigned counter[KPMC_MAX_EVENTS];
    return n <= KPMC_MAX_EVENTS && kpmc_alloc_place(masks, (unsigned)n, counter, NULL) == 0;
}

/* Whether one more mask fits with the n_anchors (<= KPMC_MAX_EVENTS)
 * anchors' masks. */
static int fits_anchors(const uint32_t *anchor_mask, size_t n_anchors, uint32_t mask)
{
    uint32_t with[KPMC_MAX_EVENTS + 1];
    memcpy(with, anchor_mask, n_anchors * sizeof with[0]);
    with[n_anchors] = mask;
    return fits(with, n_anchors + 1);
}

static void dfs(struct search *s, size_t i)
{
    if (i == s->n) {
        s->best = s->used;
        memcpy(s->best_of, s->group_of, s->n * sizeof s->group_of[0]);
        return;
    }
    uint32_t mask = s->it[i].mask;
    size_t first = i > 0 && s->it[i - 1].mask == mask ? s->group_of[i - 1] : 0;
    for (size_t g = first; g < s->used && s->best > s->lower; g++) {
        if (s->size[g] == KPMC_MAX_EVENTS)
            continue;
        s->masks[g][s->size[g]] = mask;
        if (!fits(s->masks[g], s->size[g] + 1))
            continue;
        s->size[g]++;
        s->group_of[i] = g;
        dfs(s, i + 1);
        s->size[g]--;
    }
    if (s->used + 1 < s->best && s->best > s->lower) {
        size_t g = s->used++;
        memcpy(s->masks[g], s->anchor_mask, s->n_anchors * sizeof s->anchor_mask[0]);
        s->masks[g][s->n_anchors] = mask;
        s->size[g] = s->n_anchors + 1;
        s->group_of[i] = g;
        dfs(s, i + 1);
        s->used--;
    }
}

static size_t ceil_div(size_t a, size_t b)
{
    return (a + b - 1) / b;
}

/* Events whose masks lie in u, over the counters of u the anchors confined
 * to u leave free: a bound on the groups (0 when u has no room). */
static size_t bound_for(const struct search *s, uint32_t u)
{
    size_t inside = 0, taken = 0;
    for (size_t i = 0; i < s->n; i++)
        inside += (s->it[i].mask & ~u) == 0;
    for (size_t j = 0; j < s->n_anchors; j++)
        taken += (s->anchor_mask[j] & ~u) == 0;
    size_t counters = kpmc_popcount32(u);
    return counters > taken ? ceil_div(inside, counters - taken) : 0;
}

/* The lower bound over unions of distinct masks: every union when there are
 * at most 12 distinct masks, else each mask alone and the union of all. */
static size_t lower_bound(const struct search *s)
{
    uint32_t distinct[KPMC_GROUPS_MAX], all = 0;
    size_t d = 0;
    for (size_t i = 0; i < s->n; i++) {
        /* sorted: equal masks are neighbours */
        if (d == 0 || distinct[d - 1] != s->it[i].mask)
            distinct[d++] = s->it[i].mask;
        all |= s->it[i].mask;
    }
    size_t best = bound_for(s, all);
    if (d <= 12) {
        for (uint32_t k = 1; k < (1u << d); k++) {
            uint32_t u = 0;
            for (size_t j = 0; j < d; j++)
                if (k >> j & 1u)
                    u |= distinct[j];
            size_t b = bound_for(s, u);
            best = b > best ? b : best;
        }
    } else {
        for (size_t j = 0; j < d; j++) {
            size_t b = bound_for(s, distinct[j]);
            best = b > best ? b : best;
        }
    }
    return best ? best : 1;
}

/* Most constrained first: fewer counters, then by mask, then the caller's
 * order (an insertion sort: at most KPMC_GROUPS_MAX items). */
static int before(const struct item *a, const struct item *b)
{
    unsigned pa = kpmc_popcount32(a->mask), pb = kpmc_popcount32(b->mask);
    if (pa != pb)
        return pa < pb;
    if (a->mask != b->mask)
        return a->mask < b->mask;
    return a->input < b->input;
}

static void sort_items(struct item *it, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        struct item x = it[i];
        size_t k = i;
        while (k > 0 && before(&x, &it[k - 1])) {
            it[k] = it[k - 1];
            k--;
        }
        it[k] = x;
    }
}

/* The event a name (or alias, or generic name) means in mode, as
 * kpmc_plan_build_names reads it. */
static int name_event(const kpmc_db *db, const char *name, int mode, unsigned *event, char *detail,
                      size_t detail_len)
{
    kpmc_plan p;
    int r = kpmc_plan_build_names(&p, db, &name, 1, mode, detail, detail_len);
    if (r == 0)
        *event = p.events[0].requested;
    return r;
}

int kpmc_groups_resolve_kernel(const kpmc_db *db, const kpmc_kernel *kernel, const char *name, int mode, int mixed,
                               unsigned *resolved, uint32_t *mask, char *detail, size_t detail_len)
{
    unsigned requested;
    int r = name_event(db, name, mode, &requested, detail, detail_len);
    if (r == 0)
        r = kpmc_plan_event_kernel(db, kernel, requested, mode, mixed, resolved, mask, detail, detail_len);
    return r;
}

int kpmc_groups_resolve(const kpmc_db *db, const char *name, int mode, unsigned *resolved, uint32_t *mask,
                        char *detail, size_t detail_len)
{
    return kpmc_groups_resolve_kernel(db, NULL, name, mode, 0, resolved, mask, detail, detail_len);
}

size_t kpmc_groups_search(const uint32_t *masks, size_t n, const uint32_t *anchor_masks, size_t n_anchors,
                          size_t *group_of)
{
    if (n == 0 || n > KPMC_GROUPS_MAX || n_anchors > KPMC_MAX_EVENTS)
        return 0;
    struct search search;
    struct search *s = &search;
    memset(s, 0, sizeof *s);
    s->n_anchors = n_anchors;
    for (size_t j = 0; j < n_anchors; j++)
        s->anchor_mask[j] = anchor_masks[j];
    for (size_t i = 0; i < n; i++) {
        if (!masks[i] || !fits_anchors(s->anchor_mask, n_anchors, masks[i]))
            return 0;
        s->it[i] = (struct item){i, masks[i]};
    }
    s->n = n;
    sort_items(s->it, n);
    s->lower = lower_bound(s);
    s->best = n + 1;
    dfs(s, 0);
    for (size_t k = 0; k < n; k++)
        group_of[s->it[k].input] = s->best_of[k];
    return s->best;
}

/* Resolve requested[0 .. n-1] for the kernel (mixed: as part of a
 * measurement mixing fixed and configurable events) into counted[] and
 * mask[]; names[] for messages. */
static int resolve_all(const kpmc_db *db, const kpmc_kernel *kernel, int mode, int mixed, const unsigned *requested,
                       const char *const *names, size_t n, unsigned *counted, uint32_t *mask, char *detail,
                       size_t detail_len)
{
    for (size_t i = 0; i < n; i++) {
        int r = kpmc_plan_event_kernel(db, kernel, requested[i], mode, mixed, &counted[i], &mask[i], detail,
                                       detail_len);
        if (r != 0) {
            if (detail && detail_len && !strstr(detail, names[i])) {
                char why[KPMC_DETAIL_MAX];
                snprintf(why, sizeof why, "%s", detail);
                kpmc_detail_set(detail, detail_len, "'%s': %s", names[i], why);
            }
            return r;
        }
    }
    return 0;
}

int kpmc_groups_partition(struct kpmc_group *groups, size_t max_groups, const kpmc_db *db, const kpmc_kernel *kernel,
                          const char *const *events, size_t n, const char *const *anchors, size_t n_anchors,
                          int mode, struct kpmc_groups_info *info, char *detail, size_t detail_len)
{
    if (detail && detail_len)
        detail[0] = '\0';
    kpmc_db_info d = {.size = sizeof d};
    if (!groups || kpmc_db_get(db, &d) != 0 || (n && !events) || (n_anchors && !anchors) ||
        (mode != KPMC_MODE_ALL && mode != KPMC_MODE_USER))
        return kpmc_detail_error(detail, detail_len, KPMC_E_INVAL, "invalid argument: %s",
                                 !groups                   ? "no group array"
                                 : !kpmc_db_name(db)       ? "not a database"
                                 : (n && !events)          ? "no event array"
                                 : (n_anchors && !anchors) ? "no anchor array"
                                                           : "mode is neither KPMC_MODE_ALL nor KPMC_MODE_USER");
    if (n == 0)
        return kpmc_detail_error(detail, detail_len, KPMC_E_EMPTY, "no events given");
    if (n > KPMC_GROUPS_MAX || n_anchors > KPMC_MAX_EVENTS)
        return kpmc_detail_error(detail, detail_len, KPMC_E_TOOMANY, "%zu %s given; groups are built from at most %d",
                                 n > KPMC_GROUPS_MAX ? n : n_anchors, n > KPMC_GROUPS_MAX ? "events" : "anchors",
                                 n > KPMC_GROUPS_MAX ? KPMC_GROUPS_MAX : KPMC_MAX_EVENTS);
    for (size_t i = 0; i < n; i++)
        if (!events[i])
            return kpmc_detail_error(detail, detail_len, KPMC_E_INVAL, "invalid argument: event %zu is NULL", i + 1);
    if (info)
        memset(info, 0, sizeof *info);

    /* What the names mean: the anchors as one set (which also checks their
     * names), each event alone. */
    unsigned anchor_req[KPMC_MAX_EVENTS], anchor_counted[KPMC_MAX_EVENTS], req[KPMC_GROUPS_MAX];
    uint32_t anchor_mask[KPMC_MAX_EVENTS];
    if (n_anchors) {
        kpmc_plan ap;
        int r = kpmc_plan_build_names(&ap, db, anchors, n_anchors, mode, detail, detail_len);
        if (r != 0)
            return r;
        for (size_t j = 0; j < n_anchors; j++)
            anchor_req[j] = ap.events[j].requested;
    }
    for (size_t i = 0; i < n; i++) {
        int r = name_event(db, events[i], mode, &req[i], detail, detail_len);
        if (r != 0)
            return r;
    }

    /* What they count on the kernel.  A measurement mixing fixed and
     * configurable events in KPMC_MODE_ALL on a kernel whose configurable
     * counters count user mode only is counted wholly in user mode on
     * configurable counters, every group alike, so that no two of its
     * counts differ in the modes they include. */
    uint32_t all_mask[KPMC_GROUPS_MAX];
    unsigned all_counted[KPMC_GROUPS_MAX];
    int mixed = 0;
    for (int pass = 0; pass < 2; pass++) {
        int r = resolve_all(db, kernel, mode, mixed, anchor_req, anchors, n_anchors, anchor_counted, anchor_mask,
                            detail, detail_len);
        if (r == 0)
            r = resolve_all(db, kernel, mode, mixed, req, events, n, all_counted, all_mask, detail, detail_len);
        if (r != 0)
            return r;
        if (pass == 1)
            break;
        int fixed = 0, conf = 0;
        unsigned first_conf = 0;
        for (size_t i = 0; i < n_anchors + n; i++) {
            uint32_t m = i < n_anchors ? anchor_mask[i] : all_mask[i - n_anchors];
            int is_fixed = (m & ~d.fixed_counters) == 0;
            if (!is_fixed && !conf)
                first_conf = i < n_anchors ? anchor_counted[i] : all_counted[i - n_anchors];
            fixed |= is_fixed;
            conf |= !is_fixed;
        }
        unsigned known = kernel ? kernel->known : 0, flags = kernel ? kernel->flags & known : 0;
        int mixing = fixed && conf && mode == KPMC_MODE_ALL && kernel;
        if (mixing && !(known & KPMC_KERNEL_USER_ONLY) && info) {
            info->modes_unknown = 1;
            info->configurable = first_conf;
        }
        if (!mixing || !(flags & KPMC_KERNEL_USER_ONLY))
            break;
        mixed = 1;
        if (info)
            info->user_only = 1;
    }
    for (size_t j = 0; j < n_anchors; j++)
        for (size_t k = 0; k < j; k++)
            if (anchor_counted[k] == anchor_counted[j])
                return kpmc_detail_error(detail, detail_len, KPMC_E_DUPLICATE, "anchors '%s' and '%s' both count %s",
                                         anchors[k], anchors[j], kpmc_event_name(db, anchor_counted[j]));
    if (n_anchors && !fits(anchor_mask, n_anchors)) {
        /* kpmc_plan_build says which counters compete */
        kpmc_plan p;
        char why[KPMC_DETAIL_MAX];
        kpmc_plan_build_kernel(&p, db, kernel, anchor_counted, n_anchors, mode, why, sizeof why);
        return kpmc_detail_error(detail, detail_len, KPMC_E_NOFIT, "the anchors do not fit together: %s", why);
    }

    /* the events to place: input[k] is events[input[k]] */
    size_t m = 0, input[KPMC_GROUPS_MAX];
    uint32_t mask[KPMC_GROUPS_MAX];
    unsigned counted[KPMC_GROUPS_MAX];
    for (size_t i = 0; i < n; i++) {
        counted[m] = all_counted[i];
        mask[m] = all_mask[i];
        size_t merged = NONE;
        for (size_t j = 0; j < n_anchors && merged == NONE; j++)
            if (anchor_counted[j] == counted[m])
                merged = j;
        if (info)
            info->anchor_of[i] = merged;
        if (merged != NONE)
            continue;
        for (size_t k = 0; k < m; k++)
            if (counted[k] == counted[m])
                return kpmc_detail_error(detail, detail_len, KPMC_E_DUPLICATE, "'%s' and '%s' both count %s",
                                         events[input[k]], events[i], kpmc_event_name(db, counted[m]));
        if (!fits_anchors(anchor_mask, n_anchors, mask[m])) {
            /* kpmc_plan_build says which counters compete */
            unsigned ids[KPMC_MAX_EVENTS + 1];
            memcpy(ids, anchor_counted, n_anchors * sizeof ids[0]);
            ids[n_anchors] = counted[m];
            kpmc_plan p;
            char why[KPMC_DETAIL_MAX];
            kpmc_plan_build_kernel(&p, db, kernel, ids, n_anchors + 1, mode, why, sizeof why);
            return kpmc_detail_error(detail, detail_len, KPMC_E_NOFIT, "'%s' does not fit with the anchors: %s",
                                     events[i], why);
        }
        input[m++] = i;
    }

    /* Every event counted by an anchor: one group of the anchors. */
    size_t n_groups = 1, group_of[KPMC_GROUPS_MAX];
    if (m)
        n_groups = kpmc_groups_search(mask, m, anchor_mask, n_anchors, group_of);
    if (n_groups > max_groups)
        return kpmc_detail_error(detail, detail_len, KPMC_E_TOOMANY,
                                 "the events need %zu groups; room was given for %zu", n_groups, max_groups);

    /* Groups in the order of their first event in the caller's order,
     * events in the caller's order. */
    size_t first_input[KPMC_GROUPS_MAX];
    for (size_t g = 0; g < n_groups; g++)
        first_input[g] = NONE;
    for (size_t k = 0; k < m; k++)
        if (input[k] < first_input[group_of[k]])
            first_input[group_of[k]] = input[k];
    size_t order[KPMC_GROUPS_MAX]; /* output position -> search group */
    for (size_t g = 0; g < n_groups; g++) {
        size_t k = g;
        while (k > 0 && first_input[order[k - 1]] > first_input[g]) {
            order[k] = order[k - 1];
            k--;
        }
        order[k] = g;
    }
    for (size_t o = 0; o < n_groups; o++) {
        struct kpmc_group *g = &groups[o];
        unsigned ids[KPMC_MAX_EVENTS];
        memset(g, 0, sizeof *g);
        g->n_anchors = n_anchors;
        for (size_t j = 0; j < n_anchors; j++) {
            ids[g->n] = anchor_counted[j];
            g->names[g->n] = anchors[j];
            g->input[g->n++] = j;
        }
        for (size_t k = 0; k < m; k++)
            if (group_of[k] == order[o]) {
                ids[g->n] = counted[k];
                g->names[g->n] = events[input[k]];
                g->input[g->n++] = input[k];
            }
        /* Without a kernel, what `kpmc check` prints for the names; for a
         * kernel, the events counted, in user mode when every event is
         * counted in user mode on a configurable counter. */
        int r = kernel ? kpmc_plan_build_kernel(&g->plan, db, kernel, ids, g->n, mixed ? KPMC_MODE_USER : mode,
                                                detail, detail_len)
                       : kpmc_plan_build_names(&g->plan, db, g->names, g->n, mode, detail, detail_len);
        if (r != 0)
            return r; /* not reached: the group was found to fit */
    }
    return (int)n_groups;
}

kpmc_groups *kpmc_groups_alloc(size_t room)
{
    kpmc_groups *gs = calloc(1, sizeof *gs + room * sizeof gs->g[0]);
    return gs;
}

/* Partition into a block with room for one group per event (always
 * enough), then give back what is not used. */
static int build(kpmc_groups **out, const kpmc_db *db, const char *const *events, size_t n,
                 const char *const *anchors, size_t n_anchors, int mode, char *detail, size_t detail_len)
{
    if (!out)
        return kpmc_detail_error(detail, detail_len, KPMC_E_INVAL, "invalid argument: no kpmc_groups pointer");
    *out = NULL;
    size_t room = n && n <= KPMC_GROUPS_MAX ? n : 1;
    kpmc_groups *gs = kpmc_groups_alloc(room);
    if (!gs)
        return kpmc_detail_error(detail, detail_len, KPMC_E_NOMEM, "out of memory for %zu groups", room);
    int r = kpmc_groups_partition(gs->g, room, db, NULL, events, n, anchors, n_anchors, mode, NULL, detail,
                                  detail_len);
    if (r < 0) {
        free(gs);
        return r;
    }
    gs->n = (size_t)r;
    kpmc_groups *fit = realloc(gs, sizeof *gs + gs->n * sizeof gs->g[0]);
    *out = fit ? fit : gs;
    return r;
}

int kpmc_groups_build(kpmc_groups **out, const kpmc_db *db, const char *const *events, size_t n,
                      const char *const *anchors, size_t n_anchors, int mode, char *detail, size_t detail_len)
{
    return build(out, db, events, n, anchors, n_anchors, mode, detail, detail_len);
}

int kpmc_groups_build_db_v(uint64_t catalog, kpmc_groups **out, const kpmc_db *db, const unsigned *events, size_t n,
                           const unsigned *anchors, size_t n_anchors, int mode, char *detail, size_t detail_len)
{
    if (out)
        *out = NULL;
    if (kpmc_cat_digest_check(catalog, detail, detail_len))
        return KPMC_E_CATALOG;
    const char *ev_names[KPMC_GROUPS_MAX], *an_names[KPMC_MAX_EVENTS];
    kpmc_db_info info = {.size = sizeof info};
    if (kpmc_db_get(db, &info) != 0 || (n && !events) || (n_anchors && !anchors) || n > KPMC_GROUPS_MAX ||
        n_anchors > KPMC_MAX_EVENTS)
        return build(out, db, NULL, n, NULL, n_anchors, mode, detail, detail_len);
    const unsigned *ids[2] = {events, anchors};
    const char **names[2] = {ev_names, an_names};
    size_t counts[2] = {n, n_anchors};
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < counts[k]; i++) {
            if (ids[k][i] >= info.n_events)
                return kpmc_detail_error(detail, detail_len, KPMC_E_INVAL,
                                         "%s %zu: index %u is out of range: database %s has %zu events",
                                         k ? "anchor" : "event", i + 1, ids[k][i], info.name, info.n_events);
            names[k][i] = kpmc_event_name(db, ids[k][i]);
        }
    return build(out, db, ev_names, n, an_names, n_anchors, mode, detail, detail_len);
}

size_t kpmc_groups_count(const kpmc_groups *groups)
{
    return groups ? groups->n : 0;
}

int kpmc_groups_get(const kpmc_groups *groups, size_t g, kpmc_group_info *out)
{
    if (!groups || g >= groups->n)
        return KPMC_E_INVAL;
    const struct kpmc_group *gr = &groups->g[g];
    kpmc_group_info full = {sizeof full, &gr->plan, gr->n, gr->n_anchors, gr->names, gr->input};
    return kpmc_out_fill(out, &full, sizeof full, KPMC_SIZE_TO(kpmc_group_info, input));
}

void kpmc_groups_free(kpmc_groups *groups)
{
    free(groups);
}
