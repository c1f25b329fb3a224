/* Did you mean: what an unknown event or database name probably meant
 * (include/kpmc/catalog.h, kpmc_suggest_*).  Reads the catalog through its
 * public API; no allocation, no printing. */
#include <kpmc/catalog.h>
#include <kpmc/events.h> /* KPMC_CATALOG_DIGEST, for kpmc_ev_resolve and kpmc_generic_resolve */

#include <string.h>

#include "ascii.h"
#include "catalog_format.h"

/* Names longer than this get no edit-distance suggestions. */
#define NAME_MAX_LEN 127
/* At most this many names are suggested. */
#define MAX_SUGGESTIONS 4

/* ---- the text ---- */

struct text {
    char *buf; /* NULL: count nothing */
    size_t len, pos;
};

static void add(struct text *t, const char *s)
{
    for (; *s; s++) {
        if (t->buf && t->pos + 1 < t->len)
            t->buf[t->pos] = *s;
        t->pos++;
    }
    if (t->buf && t->len)
        t->buf[t->pos < t->len ? t->pos : t->len - 1] = '\0';
}

/* Before item k of n: ", " or the conjunction ("or", "and"). */
static void add_list_sep(struct text *t, size_t k, size_t n, const char *conj)
{
    if (k && k + 1 == n) {
        add(t, " ");
        add(t, conj);
        add(t, " ");
    } else if (k) {
        add(t, ", ");
    }
}

static size_t done(const struct text *t)
{
    if (!t->buf || !t->len)
        return 0;
    return t->pos < t->len ? t->pos : t->len - 1;
}

/* ---- distance ---- */

/* Names compare without regard to case and to which of '-', '_', '.' and
 * ' ' separates their words. */
static int fold(int c)
{
    return c == '-' || c == '.' || c == ' ' ? '_' : kpmc_ascii_upper(c);
}

/* Chip names also ignore their separators (catalog_format.h). */
static size_t squeeze(const char *s, size_t n, char *out, int chip)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k < NAME_MAX_LEN; i++) {
        int c = (unsigned char)s[i];
        if (chip && kpmc_chip_skip(c))
            continue;
        out[k++] = (char)fold(c);
    }
    return k;
}

/* Optimal-string-alignment distance (insertions, deletions, substitutions,
 * swaps of neighbours) between a[0..n) and b[0..m), both folded; values
 * above `limit` are reported as limit + 1. */
static unsigned distance(const char *a, size_t n, const char *b, size_t m, unsigned limit)
{
    if ((n > m ? n - m : m - n) > limit)
        return limit + 1;
    unsigned rows[3][NAME_MAX_LEN + 1];
    unsigned *two = rows[0], *prev = rows[1], *cur = rows[2];
    for (size_t j = 0; j <= m; j++)
        prev[j] = (unsigned)j;
    for (size_t i = 1; i <= n; i++) {
        cur[0] = (unsigned)i;
        unsigned best = cur[0];
        for (size_t j = 1; j <= m; j++) {
            unsigned cost = a[i - 1] != b[j - 1];
            unsigned v = prev[j - 1] + cost;
            if (prev[j] + 1 < v)
                v = prev[j] + 1;
            if (cur[j - 1] + 1 < v)
                v = cur[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && two[j - 2] + 1 < v)
                v = two[j - 2] + 1;
            cur[j] = v;
            if (v < best)
                best = v;
        }
        if (best > limit)
            return limit + 1;
        unsigned *t = two;
        two = prev;
        prev = cur;
        cur = t;
    }
    return prev[m] > limit ? limit + 1 : prev[m];
}

/* The closest candidates so far: distance, then the order offered. */
struct best {
    const char *name[MAX_SUGGESTIONS];
    const char *detail[MAX_SUGGESTIONS]; /* shown in parentheses, or NULL */
    unsigned dist[MAX_SUGGESTIONS];
    size_t n;
    unsigned limit;
    char key[NAME_MAX_LEN];
    size_t key_len;
    int chip;
};

