/* Formatting shared by the documentation outputs (see doc_fmt.h). */
#include "doc_fmt.h"

#include <stdio.h>
#include <string.h>

#include <kpmc/kpmc.h>

void doc_counters_str(uint32_t mask, char out[DOC_COUNTERS_LEN])
{
    if (mask)
        kpmc_counter_list(mask, out);
    else
        strcpy(out, "none");
}

void doc_other_decode(unsigned other, doc_other *o)
{
    o->usr = other & 1u;
    o->os = other >> 1 & 1u;
    o->edge = other >> 2 & 1u;
    o->pc = other >> 3 & 1u;
    o->intr = other >> 4 & 1u;
    o->any = other >> 5 & 1u;
    o->en = other >> 6 & 1u;
    o->inv = other >> 7 & 1u;
    o->cmask = other >> 8 & 0xffu;
}

void doc_other_str(unsigned other, char out[DOC_OTHER_LEN])
{
    doc_other o;
    doc_other_decode(other, &o);
    char *p = out;
    *p = '\0';
    if (o.cmask)
        p += sprintf(p, "CMASK=%u", o.cmask);
    const struct {
        unsigned on;
        const char *word;
    } parts[] = {
        {o.inv, "INV"},
        {o.edge, "EDGE"},
        {o.any, "ANY"},
        {o.pc, "PC"},
        {o.usr && !o.os, "USR only"},
        {o.os && !o.usr, "OS only"},
        {!o.os && !o.usr, "neither USR nor OS"},
    };
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        if (parts[i].on)
            p += sprintf(p, "%s%s", p != out ? " " : "", parts[i].word);
}

void doc_selector_str(const kpmc_db_info *d, const kpmc_event_info *e, char out[DOC_SEL_LEN])
{
    if (e->has & KPMC_HAS_NUMBER) {
        if (d->arch == KPMC_ARCH_X86_64 && (e->has & KPMC_HAS_UMASK))
            snprintf(out, DOC_SEL_LEN, "0x%02x/0x%02x", e->number, e->umask);
        else
            snprintf(out, DOC_SEL_LEN, "0x%x", e->number);
    } else if (e->has & KPMC_HAS_FIXED_COUNTER) {
        snprintf(out, DOC_SEL_LEN, "fixed %u", e->fixed_counter);
    } else {
        strcpy(out, "-");
    }
}

void doc_family_link(const kpmc_family_info *fi, char out[DOC_LINK_LEN])
{
    snprintf(out, DOC_LINK_LEN, "cpu_%x_%x_%x", (unsigned)fi->cputype, (unsigned)fi->cpusubtype,
             (unsigned)fi->family);
}

void doc_selector_full(const kpmc_db_info *d, const kpmc_event_info *e, char out[DOC_SEL_FULL_LEN])
{
    char sel[DOC_SEL_LEN];
    size_t n;
    doc_selector_str(d, e, sel);
    if ((e->has & KPMC_HAS_NUMBER) && (e->has & KPMC_HAS_FIXED_COUNTER))
        n = (size_t)snprintf(out, DOC_SEL_FULL_LEN, "%s fixed %u", sel, e->fixed_counter);
    else
        n = (size_t)snprintf(out, DOC_SEL_FULL_LEN, "%s", sel);
    if ((e->has & KPMC_HAS_OTHER) && n < DOC_SEL_FULL_LEN)
        snprintf(out + n, DOC_SEL_FULL_LEN - n, " other 0x%x", e->other);
}

int doc_find_event(const kpmc_db *db, const char *name)
{
    int i = kpmc_event_find(db, name);
    if (i >= 0 && kpmc_ascii_casecmp(kpmc_event_name(db, (unsigned)i), name) != 0)
        return KPMC_E_NOEVENT;
    return i;
}

static int field_differs(unsigned has_a, unsigned has_b, unsigned bit, unsigned va, unsigned vb)
{
    if ((has_a & bit) != (has_b & bit))
        return 1;
    return (has_a & bit) && va != vb;
}

int doc_selector_differs(const kpmc_event_info *a, const kpmc_event_info *b)
{
    return field_differs(a->has, b->has, KPMC_HAS_NUMBER, a->number, b->number) ||
           field_differs(a->has, b->has, KPMC_HAS_UMASK, a->umask, b->umask) ||
           field_differs(a->has, b->has, KPMC_HAS_OTHER, a->other, b->other) ||
           field_differs(a->has, b->has, KPMC_HAS_FIXED_COUNTER, a->fixed_counter, b->fixed_counter);
}

static const struct {
    unsigned flag;
    const char *word;
    const char *sentence;
} flag_names[] = {
    {KPMC_EVF_FIXED_OUTSIDE, "fixed-outside",
     "its fixed_counter is not one of this database's fixed counters"},
    {KPMC_EVF_FIXED_SHARED, "fixed-shared",
     "another event names the same fixed counter while one fixed counter is named by none"},
    {KPMC_EVF_FIXED_MASK, "fixed-mask", "its counters_mask is not the bit of its fixed_counter"},
};

