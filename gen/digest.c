/* kpmc-gen: the catalog digest, over the enumerators emit.c writes into the
 * headers (README "Versions and ABI"; tests/kpmctest.py computes it again
 * from the headers' text). */
#include "digest.h"

#include <stdlib.h>
#include <string.h>

#include "sha256.h"
#include "util.h"

/* One line per enumerator, "NAME VALUE", each ended by a NUL in one
 * buffer; at holds their offsets. */
struct lines {
    struct buf text;
    size_t *at, n, cap;
};

static void line(struct lines *l, const char *a, const char *b, const char *c, long long value)
{
    l->at = gen_grow(l->at, l->n, &l->cap, sizeof *l->at, 1024);
    l->at[l->n++] = l->text.len;
    buf_puts(&l->text, "KPMC_");
    buf_puts(&l->text, a);
    if (b) {
        buf_putc(&l->text, '_');
        buf_puts(&l->text, b);
    }
    buf_puts(&l->text, c);
    buf_putc(&l->text, ' ');
    if (value < 0)
        buf_putc(&l->text, '-');
    buf_putu(&l->text, (unsigned long long)(value < 0 ? -value : value));
    buf_putc(&l->text, '\0');
}

static int by_bytes(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The lines in byte order, each ended by a newline (a NUL and a newline
 * sort alike: both come before every character a line holds). */
uint64_t catalog_digest(const struct gen_catalog *cat, const struct gen_tables *t)
{
    struct lines l = {0};
    for (size_t i = 0; i < cat->n_dbs; i++)
        line(&l, "DB", cat->dbs[i].ident, "", (long long)i);
    line(&l, "DB", NULL, "_COUNT", (long long)cat->n_dbs);
    for (size_t p = 0; p < cat->n_pids; p++)
        line(&l, "EV", cat->pid_ident[p], "", (long long)p);
    line(&l, "EV", NULL, "_COUNT", (long long)cat->n_pids);
    for (size_t g = 0; g < t->n_generic; g++)
        line(&l, "GEN", t->generic[g].ident, "", (long long)g);
    line(&l, "GEN", NULL, "_COUNT", (long long)t->n_generic);
    for (size_t i = 0; i < cat->n_dbs; i++) {
        const struct gen_db *db = &cat->dbs[i];
        for (size_t j = 0; j < db->n_events; j++)
            line(&l, db->ident, db->events[j].ident, "", (long long)j);
        for (size_t j = 0; j < db->n_aliases; j++)
            line(&l, db->ident, db->aliases[j].ident, "", db->aliases[j].event);
        line(&l, db->ident, NULL, "_EVENT_COUNT", (long long)db->n_events);
    }
    char **v = gen_alloc_raw((l.n + 1) * sizeof *v);
    for (size_t i = 0; i < l.n; i++)
        v[i] = l.text.data + l.at[i];
    qsort(v, l.n, sizeof *v, by_bytes);
    struct buf sorted = {0};
    buf_grow(&sorted, l.text.len);
    for (size_t i = 0; i < l.n; i++) {
        buf_puts(&sorted, v[i]);
        buf_putc(&sorted, '\n');
    }
    uint8_t h[32];
    sha256(sorted.data ? sorted.data : "", sorted.len, h);
    buf_free(&sorted);
    buf_free(&l.text);
    uint64_t d = 0;
    for (int i = 0; i < 8; i++)
        d = d << 8 | h[i];
    return d;
}