static void offer(struct best *b, const char *name, const char *detail, int chip)
{
    char c[NAME_MAX_LEN];
    size_t n = strlen(name);
    if (n > NAME_MAX_LEN)
        return;
    size_t cl = squeeze(name, n, c, chip);
    unsigned d = distance(b->key, b->key_len, c, cl, b->limit);
    if (d > b->limit)
        return;
    for (size_t k = 0; k < b->n; k++)
        if (!strcmp(b->name[k], name))
            return;
    size_t at = b->n;
    while (at > 0 && b->dist[at - 1] > d)
        at--;
    if (at >= MAX_SUGGESTIONS)
        return;
    size_t end = b->n < MAX_SUGGESTIONS ? b->n : MAX_SUGGESTIONS - 1;
    for (size_t k = end; k > at; k--) {
        b->name[k] = b->name[k - 1];
        b->detail[k] = b->detail[k - 1];
        b->dist[k] = b->dist[k - 1];
    }
    b->name[at] = name;
    b->detail[at] = detail;
    b->dist[at] = d;
    if (b->n < MAX_SUGGESTIONS)
        b->n++;
}

static int best_init(struct best *b, const char *name, int chip)
{
    size_t n = strlen(name);
    if (!n || n > NAME_MAX_LEN)
        return -1;
    memset(b, 0, sizeof *b);
    b->chip = chip;
    b->key_len = squeeze(name, n, b->key, chip);
    /* one edit per four characters, at least one, at most four */
    b->limit = (unsigned)(b->key_len + 3) / 4;
    b->limit = b->limit < 1 ? 1 : b->limit > 4 ? 4 : b->limit;
    return 0;
}

/* "did you mean A (x), B or C?"; only the closest distance is shown. */
static void add_best(struct text *t, const struct best *b)
{
    size_t n = 0;
    while (n < b->n && b->dist[n] == b->dist[0])
        n++;
    add(t, "did you mean ");
    for (size_t k = 0; k < n; k++) {
        add_list_sep(t, k, n, "or");
        add(t, b->name[k]);
        if (b->detail[k]) {
            add(t, " (");
            add(t, b->detail[k]);
            add(t, ")");
        }
    }
    add(t, "?");
}

/* ---- events ---- */

static const char *arch_word(int arch)
{
    return arch == KPMC_ARCH_X86_64 ? "an Intel" : "an Apple";
}

/* "; on a14: instructions (INST_ALL)" for the generic event that counts
 * event `ev` (portable id) in some database having it, else for an alias
 * that names it there and names an event of db.  1 when written. */
static int add_counterpart(struct text *t, const kpmc_db *db, int ev, int mode)
{
    for (size_t g = 0; g < kpmc_generic_count(); g++) {
        int here = kpmc_generic_resolve(db, (int)g, mode);
        if (here < 0)
            continue;
        for (size_t i = 0; i < kpmc_db_count(); i++) {
            const kpmc_db *other = kpmc_db_at(i);
            int e = kpmc_ev_resolve(other, ev);
            if (e < 0 || other == db)
                continue;
            if (kpmc_generic_resolve(other, (int)g, 0) != e && kpmc_generic_resolve(other, (int)g, 1) != e)
                continue;
            add(t, "; on ");
            add(t, kpmc_db_name(db));
            add(t, ": ");
            add(t, kpmc_generic_name((int)g));
            add(t, " (");
            add(t, kpmc_event_name(db, (unsigned)here));
            add(t, ")");
            return 1;
        }
    }
    for (size_t i = 0; i < kpmc_db_count(); i++) {
        const kpmc_db *other = kpmc_db_at(i);
        int e = kpmc_ev_resolve(other, ev);
        if (e < 0 || other == db)
            continue;
        const char *alias;
        for (size_t k = 0; (alias = kpmc_event_alias(other, (unsigned)e, k)) != NULL; k++) {
            int here = kpmc_event_find(db, alias);
            if (here < 0)
                continue;
            add(t, "; on ");
            add(t, kpmc_db_name(db));
            add(t, ": ");
            add(t, kpmc_event_name(db, (unsigned)here));
            return 1;
        }
    }
    return 0;
}