void doc_flags_words(unsigned flags, char out[DOC_FLAGS_LEN])
{
    char *p = out;
    *p = '\0';
    for (size_t i = 0; i < sizeof flag_names / sizeof flag_names[0]; i++)
        if (flags & flag_names[i].flag)
            p += sprintf(p, "%s%s", p != out ? " " : "", flag_names[i].word);
}

const char *doc_flag_sentence(unsigned flag)
{
    for (size_t i = 0; i < sizeof flag_names / sizeof flag_names[0]; i++)
        if (flag == flag_names[i].flag)
            return flag_names[i].sentence;
    return "unknown marker";
}

static void put_name(FILE *f, const char *name, void (*put)(FILE *, const char *))
{
    if (put)
        put(f, name);
    else
        fputs(name, f);
}

void doc_aliases(FILE *f, const kpmc_db *db, const struct doc_alias_list *how)
{
    const char *alias;
    unsigned ev;
    size_t k = 0;
    for (; kpmc_db_alias(db, k, &alias, &ev) == 0; k++) {
        fputs(k ? how->sep : how->first, f);
        put_name(f, alias, how->put_alias);
        fputs(how->arrow, f);
        put_name(f, kpmc_event_name(db, ev), how->put_event);
    }
    if (k)
        fputs(how->end, f);
}

/* ---- generic events ---- */

const char *doc_generic_event(const kpmc_db *db, int g, int mode)
{
    int e = kpmc_generic_resolve(db, g, mode);
    return e >= 0 ? kpmc_event_name(db, (unsigned)e) : NULL;
}

static int same_text(const char *a, const char *b)
{
    return a ? b && !strcmp(a, b) : !b;
}

int doc_generic_same(const kpmc_db *a, const kpmc_db *b, int g)
{
    for (int mode = KPMC_MODE_ALL; mode <= KPMC_MODE_USER; mode++)
        if (!same_text(doc_generic_event(a, g, mode), doc_generic_event(b, g, mode)))
            return 0;
    return same_text(kpmc_generic_note(a, g), kpmc_generic_note(b, g));
}

int doc_generic_first(size_t first, size_t i, int g)
{
    for (size_t j = first; j < i; j++)
        if (doc_generic_same(kpmc_db_at(j), kpmc_db_at(i), g))
            return 0;
    return 1;
}

void doc_html(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default: fputc(*s, f);
        }
    }
}

void doc_md(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '\n' || *s == '\r' || *s == '\t')
            fputc(' ', f);
        else if (strchr("\\|*_`<>[]#", *s))
            fprintf(f, "\\%c", *s);
        else
            fputc(*s, f);
    }
}

void doc_md_cell(FILE *f, const char *s)
{
    if (s && *s) {
        fputc(' ', f);
        doc_md(f, s);
    }
    fputs(" |", f);
}

void doc_csv(FILE *f, const char *s)
{
    if (!s)
        return;
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* ---- chips (the catalog's chip table) ---- */

void doc_family_chips(const kpmc_family_info *fi, char out[DOC_CHIPS_LEN])
{
    out[0] = '\0';
    if (!fi->chips)
        return;
    if (fi->codename)
        snprintf(out, DOC_CHIPS_LEN, "%s (%s)", fi->chips, fi->codename);
    else
        snprintf(out, DOC_CHIPS_LEN, "%s", fi->chips);
}

/* Does `hay` contain needle[0..n), ignoring ASCII case? */
static int contains_ci(const char *hay, const char *needle, size_t n)
{
    for (; *hay; hay++) {
        size_t i = 0;
        while (i < n && hay[i] && kpmc_ascii_upper((unsigned char)hay[i]) == kpmc_ascii_upper((unsigned char)needle[i]))
            i++;
        if (i == n)
            return 1;
    }
    return 0;
}

void doc_db_label(const kpmc_db_info *d, char out[DOC_LABEL_LEN])
{
    const char *p = d->chips;
    while (p && *p) {
        size_t n = strcspn(p, ",");
        if (contains_ci(d->marketing_name, p, n))
            p = NULL;
        else
            p += n + (p[n] == ',' ? 2 : 0);
    }
    if (p)
        snprintf(out, DOC_LABEL_LEN, "%s (%s)", d->marketing_name, d->chips);
    else
        snprintf(out, DOC_LABEL_LEN, "%s", d->marketing_name);
}

/* Position in the chip table of db's first chip; kpmc_chip_count() when
 * it has none. */
static size_t age_rank(const kpmc_db *db)
{
    for (size_t i = 0; i < kpmc_chip_count(); i++) {
        kpmc_chip_info c = {.size = sizeof c};
        if (kpmc_chip_at(i, &c) == 0 && c.db == db)
            return i;
    }
    return kpmc_chip_count();
}

size_t doc_dbs_by_age(int arch, size_t *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < kpmc_db_count() && n < cap; i++) {
        kpmc_db_info d = {.size = sizeof d};
        kpmc_db_get(kpmc_db_at(i), &d);
        if (d.arch != arch)
            continue;
        /* Insertion sort by rank; equal ranks keep the catalog's order. */
        size_t rank = age_rank(kpmc_db_at(i)), j = n;
        while (j > 0 && age_rank(kpmc_db_at(out[j - 1])) > rank) {
            out[j] = out[j - 1];
            j--;
        }
        out[j] = i;
        n++;
    }
    return n;
}
