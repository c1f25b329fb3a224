/* `kpmc doc`: compare.html, which events exist in which databases, one
 * matrix per architecture, databases oldest first, renumbered selectors
 * marked. */
#include <stdlib.h>
#include <string.h>

#include "doc_fmt.h"
#include "doc_html.h"

static int cmp_names(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    int c = kpmc_ascii_casecmp(x, y);
    return c ? c : strcmp(x, y);
}

/* Every distinct event name (ASCII case-insensitively) of the databases
 * dbs[0..n), sorted; NULL when out of memory. */
static const char **union_names(const size_t *dbs, size_t n, size_t *count)
{
    size_t total = 0;
    for (size_t k = 0; k < n; k++) {
        kpmc_db_info d = {.size = sizeof d};
        kpmc_db_get(kpmc_db_at(dbs[k]), &d);
        total += d.n_events;
    }
    const char **names = malloc((total + 1) * sizeof *names);
    if (!names)
        return NULL;
    size_t m = 0;
    for (size_t k = 0; k < n; k++) {
        const kpmc_db *db = kpmc_db_at(dbs[k]);
        kpmc_db_info d = {.size = sizeof d};
        kpmc_db_get(db, &d);
        for (unsigned i = 0; i < d.n_events; i++)
            names[m++] = kpmc_event_name(db, i);
    }
    qsort(names, m, sizeof *names, cmp_names);
    size_t u = 0;
    for (size_t i = 0; i < m; i++)
        if (!u || kpmc_ascii_casecmp(names[u - 1], names[i]))
            names[u++] = names[i];
    *count = u;
    return names;
}

static void cell(FILE *f, const char *name, const size_t *dbs, size_t k, size_t *prev)
{
    const kpmc_db *db = kpmc_db_at(dbs[k]);
    int i = doc_find_event(db, name);
    if (i < 0) {
        fputs("<td class=\"no\"><span aria-hidden=\"true\">&#183;</span><span class=\"vh\">absent</span></td>", f);
        return;
    }
    kpmc_db_info d = {.size = sizeof d};
    kpmc_event_info e = {.size = sizeof e};
    char sel[DOC_SEL_LEN], full[DOC_SEL_FULL_LEN];
    kpmc_db_get(db, &d);
    kpmc_event_get(db, (unsigned)i, &e);
    doc_selector_str(&d, &e, sel);
    doc_selector_full(&d, &e, full);

    int renumbered = 0;
    char was[DOC_SEL_FULL_LEN] = "";
    const kpmc_db *pdb = NULL;
    if (*prev != (size_t)-1) {
        pdb = kpmc_db_at(dbs[*prev]);
        kpmc_db_info pd = {.size = sizeof pd};
        kpmc_event_info pe = {.size = sizeof pe};
        kpmc_db_get(pdb, &pd);
        kpmc_event_get(pdb, (unsigned)doc_find_event(pdb, name), &pe);
        renumbered = doc_selector_differs(&pe, &e);
        doc_selector_full(&pd, &pe, was);
    }
    *prev = k;
    if (!renumbered) {
        fputs("<td title=\"", f);
        doc_html(f, full);
        fputs("\">", f);
        doc_html(f, sel);
        fputs("</td>", f);
        return;
    }
    fputs("<td class=\"renum\" title=\"", f);
    doc_html(f, full);
    fputs("; renumbered: ", f);
    doc_html(f, was);
    fputs(" in ", f);
    doc_html(f, kpmc_db_name(pdb));
    fputs("\"><span class=\"mark\" aria-hidden=\"true\">&#9670; </span>", f);
    doc_html(f, sel);
    fputs("<span class=\"vh\"> (renumbered; ", f);
    doc_html(f, was);
    fputs(" in ", f);
    doc_html(f, kpmc_db_name(pdb));
    fputs(")</span></td>", f);
}

static int matrix(FILE *f, int arch, const char *id, const char *title)
{
    size_t dbs[64];
    size_t n = doc_dbs_by_age(arch, dbs, sizeof dbs / sizeof dbs[0]);
    if (!n)
        return 0;
    size_t n_names = 0;
    const char **names = union_names(dbs, n, &n_names);
    if (!names)
        return -1;
    fprintf(f, "<h2 id=\"%s\">%s</h2>\n", id, title);
    fprintf(f,
            "<div class=\"filter\" role=\"search\"><label for=\"q-%s\">Filter %s events</label>"
            "<input type=\"search\" id=\"q-%s\" placeholder=\"event name\" autocomplete=\"off\" spellcheck=\"false\" "
            "aria-describedby=\"count-%s\" />"
            "<output id=\"count-%s\" for=\"q-%s\" aria-live=\"polite\">%zu of %zu events shown</output></div>\n",
            id, id, id, id, id, id, n_names, n_names);
    fprintf(f,
            "<div class=\"scroll\" role=\"region\" aria-labelledby=\"cap-%s\" tabindex=\"0\">\n"
            "<table class=\"matrix sortable\" id=\"matrix-%s\" data-filter=\"q-%s\" data-count=\"count-%s\" "
            "data-unit=\"events\">\n<caption id=\"cap-%s\">Selectors of %zu %s events in %zu databases "
            "(&#9670; renumbered)</caption>\n<thead><tr><th scope=\"col\" aria-sort=\"ascending\">"
            "<button type=\"button\">Event</button></th>",
            id, id, id, id, id, n_names, id, n);
    for (size_t k = 0; k < n; k++) {
        const kpmc_db *db = kpmc_db_at(dbs[k]);
        fputs("<th scope=\"col\">", f);
        html_db_link(f, db, 0);
        fputs("</th>", f);
    }
    fputs("</tr></thead>\n<tbody>\n", f);
    for (size_t r = 0; r < n_names; r++) {
        size_t prev = (size_t)-1;
        fputs("<tr><th scope=\"row\" class=\"q\">", f);
        doc_html(f, names[r]);
        fputs("</th>", f);
        for (size_t k = 0; k < n; k++)
            cell(f, names[r], dbs, k, &prev);
        fputs("</tr>\n", f);
    }
    fputs("</tbody>\n</table>\n</div>\n", f);
    free(names);
    return 0;
}

int doc_page_compare(FILE *f)
{
    html_page_start(f, "kpmc event reference: comparison of the databases",
                    "Which performance counter events exist in which kpep database, and which were renumbered.");
    fputs("<main id=\"main\">\n<h1>Events by database</h1>\n"
          "<p>One row per event name, one column per database, oldest chip first. A cell gives the event's selector in that "
          "database (for Intel, event number/umask; \"fixed N\" for an event on a fixed counter) and, on "
          "hover, everything that programs it. A marked cell (&#9670;) is programmed differently from the "
          "previous database that has the event: a program written for the older chip must not reuse the "
          "number. Events are matched by name; aliases are not listed.</p>\n",
          f);
    if (matrix(f, KPMC_ARCH_ARM64, "arm64", "Apple silicon (arm64)") != 0 ||
        matrix(f, KPMC_ARCH_X86_64, "x86_64", "Intel (x86_64)") != 0)
        return -1;
    fputs("</main>\n", f);
    html_page_end(f);
    return 0;
}
