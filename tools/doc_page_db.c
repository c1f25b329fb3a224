/* `kpmc doc`: one page per database, every event in a filterable, sortable
 * table. */
#include <kpmc/kpmc.h>

#include "doc_fmt.h"
#include "doc_html.h"

static void db_nav(FILE *f, const kpmc_db *current)
{
    fputs("<nav class=\"dbs\" aria-label=\"Databases\"><ul>", f);
    for (size_t i = 0; i < kpmc_db_count(); i++) {
        const kpmc_db *db = kpmc_db_at(i);
        fputs("<li>", f);
        html_db_link(f, db, db == current);
        fputs("</li>", f);
    }
    fputs("</ul></nav>\n", f);
}

static void event_link(FILE *f, const char *name)
{
    fputs("<a href=\"#", f);
    html_event_id(f, name);
    fputs("\"><code>", f);
    doc_html(f, name);
    fputs("</code></a>", f);
}

static void facts(FILE *f, const kpmc_db *db, const kpmc_db_info *d)
{
    char fixed[DOC_COUNTERS_LEN], config[DOC_COUNTERS_LEN], power[DOC_COUNTERS_LEN];
    doc_counters_str(d->fixed_counters, fixed);
    doc_counters_str(d->config_counters, config);
    doc_counters_str(d->power_counters, power);
    fputs("<dl class=\"facts\">\n<dt>Architecture</dt><dd>", f);
    doc_html(f, d->architecture);
    fprintf(f, "</dd>\n<dt>Counters</dt><dd>%u fixed (%s), %u configurable (%s)", kpmc_popcount32(d->fixed_counters),
            fixed, kpmc_popcount32(d->config_counters), config);
    if (d->power_counters)
        fprintf(f, "; %u of them (%s) reserved by the power manager unless all counters are forced",
                kpmc_popcount32(d->power_counters), power);
    fputs("</dd>\n<dt>CPU families</dt><dd>", f);
    html_families(f, db, d);
    fputs("</dd>\n<dt>Aliases</dt><dd>", f);
    if (!d->n_aliases)
        fputs("none", f);
    doc_aliases(f, db, &(const struct doc_alias_list){"<code>", ", <code>", "</code> = ", "", doc_html, event_link});
    fputs("</dd>\n<dt>Source</dt><dd><code>", f);
    doc_html(f, d->source);
    fprintf(f, "</code>, kpep version %u", d->version[0]);
    if (d->n_version > 1)
        fprintf(f, ".%u", d->version[1]);
    fputs(", SHA-256 <code class=\"mono\">", f);
    for (int i = 0; i < 32; i++)
        fprintf(f, "%02x", d->sha256[i]);
    fprintf(f, "</code></dd>\n<dt>Events</dt><dd>%zu</dd>\n</dl>\n", d->n_events);
}

/* Sort key of a selector: number and umask, fixed events (no number) first. */
static long selector_key(const kpmc_event_info *e)
{
    if (!(e->has & KPMC_HAS_NUMBER))
        return -1;
    return (long)e->number * 256 + ((e->has & KPMC_HAS_UMASK) ? (long)e->umask : 0);
}

/* Fixed counter, fallback and inconsistency markers, under the name. */
static void notes(FILE *f, const kpmc_db *db, const kpmc_event_info *e)
{
    if (e->has & KPMC_HAS_FIXED_COUNTER)
        fprintf(f, "<span class=\"note\">fixed counter %u</span>", e->fixed_counter);
    if (e->fallback) {
        fputs("<span class=\"note\">fallback ", f);
        if (e->fallback_index >= 0)
            event_link(f, kpmc_event_name(db, (unsigned)e->fallback_index));
        else
            doc_html(f, e->fallback);
        fputs("</span>", f);
    }
    /* What kpmc counts for it in a set (in either mode a flagged event is
     * not counted on its fixed counter). */
    unsigned resolved = e->index;
    int counted = kpmc_plan_event_counters(db, e->index, KPMC_MODE_ALL, &resolved, NULL, NULL, 0) == 0;
    for (unsigned bit = 1; bit & DOC_FLAG_ALL; bit <<= 1) {
        if (!(e->flags & bit))
            continue;
        fputs("<span class=\"flag\"><strong>Inconsistent in the database:</strong> ", f);
        doc_html(f, doc_flag_sentence(bit));
        fputs(counted && resolved != e->index ? "; kpmc counts its fallback instead.</span>"
                                              : "; kpmc refuses it on the fixed counter.</span>",
              f);
    }
}

/* Whether any event of db has the key `other` (only some Intel databases). */
static int any_other(const kpmc_db *db, const kpmc_db_info *d)
{
    for (unsigned i = 0; i < d->n_events; i++) {
        kpmc_event_info e = {.size = sizeof e};
        kpmc_event_get(db, i, &e);
        if (e.has & KPMC_HAS_OTHER)
            return 1;
    }
    return 0;
}

