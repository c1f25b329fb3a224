/* kpmc-gen: the catalog digest, over the enumerators emit.c writes into the
 * headers (README "Versions and ABI"; tests/kpmctest.py computes it again
 * from the headers' text). */
#include "digest.h"

#include <stdlib.h>
#include <string.h>

#include "sha256.h"
#include "util.h"

struct lines {
    char **v;
    size_t n, cap;
};

static void add(struct lines *l, char *line)
{
    l->v = gen_grow(l->v, l->n, &l->cap, sizeof *l->v, 1024);
    l->v[l->n++] = line;
}

static int by_bytes(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

uint64_t catalog_digest(const struct gen_catalog *cat, const struct gen_tables *t)
{
    struct lines l = {0};
    for (size_t i = 0; i < cat->n_dbs; i++)
        add(&l, gen_printf("KPMC_DB_%s %zu\n", cat->dbs[i].ident, i));
    add(&l, gen_printf("KPMC_DB_COUNT %zu\n", cat->n_dbs));
    for (size_t p = 0; p < cat->n_pids; p++)
        add(&l, gen_printf("KPMC_EV_%s %zu\n", cat->pid_ident[p], p));
    add(&l, gen_printf("KPMC_EV_COUNT %zu\n", cat->n_pids));
    for (size_t g = 0; g < t->n_generic; g++)
        add(&l, gen_printf("KPMC_GEN_%s %zu\n", t->generic[g].ident, g));
    add(&l, gen_printf("KPMC_GEN_COUNT %zu\n", t->n_generic));
    for (size_t i = 0; i < cat->n_dbs; i++) {
        const struct gen_db *db = &cat->dbs[i];
        for (size_t j = 0; j < db->n_events; j++)
            add(&l, gen_printf("KPMC_%s_%s %zu\n", db->ident, db->events[j].ident, j));
        for (size_t j = 0; j < db->n_aliases; j++)
            add(&l, gen_printf("KPMC_%s_%s %d\n", db->ident, db->aliases[j].ident, db->aliases[j].event));
        add(&l, gen_printf("KPMC_%s_EVENT_COUNT %zu\n", db->ident, db->n_events));
    }
    qsort(l.v, l.n, sizeof *l.v, by_bytes);
    struct buf text = {0};
    for (size_t i = 0; i < l.n; i++)
        buf_puts(&text, l.v[i]);
    uint8_t h[32];
    sha256(text.data ? text.data : "", text.len, h);
    buf_free(&text);
    uint64_t d = 0;
    for (int i = 0; i < 8; i++)
        d = d << 8 | h[i];
    return d;
}
