/* Helpers shared by the plan tests (test_alloc.c, test_encode.c); plans are
 * read through plan_view.h. */
#ifndef KPMC_TESTS_PLAN_TEST_H
#define KPMC_TESTS_PLAN_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kpmc/kpmc.h>

#include "check.h"
#include "plan_view.h"

/* The database called name; aborts the test when the catalog lacks it. */
static inline const kpmc_db *need_db(const char *name)
{
    const kpmc_db *db = kpmc_db_find(name);
    if (!db) {
        fprintf(stderr, "database %s missing from the catalog\n", name);
        exit(1);
    }
    return db;
}

/* Index of event `name` (no alias) in db; aborts when absent. */
static inline unsigned need_event(const kpmc_db *db, const char *name)
{
    int ev = kpmc_event_find(db, name);
    if (ev < 0 || strcmp(kpmc_event_name(db, (unsigned)ev), name) != 0) {
        fprintf(stderr, "event %s missing from database %s\n", name, kpmc_db_name(db));
        exit(1);
    }
    return (unsigned)ev;
}

/* Build a plan from names; returns the code, detail in `detail`. */
static inline int plan_names(struct plan_view *p, const char *db, int mode, char *detail, size_t n,
                             const char *const *names)
{
    return view_build_names(p, need_db(db), NULL, names, n, mode, detail, KPMC_DETAIL_MAX);
}

#define NAMES(...) ((const char *const[]){__VA_ARGS__})
#define N_NAMES(...) (sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *))
/* PLAN(&plan, "a14", KPMC_MODE_ALL, detail, "Cycles", "INST_ALL") */
#define PLAN(p, db, mode, detail, ...) plan_names(p, db, mode, detail, N_NAMES(__VA_ARGS__), NAMES(__VA_ARGS__))

#endif