static void event_row(FILE *f, const kpmc_db *db, const kpmc_db_info *d, unsigned i, int mods_column)
{
    kpmc_event_info e = {.size = sizeof e};
    kpmc_event_get(db, i, &e);
    int x86 = d->arch == KPMC_ARCH_X86_64;
    uint32_t counters = e.counters;
    unsigned lowest = counters ? kpmc_ctz32(counters) : 31;

    fputs("<tr id=\"", f);
    html_event_id(f, e.name);
    fputs("\"><th scope=\"row\" data-sort=\"", f);
    doc_html(f, e.name);
    fputs("\"><code class=\"q\">", f);
    html_breakable(f, e.name);
    fputs("</code>", f);
    for (size_t k = 0; k < e.n_aliases; k++) {
        fputs("<span class=\"alias\">alias <code class=\"q\">", f);
        doc_html(f, kpmc_event_alias(db, i, k));
        fputs("</code></span>", f);
    }
    notes(f, db, &e);
    fprintf(f, "</th>\n<td data-label=\"Selector\" data-sort=\"%ld\">", selector_key(&e));
    if (e.has & KPMC_HAS_NUMBER)
        fprintf(f, "<code>0x%x</code> <span class=\"dec\">%u</span>", e.number, e.number);
    else
        fputs("<span class=\"dec\">none</span>", f);
    fputs("</td>", f);
    if (x86) {
        if (e.has & KPMC_HAS_UMASK)
            fprintf(f, "<td data-label=\"Umask\" data-sort=\"%u\"><code>0x%02x</code></td>", e.umask, e.umask);
        else
            fputs("<td data-label=\"Umask\" data-sort=\"-1\"></td>", f);
    }
    if (mods_column) {
        fputs("<td data-label=\"Modifiers\" class=\"mods\">", f);
        if (e.has & KPMC_HAS_OTHER) {
            char mods[DOC_OTHER_LEN];
            doc_other_str(e.other, mods);
            fprintf(f, "%s%s<span class=\"dec\">0x%x</span>", mods, *mods ? " " : "", e.other);
        }
        fputs("</td>", f);
    }
    fprintf(f, "<td data-label=\"Counters\" data-sort=\"%u\">", kpmc_popcount32(counters) * 64 + lowest);
    html_counter_grid(f, d, counters);
    fputs("</td><td data-label=\"Description\" class=\"q\">", f);
    doc_html(f, e.description);
    fputs("</td></tr>\n", f);
}

void doc_page_db(FILE *f, const kpmc_db *db)
{
    kpmc_db_info d = {.size = sizeof d};
    kpmc_db_get(db, &d);
    int x86 = d.arch == KPMC_ARCH_X86_64, mods = any_other(db, &d);
    char title[512], desc[512], label[DOC_LABEL_LEN];
    doc_db_label(&d, label);
    snprintf(title, sizeof title, "%s: %s, %zu events (kpmc event reference)", d.name, label, d.n_events);
    snprintf(desc, sizeof desc, "The %zu performance counter events of the kpep database %s (%s).", d.n_events,
             d.name, label);
    html_page_start(f, title, desc);
    db_nav(f, db);
    fputs("<main id=\"main\">\n<h1>", f);
    doc_html(f, d.name);
    fputs(": ", f);
    doc_html(f, label);
    fputs("</h1>\n", f);
    facts(f, db, &d);
    fputs("<h2 id=\"events\">Events</h2>\n", f);
    html_grid_legend(f, &d);
    if (x86)
        fputs("<p>Selector is the event number (PERFEVTSEL bits 0-7) and Umask bits 8-15.", f);
    if (mods)
        fputs(" Modifiers decode the database's <code>other</code> key (bits 16-31, raw value in grey): "
              "CMASK=<var>n</var> counts cycles with at least <var>n</var> events, INV inverts that test, EDGE "
              "counts its rising edges, ANY counts both threads of the core, \"USR only\" excludes the "
              "kernel.",
              f);
    else if (x86)
        fputs(" This database gives no <code>other</code> key, so no event has modifiers.", f);
    if (x86)
        fputs("</p>\n", f);
    fprintf(f,
            "<div class=\"filter\" role=\"search\"><label for=\"q\">Filter events</label>"
            "<input type=\"search\" id=\"q\" placeholder=\"name, alias or description\" autocomplete=\"off\" "
            "spellcheck=\"false\" aria-describedby=\"count\" />"
            "<output id=\"count\" for=\"q\" aria-live=\"polite\">%zu of %zu events shown</output></div>\n",
            d.n_events, d.n_events);
    fputs("<div class=\"scroll\">\n<table class=\"events sortable\" id=\"events-table\" data-filter=\"q\" "
          "data-count=\"count\" data-unit=\"events\">\n<caption>Events of ",
          f);
    doc_html(f, d.name);
    fputs(" (", f);
    doc_html(f, label);
    fputs("): selector, the counters each may use, and description. The column buttons sort.</caption>\n"
          "<thead><tr>"
          "<th scope=\"col\" aria-sort=\"ascending\"><button type=\"button\">Event</button></th>"
          "<th scope=\"col\" data-type=\"num\"><button type=\"button\">Selector</button></th>",
          f);
    if (x86)
        fputs("<th scope=\"col\" data-type=\"num\"><button type=\"button\">Umask</button></th>", f);
    if (mods)
        fputs("<th scope=\"col\"><button type=\"button\">Modifiers</button></th>", f);
    fputs("<th scope=\"col\" data-type=\"num\"><button type=\"button\">Counters</button></th>"
          "<th scope=\"col\"><button type=\"button\">Description</button></th>"
          "</tr></thead>\n<tbody>\n",
          f);
    for (unsigned i = 0; i < d.n_events; i++)
        event_row(f, db, &d, i, mods);
    fputs("</tbody>\n</table>\n</div>\n</main>\n", f);
    html_page_end(f);
}
