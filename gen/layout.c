/* kpmc-gen: the catalog's layout (catalog_format.h): strings pooled, event
 * rows de-duplicated and ordered by portable id, the perfect hashes. */
#include "layout.h"

#include <string.h>

/* FNV-1a */
static uint32_t hash_bytes(const void *data, size_t n)
{
    const unsigned char *p = data;
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

static uint32_t str_hash(const char *s)
{
    return hash_bytes(s, strlen(s));
}

/* ---- string pool with de-duplication ---- */

static void pool_grow(struct pool *p)
{
    size_t n_slots = p->n_slots ? 2 * p->n_slots : 4096;
    uint32_t *slots = gen_alloc(n_slots * sizeof *slots);
    for (size_t i = 0; i < p->n_slots; i++) {
        if (!p->slots[i])
            continue;
        size_t j = str_hash(p->text.data + p->slots[i] - 1) & (n_slots - 1);
        while (slots[j])
            j = (j + 1) & (n_slots - 1);
        slots[j] = p->slots[i];
    }
    p->slots = slots;
    p->n_slots = n_slots;
}

static uint32_t pool_add(struct pool *p, const char *s)
{
    if (2 * (p->n + 1) > p->n_slots)
        pool_grow(p);
    size_t j = str_hash(s) & (p->n_slots - 1);
    for (; p->slots[j]; j = (j + 1) & (p->n_slots - 1))
        if (!strcmp(p->text.data + p->slots[j] - 1, s))
            return p->slots[j] - 1;
    uint32_t off = (uint32_t)p->text.len;
    buf_put(&p->text, s, strlen(s) + 1);
    p->slots[j] = off + 1;
    p->n++;
    return off;
}

/* ---- event rows with de-duplication ---- */

static uint16_t rows_add(struct rows *rs, const struct kpmc_cat_event *r, const char *label)
{
    if (!rs->slots) {
        rs->n_slots = 8192;
        while (rs->n_slots < 2 * rs->cap)
            rs->n_slots *= 2;
        rs->slots = gen_alloc(rs->n_slots * sizeof *rs->slots);
    }
    size_t j = hash_bytes(r, sizeof *r) & (rs->n_slots - 1);
    for (; rs->slots[j]; j = (j + 1) & (rs->n_slots - 1))
        if (!memcmp(&rs->row[rs->slots[j] - 1], r, sizeof *r))
            return (uint16_t)(rs->slots[j] - 1);
    rs->row[rs->n] = *r;
    rs->label[rs->n] = label;
    rs->slots[j] = (uint32_t)rs->n + 1;
    return (uint16_t)rs->n++;
}

/* ---- the catalog ---- */

/* Order the rows by portable id (stable: first use first) and renumber
 * the databases' row lists; pid_rows[p] is the first row of id p. */
static void sort_rows_by_pid(const struct gen_catalog *cat, struct layout *L)
{
    size_t n = L->rows.n;
    uint32_t *count = gen_alloc((cat->n_pids + 2) * sizeof *count);
    for (size_t i = 0; i < n; i++)
        count[L->rows.row[i].pid + 1]++;
    for (size_t p = 0; p < cat->n_pids; p++)
        count[p + 1] += count[p];
    L->pid_rows = gen_alloc((cat->n_pids + 1) * sizeof *L->pid_rows);
    for (size_t p = 0; p <= cat->n_pids; p++)
        L->pid_rows[p] = count[p];
    uint16_t *new_index = gen_alloc((n + 1) * sizeof *new_index);
    struct kpmc_cat_event *row = gen_alloc((n + 1) * sizeof *row);
    const char **label = gen_alloc((n + 1) * sizeof *label);
    for (size_t i = 0; i < n; i++) {
        uint32_t to = count[L->rows.row[i].pid]++;
        new_index[i] = (uint16_t)to;
        row[to] = L->rows.row[i];
        label[to] = L->rows.label[i];
    }
    memcpy(L->rows.row, row, n * sizeof *row);
    memcpy(L->rows.label, label, n * sizeof *label);
    for (size_t k = 0; k < L->n_entries; k++)
        L->db_events[k] = new_index[L->db_events[k]];
}

static int layout_catalog(const struct gen_catalog *cat, struct layout *L)
{
    memset(L, 0, sizeof *L);
    size_t n_entries = 0;
    for (size_t i = 0; i < cat->n_dbs; i++)
        n_entries += cat->dbs[i].n_events;
    L->n_entries = n_entries;
    L->rows.cap = n_entries + 1;
    L->rows.row = gen_alloc(L->rows.cap * sizeof *L->rows.row);
    L->rows.label = gen_alloc(L->rows.cap * sizeof *L->rows.label);
    L->db_events = gen_alloc((n_entries + 1) * sizeof *L->db_events);
    L->pid_name = gen_alloc((cat->n_pids + 1) * sizeof *L->pid_name);
    L->db_str = gen_alloc((4 * cat->n_dbs + 1) * sizeof *L->db_str);
    L->alias_name = gen_alloc((cat->n_dbs + 1) * sizeof *L->alias_name);

    /* Names first: their offsets must fit 16 bits. */
    for (size_t p = 0; p < cat->n_pids; p++)
        L->pid_name[p] = pool_add(&L->pool, cat->pid_name[p]);
    for (size_t i = 0; i < cat->n_dbs; i++) {
        const struct gen_db *db = &cat->dbs[i];
        L->db_str[4 * i] = pool_add(&L->pool, db->name);
        L->db_str[4 * i + 1] = pool_add(&L->pool, db->marketing_name);
        L->db_str[4 * i + 2] = pool_add(&L->pool, db->architecture);
        L->db_str[4 * i + 3] = pool_add(&L->pool, db->file);
        for (size_t j = 0; j < db->n_events; j++)
            pool_add(&L->pool, db->events[j].name);
        L->alias_name[i] = gen_alloc((db->n_aliases + 1) * sizeof **L->alias_name);
        for (size_t j = 0; j < db->n_aliases; j++)
            L->alias_name[i][j] = pool_add(&L->pool, db->aliases[j].name);
    }
    if (L->pool.text.len > KPMC_CAT_LIMIT) {
        gen_error(NULL, 0, "event and database names take %zu bytes; the catalog format allows %u",
                  L->pool.text.len, KPMC_CAT_LIMIT);
        return -1;
    }
    size_t k = 0;
    for (size_t i = 0; i < cat->n_dbs; i++) {
        const struct gen_db *db = &cat->dbs[i];
        for (size_t j = 0; j < db->n_events; j++) {
            const struct gen_event *e = &db->events[j];
            struct kpmc_cat_event r;
            memset(&r, 0, sizeof r);
            r.pid = (uint16_t)e->pid;
            r.name = (uint16_t)pool_add(&L->pool, e->name);
            r.description = e->description ? pool_add(&L->pool, e->description) : 0;
            r.number = (uint16_t)e->number;
            r.other = (uint16_t)e->other;
            r.counters_mask = (uint16_t)e->counters_mask;
            r.fallback = e->fallback_index >= 0 ? (uint16_t)db->events[e->fallback_index].pid : KPMC_CAT_NONE;
            r.umask = (uint8_t)e->umask;
            r.fixed_counter = (uint8_t)e->fixed_counter;
            r.has = (uint8_t)e->has;
            r.flags = (uint8_t)e->flags;
            L->db_events[k++] = rows_add(&L->rows, &r, db->name);
        }
    }
    if (L->rows.n >= KPMC_CAT_LIMIT) {
        gen_error(NULL, 0, "%zu distinct event rows; the catalog format allows %u", L->rows.n, KPMC_CAT_LIMIT - 1);
        return -1;
    }
    sort_rows_by_pid(cat, L);
    return 0;
}

static uint32_t pool_opt(struct pool *p, const char *s)
{
    return s ? pool_add(p, s) : KPMC_CAT_NO_STRING;
}

/* Their strings go into the pool after everything else (no 16-bit limit). */
static void layout_tables(const struct gen_catalog *cat, const struct gen_tables *t, struct layout *L)
{
    L->generic_str = gen_alloc((2 * t->n_generic + 1) * sizeof *L->generic_str);
    L->map_note = gen_alloc((t->n_generic * cat->n_dbs + 1) * sizeof *L->map_note);
    for (size_t g = 0; g < t->n_generic; g++) {
        L->generic_str[2 * g] = pool_add(&L->pool, t->generic[g].name);
        L->generic_str[2 * g + 1] = pool_add(&L->pool, t->generic[g].description);
        for (size_t d = 0; d < cat->n_dbs; d++)
            L->map_note[g * cat->n_dbs + d] = pool_opt(&L->pool, t->generic[g].map[d].note);
    }
    size_t n_chips = 0;
    for (size_t k = 0; k < t->n_families; k++)
        n_chips += t->families[k].n_chips;
    L->chip_name = gen_alloc((n_chips + 1) * sizeof *L->chip_name);
    n_chips = 0;
    for (size_t k = 0; k < t->n_families; k++)
        for (size_t c = 0; c < t->families[k].n_chips; c++, n_chips++)
            if (t->families[k].db >= 0) /* only chips the catalog can name */
                L->chip_name[n_chips] = pool_add(&L->pool, t->families[k].chips[c]);
    L->family_str = gen_alloc((2 * cat->n_links + 1) * sizeof *L->family_str);
    for (size_t l = 0; l < cat->n_links; l++) {
        int k = t->link_family[l];
        L->family_str[2 * l] = k < 0 ? KPMC_CAT_NO_STRING : pool_add(&L->pool, t->families[k].chips_text);
        L->family_str[2 * l + 1] = k < 0 ? KPMC_CAT_NO_STRING : pool_opt(&L->pool, t->families[k].codename);
    }
    L->db_chips = gen_alloc((cat->n_dbs + 1) * sizeof *L->db_chips);
    for (size_t d = 0; d < cat->n_dbs; d++)
        L->db_chips[d] = pool_opt(&L->pool, t->db_chips[d]);
}

int layout_build(const struct gen_catalog *cat, const struct gen_tables *t, struct layout *L)
{
    if (layout_catalog(cat, L) || phash_build(cat->pid_fold, cat->n_pids, &L->pid_hash))
        return -1;
    layout_tables(cat, t, L);
    const char **folds = gen_alloc((t->n_generic + 1) * sizeof *folds);
    for (size_t g = 0; g < t->n_generic; g++)
        folds[g] = t->generic[g].fold;
    return phash_build(folds, t->n_generic, &L->generic_hash);
}

void layout_free(struct layout *L)
{
    buf_free(&L->pool.text);
}