/* An event some other databases have: say which, and what counts it here. */
static void add_elsewhere(struct text *t, const kpmc_db *db, const char *name, int ev, int mode)
{
    kpmc_db_info info = {.size = sizeof info};
    kpmc_db_get(db, &info);
    size_t n_have = 0, n_same_arch = 0;
    for (size_t i = 0; i < kpmc_db_count(); i++) {
        kpmc_db_info o = {.size = sizeof o};
        if (kpmc_ev_resolve(kpmc_db_at(i), ev) < 0 || kpmc_db_get(kpmc_db_at(i), &o) != 0)
            continue;
        n_have++;
        n_same_arch += o.arch == info.arch;
    }
    add(t, name);
    if (!n_same_arch) {
        add(t, " is ");
        add(t, arch_word(info.arch == KPMC_ARCH_X86_64 ? KPMC_ARCH_ARM64 : KPMC_ARCH_X86_64));
        add(t, " event");
    } else {
        add(t, " is an event of ");
        size_t shown = 0, limit = n_have > 6 ? 5 : n_have;
        for (size_t i = 0; i < kpmc_db_count() && shown < limit; i++) {
            if (kpmc_ev_resolve(kpmc_db_at(i), ev) < 0)
                continue;
            add_list_sep(t, shown, n_have > limit ? limit + 1 : n_have, "and");
            add(t, kpmc_db_name(kpmc_db_at(i)));
            shown++;
        }
        if (n_have > limit) {
            char more[32];
            size_t rest = n_have - limit, k = sizeof more - 1;
            more[k] = '\0';
            do {
                more[--k] = (char)('0' + rest % 10);
                rest /= 10;
            } while (rest);
            add(t, ", and ");
            add(t, more + k);
            add(t, " more");
        }
        add(t, ", not of ");
        add(t, info.name);
    }
    add_counterpart(t, db, ev, mode);
}

size_t kpmc_suggest_event(const kpmc_db *db, const char *name, int mode, char *buf, size_t len)
{
    struct text t = {buf && len ? buf : NULL, len, 0};
    if (t.buf)
        buf[0] = '\0';
    if (!name || !kpmc_db_name(db) || (mode != 0 && mode != 1))
        return 0;
    int g = kpmc_generic_find(name);
    if (g >= 0) {
        if (kpmc_generic_resolve(db, g, mode) >= 0)
            return 0;
        const char *note = kpmc_generic_note(db, g);
        int other = kpmc_generic_resolve(db, g, !mode);
        add(&t, kpmc_generic_name(g));
        add(&t, " is a generic event that ");
        add(&t, kpmc_db_name(db));
        if (other >= 0) {
            add(&t, mode ? " counts in all modes (" : " counts in user mode (");
            add(&t, kpmc_event_name(db, (unsigned)other));
            add(&t, mode ? "), not in user mode" : "), not in all modes");
        } else {
            add(&t, " has no event for");
        }
        if (note) {
            add(&t, ": ");
            add(&t, note);
        }
        return done(&t);
    }
    if (kpmc_event_find(db, name) >= 0)
        return 0;
    int ev = kpmc_ev_find(name);
    if (ev >= 0) {
        add_elsewhere(&t, db, name, ev, mode);
        return done(&t);
    }
    struct best b;
    if (best_init(&b, name, 0))
        return 0;
    kpmc_db_info info = {.size = sizeof info};
    kpmc_db_get(db, &info);
    for (size_t i = 0; i < kpmc_generic_count(); i++) {
        int e = kpmc_generic_resolve(db, (int)i, mode);
        if (e >= 0)
            offer(&b, kpmc_generic_name((int)i), kpmc_event_name(db, (unsigned)e), 0);
    }
    for (unsigned i = 0; i < info.n_events; i++)
        offer(&b, kpmc_event_name(db, i), NULL, 0);
    for (size_t k = 0; k < info.n_aliases; k++) {
        const char *alias;
        unsigned e;
        kpmc_db_alias(db, k, &alias, &e);
        offer(&b, alias, kpmc_event_name(db, e), 0);
    }
    if (!b.n)
        return 0;
    add_best(&t, &b);
    return done(&t);
}

/* ---- databases ---- */

size_t kpmc_suggest_db(const char *name, char *buf, size_t len)
{
    struct text t = {buf && len ? buf : NULL, len, 0};
    if (t.buf)
        buf[0] = '\0';
    struct best b;
    if (!name || kpmc_db_find(name) || best_init(&b, name, 1))
        return 0;
    for (size_t i = 0; i < kpmc_db_count(); i++)
        offer(&b, kpmc_db_name(kpmc_db_at(i)), NULL, 1);
    for (size_t i = 0; i < kpmc_chip_count(); i++) {
        kpmc_chip_info c = {.size = sizeof c};
        kpmc_chip_at(i, &c);
        if (!kpmc_chip_same(c.name, kpmc_db_name(c.db))) /* "Skylake" is skylake */
            offer(&b, c.name, kpmc_db_name(c.db), 1);
    }
    if (!b.n)
        return 0;
    add_best(&t, &b);
    return done(&t);
}
