/* `kpmc list --format md|csv` (see list_md_csv.h). */
#include "list_md_csv.h"

#include "doc_fmt.h"

/* The database's header as Markdown list items. */
static void md_header(const kpmc_db *db, const kpmc_db_info *d, FILE *f)
{
    char fixed[DOC_COUNTERS_LEN], config[DOC_COUNTERS_LEN], power[DOC_COUNTERS_LEN];
    doc_counters_str(d->fixed_counters, fixed);
    doc_counters_str(d->config_counters, config);
    doc_counters_str(d->power_counters, power);

    char label[DOC_LABEL_LEN];
    doc_db_label(d, label);
    fprintf(f, "## %s: ", d->name);
    doc_md(f, label);
    fprintf(f, "\n\n- Architecture: %s\n- kpep version: %u", d->architecture, d->version[0]);
    if (d->n_version > 1)
        fprintf(f, ".%u", d->version[1]);
    fprintf(f, "\n- Counters: fixed %s; configurable %s", fixed, config);
    if (d->power_counters)
        fprintf(f, "; %s reserved by the power manager unless forced", power);
    fprintf(f, "\n- Events: %zu\n", d->n_events);
    for (size_t k = 0; k < d->n_families; k++) {
        kpmc_family_info fi = {.size = sizeof fi};
        char link[DOC_LINK_LEN];
        kpmc_db_family(db, k, &fi);
        doc_family_link(&fi, link);
        fprintf(f, "%s0x%x (`%s`)", k ? ", " : "- CPU families: ", (unsigned)fi.family, link);
        char chips[DOC_CHIPS_LEN];
        doc_family_chips(&fi, chips);
        if (chips[0]) {
            fputs(": ", f);
            doc_md(f, chips);
        }
    }
    if (d->n_families)
        fputc('\n', f);
    doc_aliases(f, db, &(const struct doc_alias_list){"- Aliases: `", "`, `", "` → `", "`\n", NULL, NULL});
}

void list_md(const kpmc_db *db, FILE *f)
{
    kpmc_db_info d = {.size = sizeof d};
    kpmc_db_get(db, &d);
    int x86 = d.arch == KPMC_ARCH_X86_64;
    md_header(db, &d, f);
    fprintf(f, "\n| Event | Aliases | Number | Decimal |%s Counters | Notes | Description |\n"
               "|---|---|---|---|%s---|---|---|\n",
            x86 ? " Umask | Modifiers |" : "", x86 ? "---|---|" : "");
    for (unsigned i = 0; i < d.n_events; i++) {
        kpmc_event_info e = {.size = sizeof e};
        kpmc_event_get(db, i, &e);
        fprintf(f, "| `%s` |", e.name);
        for (size_t k = 0; k < e.n_aliases; k++)
            fprintf(f, "%s`%s`", k ? ", " : " ", kpmc_event_alias(db, i, k));
        if (e.has & KPMC_HAS_NUMBER)
            fprintf(f, " | 0x%x | %u |", e.number, e.number);
        else
            fputs(" | | |", f);
        if (x86) {
            char mods[DOC_OTHER_LEN] = "";
            if (e.has & KPMC_HAS_OTHER)
                doc_other_str(e.other, mods);
            if (e.has & KPMC_HAS_UMASK)
                fprintf(f, " 0x%02x |", e.umask);
            else
                fputs(" |", f);
            fprintf(f, "%s%s |", *mods ? " " : "", mods);
        }
        char cnt[DOC_COUNTERS_LEN];
        doc_counters_str(e.counters, cnt);
        fprintf(f, " %s |", cnt);
        const char *sep = " ";
        if (e.has & KPMC_HAS_FIXED_COUNTER) {
            fprintf(f, "%sfixed counter %u", sep, e.fixed_counter);
            sep = "; ";
        }
        if (e.fallback) {
            fprintf(f, "%sfallback `%s`", sep, e.fallback);
            sep = "; ";
        }
        for (unsigned bit = 1; bit & DOC_FLAG_ALL; bit <<= 1)
            if (e.flags & bit) {
                fprintf(f, "%sinconsistent: %s", sep, doc_flag_sentence(bit));
                sep = "; ";
            }
        fputs(" |", f);
        doc_md_cell(f, e.description);
        fputc('\n', f);
    }
}

void list_csv_header(FILE *f)
{
    fputs("database,event,aliases,number,number_hex,umask,other,cmask,inv,edge,any,usr,os,"
          "fixed_counter,counters,counters_mask,fallback,flags,description\n",
          f);
}

void list_csv(const kpmc_db *db, FILE *f)
{
    kpmc_db_info d = {.size = sizeof d};
    kpmc_db_get(db, &d);
    for (unsigned i = 0; i < d.n_events; i++) {
        kpmc_event_info e = {.size = sizeof e};
        kpmc_event_get(db, i, &e);
        doc_csv(f, d.name);
        fputc(',', f);
        doc_csv(f, e.name);
        fputc(',', f);
        char aliases[512];
        size_t n = 0;
        aliases[0] = '\0';
        for (size_t k = 0; k < e.n_aliases && n < sizeof aliases; k++)
            n += (size_t)snprintf(aliases + n, sizeof aliases - n, "%s%s", k ? ";" : "",
                                  kpmc_event_alias(db, i, k));
        doc_csv(f, aliases);
        if (e.has & KPMC_HAS_NUMBER)
            fprintf(f, ",%u,0x%x", e.number, e.number);
        else
            fputs(",,", f);
        if (e.has & KPMC_HAS_UMASK)
            fprintf(f, ",0x%02x", e.umask);
        else
            fputc(',', f);
        if (e.has & KPMC_HAS_OTHER) {
            doc_other o;
            doc_other_decode(e.other, &o);
            fprintf(f, ",0x%x,%u,%u,%u,%u,%u,%u", e.other, o.cmask, o.inv, o.edge, o.any, o.usr, o.os);
        } else {
            fputs(",,,,,,,", f);
        }
        if (e.has & KPMC_HAS_FIXED_COUNTER)
            fprintf(f, ",%u", e.fixed_counter);
        else
            fputc(',', f);
        char cnt[DOC_COUNTERS_LEN];
        doc_counters_str(e.counters, cnt);
        fputc(',', f);
        doc_csv(f, cnt);
        if (e.has & KPMC_HAS_COUNTERS_MASK)
            fprintf(f, ",%u", (unsigned)e.counters_mask);
        else
            fputc(',', f);
        fputc(',', f);
        doc_csv(f, e.fallback);
        char flags[DOC_FLAGS_LEN];
        doc_flags_words(e.flags, flags);
        fprintf(f, ",%s,", flags);
        doc_csv(f, e.description);
        fputc('\n', f);
    }
}
