/* `kpmc doc`: index.html, the table of every database. */
#include "doc_fmt.h"
#include "doc_html.h"

/* "2 (0,1)" in a numeric cell sorted by the count. */
static void count_cell(FILE *f, const char *label, uint32_t mask)
{
    char list[DOC_COUNTERS_LEN];
    doc_counters_str(mask, list);
    fprintf(f, "<td class=\"num\" data-label=\"%s\" data-sort=\"%u\">%u", label, kpmc_popcount32(mask),
            kpmc_popcount32(mask));
    if (mask)
        fprintf(f, " <span class=\"dec\">(%s)</span>", list);
    fputs("</td>", f);
}

void doc_page_index(FILE *f)
{
    size_t n_db = kpmc_db_count(), n_events = 0;
    for (size_t i = 0; i < n_db; i++) {
        kpmc_db_info d = {.size = sizeof d};
        kpmc_db_get(kpmc_db_at(i), &d);
        n_events += d.n_events;
    }
    html_page_start(f, "kpmc event reference: databases",
                    "Hardware performance counter events of Apple silicon and Intel Macs, by kpep database.");
    fputs("<main id=\"main\">\n<h1>Performance counter events of Apple chips and Intel Macs</h1>\n", f);
    fprintf(f,
            "<p>Every event of the %zu kpep databases compiled into kpmc, %zu events in all. macOS picks a "
            "database by the CPU family (<code>hw.cpufamily</code>); each database page lists its events "
            "with their selectors, the counters they may use, and their descriptions. "
            "<a href=\"compare.html\">The comparison</a> shows which events exist where and which were "
            "renumbered; <a href=\"generic.html\">the generic events</a> name what counts cycles, "
            "instructions, branch misses and more on every chip.</p>\n",
            n_db, n_events);
    fputs("<p>Counter numbers are the databases' own: fixed counters first, then the configurable ones. "
          "On Apple chips the power manager keeps some configurable counters unless a program forces all "
          "counters (kpmc does, as root).</p>\n",
          f);
    fputs("<div class=\"scroll\" role=\"region\" aria-labelledby=\"dbs-caption\" tabindex=\"0\">\n"
          "<table class=\"sortable wide\" id=\"dbs\">\n"
          "<caption id=\"dbs-caption\">Databases: their counters (fixed, configurable, reserved by the power "
          "manager), events, and the CPUs that use them</caption>\n"
          "<thead><tr>"
          "<th scope=\"col\" data-type=\"num\" aria-sort=\"ascending\"><button type=\"button\">Database</button></th>"
          "<th scope=\"col\"><button type=\"button\">Marketing name</button></th>"
          "<th scope=\"col\"><button type=\"button\">Architecture</button></th>"
          "<th scope=\"col\" data-type=\"num\"><button type=\"button\">Fixed</button></th>"
          "<th scope=\"col\" data-type=\"num\"><button type=\"button\">Configurable</button></th>"
          "<th scope=\"col\" data-type=\"num\"><button type=\"button\">Power-reserved</button></th>"
          "<th scope=\"col\" data-type=\"num\"><button type=\"button\">Events</button></th>"
          "<th scope=\"col\">CPU families and chips</th>"
          "</tr></thead>\n<tbody>\n",
          f);
    for (size_t i = 0; i < n_db; i++) {
        const kpmc_db *db = kpmc_db_at(i);
        kpmc_db_info d = {.size = sizeof d};
        kpmc_db_get(db, &d);
        fprintf(f, "<tr><th scope=\"row\" data-sort=\"%zu\">", i);
        html_db_link(f, db, 0);
        fputs("</th>", f);
        html_text_cell(f, "Marketing name", d.marketing_name);
        html_text_cell(f, "Architecture", d.architecture);
        count_cell(f, "Fixed", d.fixed_counters);
        count_cell(f, "Configurable", d.config_counters);
        count_cell(f, "Power-reserved", d.power_counters);
        fprintf(f, "<td class=\"num\" data-label=\"Events\">%zu</td><td data-label=\"CPU families\" class=\"fams\">",
                d.n_events);
        html_families(f, db, &d);
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody>\n</table>\n</div>\n</main>\n", f);
    html_page_end(f);
}
