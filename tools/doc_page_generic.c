/* `kpmc doc`: generic.html, the generic events and the event that counts
 * each in every database, per counting mode. */
#include <kpmc/generic.h>
#include <kpmc/kpmc.h>

#include "doc_fmt.h"
#include "doc_html.h"

/* An event cell: the name linked to its row on the database's page. */
static void event_cell(FILE *f, const kpmc_db *db, const char *label, const char *name)
{
    fprintf(f, "<td data-label=\"%s\">", label);
    if (!name) {
        fputs("&#8211;</td>", f);
        return;
    }
    char page[DOC_PAGE_LEN];
    doc_db_page_name(db, page);
    fputs("<a href=\"", f);
    doc_html(f, page);
    fputs("#", f);
    html_event_id(f, name);
    fputs("\"><code>", f);
    html_breakable(f, name);
    fputs("</code></a></td>", f);
}

static void generic_section(FILE *f, int g)
{
    kpmc_generic_info gi = {.size = sizeof gi};
    kpmc_generic_get(g, &gi);
    fprintf(f, "<h2 id=\"g-%d\"><code>", g);
    doc_html(f, gi.name);
    fputs("</code></h2>\n<p>", f);
    doc_html(f, gi.description);
    fputs(".</p>\n<div class=\"scroll\">\n<table class=\"generic\">\n<caption>What counts <code>", f);
    doc_html(f, gi.name);
    fputs("</code> in each database</caption>\n<thead><tr><th scope=\"col\">Databases</th>"
          "<th scope=\"col\">All modes</th><th scope=\"col\">User mode</th><th scope=\"col\">Note</th>"
          "</tr></thead>\n<tbody>\n",
          f);
    size_t n = kpmc_db_count();
    for (size_t i = 0; i < n; i++) {
        const kpmc_db *db = kpmc_db_at(i);
        if (!doc_generic_first(0, i, g))
            continue; /* in the row of the first database that maps it alike */
        fputs("<tr><td data-label=\"Databases\">", f);
        for (size_t k = i, first = 1; k < n; k++) {
            if (!doc_generic_same(db, kpmc_db_at(k), g))
                continue;
            fputs(first ? "" : ", ", f);
            html_db_link(f, kpmc_db_at(k), 0);
            first = 0;
        }
        fputs("</td>", f);
        event_cell(f, db, "All modes", doc_generic_event(db, g, KPMC_MODE_ALL));
        event_cell(f, db, "User mode", doc_generic_event(db, g, KPMC_MODE_USER));
        html_text_cell(f, "Note", kpmc_generic_note(db, g));
        fputs("</tr>\n", f);
    }
    fputs("</tbody>\n</table>\n</div>\n", f);
}

void doc_page_generic(FILE *f)
{
    size_t n = kpmc_generic_count();
    html_page_start(f, "kpmc event reference: generic events",
                    "Portable event names and the event that counts each on every Apple and Intel chip.");
    fputs("<main id=\"main\">\n<h1>Generic events</h1>\n", f);
    if (!n) {
        fputs("<p>This catalog has no generic events.</p>\n</main>\n", f);
        html_page_end(f);
        return;
    }
    fprintf(f,
            "<p>%zu portable names, accepted by kpmc wherever an event name is (<code>kpmc check --db M1 cycles "
            "branch-misses</code>, <code>kpmc_set_new</code>). Each stands for the event that counts it on each "
            "chip: in all modes, and in user mode, where a fixed counter will not do because it counts the "
            "kernel too. A dash means no event of that database counts it faithfully; a note says where the "
            "event differs from the description.</p>\n<ul class=\"toc\">",
            n);
    for (size_t g = 0; g < n; g++) {
        fprintf(f, "<li><a href=\"#g-%zu\"><code>", g);
        doc_html(f, kpmc_generic_name((int)g));
        fputs("</code></a></li>", f);
    }
    fputs("</ul>\n", f);
    for (size_t g = 0; g < n; g++)
        generic_section(f, (int)g);
    fputs("</main>\n", f);
    html_page_end(f);
}
