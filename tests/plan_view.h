/* Plans as tests read them: the public accessors (kpmc_plan_get,
 * kpmc_plan_event_get) copied into a struct that can be indexed field by
 * field (p.events[i].counter), and kpmc_plan_build* into it. */
#ifndef KPMC_TESTS_PLAN_VIEW_H
#define KPMC_TESTS_PLAN_VIEW_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kpmc/kpmc.h>
#include <kpmc/measure.h>

/* The fields of kpmc_plan_info a view keeps as they are (type, name):
 * declared in struct plan_view and copied by plan_read from this list. */
#define PLAN_VIEW_INFO(X)                                                                                     \
    X(const kpmc_db *, db)                                                                                    \
    X(int, mode)                                                                                              \
    X(uint32_t, classes)                                                                                      \
    X(unsigned, n_events)                                                                                     \
    X(unsigned, n_config)                                                                                     \
    X(unsigned, n_counters)                                                                                   \
    X(unsigned, config_skip)
#define PLAN_VIEW_FIELD_(type, name) type name;
#define PLAN_VIEW_COPY_(type, name) v->name = pi.name;

struct plan_view {
    PLAN_VIEW_INFO(PLAN_VIEW_FIELD_)
    uint64_t config[KPMC_MAX_EVENTS + 1]; /* config[n_config..] are 0 */
    kpmc_plan_event events[KPMC_MAX_EVENTS];
};

/* *v from plan; exits when an accessor breaks its contract (a size not
 * given back, an event missing). */
static inline void plan_read(const kpmc_plan *plan, struct plan_view *v)
{
    kpmc_plan_info pi = {.size = sizeof pi};
    memset(v, 0, sizeof *v);
    if (kpmc_plan_get(plan, &pi) != 0 || pi.size != sizeof pi || pi.n_events > KPMC_MAX_EVENTS ||
        pi.n_config > KPMC_MAX_EVENTS + 1) {
        fprintf(stderr, "kpmc_plan_get failed or gave size %zu, %u events, %u words\n", pi.size, pi.n_events,
                pi.n_config);
        exit(1);
    }
    PLAN_VIEW_INFO(PLAN_VIEW_COPY_)
    if (pi.n_config)
        memcpy(v->config, pi.config, pi.n_config * sizeof v->config[0]);
    for (unsigned i = 0; i < pi.n_events; i++) {
        v->events[i].size = sizeof v->events[i];
        if (kpmc_plan_event_get(plan, i, &v->events[i]) != 0 || v->events[i].size != sizeof v->events[i]) {
            fprintf(stderr, "kpmc_plan_event_get(%u) failed\n", i);
            exit(1);
        }
    }
}

/* The plan the view builders build into (one per test program). */
static inline kpmc_plan *plan_view_plan(void)
{
    static kpmc_plan *plan;
    if (!plan && kpmc_plan_new(&plan) != 0) {
        fprintf(stderr, "kpmc_plan_new failed\n");
        exit(1);
    }
    return plan;
}

/* kpmc_plan_build_kernel (kernel may be NULL) into *v; v NULL passes a
 * NULL plan. */
static inline int view_build(struct plan_view *v, const kpmc_db *db, const kpmc_kernel *kernel,
                             const unsigned *events, size_t n, int mode, char *detail, size_t detail_len)
{
    kpmc_plan *plan = v ? plan_view_plan() : NULL;
    int rc = kpmc_plan_build_kernel(plan, db, kernel, events, n, mode, detail, detail_len);
    if (v)
        plan_read(plan, v);
    return rc;
}

/* kpmc_plan_build_names_kernel into *v. */
static inline int view_build_names(struct plan_view *v, const kpmc_db *db, const kpmc_kernel *kernel,
                                   const char *const *names, size_t n, int mode, char *detail, size_t detail_len)
{
    kpmc_plan *plan = v ? plan_view_plan() : NULL;
    int rc = kpmc_plan_build_names_kernel(plan, db, kernel, names, n, mode, detail, detail_len);
    if (v)
        plan_read(plan, v);
    return rc;
}

/* A group as kpmc_groups_get gives it, its plan read as a plan_view. */
struct group_view {
    struct plan_view plan;
    size_t n, n_anchors;
    const char *names[KPMC_MAX_EVENTS];
    size_t input[KPMC_MAX_EVENTS];
};

/* The groups of gs into g[0 .. max-1]; returns how many gs has. */
static inline size_t groups_read(const kpmc_groups *gs, struct group_view *g, size_t max)
{
    size_t count = kpmc_groups_count(gs);
    for (size_t k = 0; k < count && k < max; k++) {
        kpmc_group_info gi = {.size = sizeof gi};
        if (kpmc_groups_get(gs, k, &gi) != 0 || gi.size != sizeof gi || gi.n > KPMC_MAX_EVENTS) {
            fprintf(stderr, "kpmc_groups_get(%zu) failed\n", k);
            exit(1);
        }
        plan_read(gi.plan, &g[k].plan);
        g[k].n = gi.n;
        g[k].n_anchors = gi.n_anchors;
        memcpy(g[k].names, gi.names, gi.n * sizeof gi.names[0]);
        memcpy(g[k].input, gi.input, gi.n * sizeof gi.input[0]);
    }
    return count;
}

/* What kpmc_groups_build* returned (r, gs) into g[0 .. max-1]: the count,
 * or KPMC_E_TOOMANY when there are more groups than max, or the error;
 * frees gs. */
static inline int groups_view_take(int r, kpmc_groups *gs, struct group_view *g, size_t max)
{
    if ((r < 0) != (gs == NULL)) {
        fprintf(stderr, "kpmc_groups_build returned %d with groups %p\n", r, (void *)gs);
        exit(1);
    }
    if (r > 0 && groups_read(gs, g, max) > max)
        r = KPMC_E_TOOMANY;
    kpmc_groups_free(gs);
    return r;
}

/* kpmc_groups_build into g[0 .. max-1]. */
static inline int groups_view_build(struct group_view *g, size_t max, const kpmc_db *db,
                                    const char *const *events, size_t n, const char *const *anchors,
                                    size_t n_anchors, int mode, char *detail, size_t detail_len)
{
    kpmc_groups *gs = NULL;
    int r = kpmc_groups_build(&gs, db, events, n, anchors, n_anchors, mode, detail, detail_len);
    return groups_view_take(r, gs, g, max);
}

/* The same for kpmc_groups_build_db. */
static inline int groups_view_build_db(struct group_view *g, size_t max, const kpmc_db *db, const unsigned *events,
                                       size_t n, const unsigned *anchors, size_t n_anchors, int mode, char *detail,
                                       size_t detail_len)
{
    kpmc_groups *gs = NULL;
    int r = kpmc_groups_build_db(&gs, db, events, n, anchors, n_anchors, mode, detail, detail_len);
    return groups_view_take(r, gs, g, max);
}

#endif
