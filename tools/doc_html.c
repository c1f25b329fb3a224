/* Pieces shared by the pages of `kpmc doc` (see doc_html.h). */
#include "doc_html.h"

#include "doc_fmt.h"

#include <kpmc/version.h>

void doc_db_page_name(const kpmc_db *db, char out[DOC_PAGE_LEN])
{
    snprintf(out, DOC_PAGE_LEN, "%s.html", kpmc_db_name(db));
}

void html_db_link(FILE *f, const kpmc_db *db, int current)
{
    char page[DOC_PAGE_LEN];
    doc_db_page_name(db, page);
    fputs("<a href=\"", f);
    doc_html(f, page);
    fputs(current ? "\" aria-current=\"page\">" : "\">", f);
    doc_html(f, kpmc_db_name(db));
    fputs("</a>", f);
}

void html_text_cell(FILE *f, const char *label, const char *text)
{
    fprintf(f, "<td data-label=\"%s\">", label);
    doc_html(f, text);
    fputs("</td>", f);
}

void html_page_start(FILE *f, const char *title, const char *description)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n"
          "<meta name=\"generator\" content=\"kpmc ",
          f);
    fputs(kpmc_version_string(), f);
    fputs("\" />\n<meta name=\"description\" content=\"", f);
    doc_html(f, description);
    fputs("\" />\n<title>", f);
    doc_html(f, title);
    fputs("</title>\n<link rel=\"stylesheet\" href=\"kpmc.css\" />\n</head>\n<body>\n"
          "<a class=\"skip\" href=\"#main\">Skip to content</a>\n"
          "<header class=\"site\">\n<a class=\"brand\" href=\"index.html\">kpmc event reference</a>\n"
          "<nav aria-label=\"Site\"><ul><li><a href=\"index.html\">Databases</a></li>"
          "<li><a href=\"compare.html\">Comparison</a></li><li><a href=\"generic.html\">Generic events</a></li>"
          "</ul></nav>\n</header>\n",
          f);
}

void html_page_end(FILE *f)
{
    fprintf(f, "<footer><p>Written by kpmc %s from its built-in catalog (", kpmc_version_string());
    doc_html(f, kpmc_catalog_generator());
    fputs("). These pages need no network: they use only kpmc.css and kpmc.js beside them.</p></footer>\n"
          "<script src=\"kpmc.js\"></script>\n</body>\n</html>\n",
          f);
}

/* Highest counter index of the database, plus one. */
static unsigned n_counters(const kpmc_db_info *d)
{
    uint32_t all = d->fixed_counters | d->config_counters | d->power_counters;
    unsigned n = 0;
    while (n < 32 && (all >> n))
        n++;
    return n;
}

static void cell(FILE *f, const kpmc_db_info *d, unsigned c, int on)
{
    uint32_t bit = UINT32_C(1) << c;
    fprintf(f, "<span class=\"c%s%s%s\">%u</span>", (d->fixed_counters & bit) ? " f" : "",
            (d->power_counters & bit) ? " p" : "", on ? " on" : "", c);
}

void html_counter_grid(FILE *f, const kpmc_db_info *d, uint32_t mask)
{
    char list[DOC_COUNTERS_LEN];
    doc_counters_str(mask, list);
    fputs("<span class=\"cg\" aria-hidden=\"true\">", f);
    for (unsigned c = 0; c < n_counters(d); c++)
        cell(f, d, c, (mask >> c) & 1u);
    fprintf(f, "</span><span class=\"vh\">%s %s</span>", kpmc_popcount32(mask) == 1 ? "counter" : "counters", list);
}

void html_grid_legend(FILE *f, const kpmc_db_info *d)
{
    char fixed[DOC_COUNTERS_LEN], config[DOC_COUNTERS_LEN], power[DOC_COUNTERS_LEN];
    doc_counters_str(d->fixed_counters, fixed);
    doc_counters_str(d->config_counters & ~d->power_counters, config);
    doc_counters_str(d->power_counters, power);
    unsigned first_fixed = 0, first_config = 0, first_power = 0;
    while (first_fixed < 31 && !(d->fixed_counters >> first_fixed & 1u))
        first_fixed++;
    while (first_config < 31 && !((d->config_counters & ~d->power_counters) >> first_config & 1u))
        first_config++;
    while (first_power < 31 && !(d->power_counters >> first_power & 1u))
        first_power++;

    fputs("<div class=\"legend\">\n<span><span class=\"cg\" aria-hidden=\"true\">", f);
    cell(f, d, first_fixed, 1);
    fprintf(f, "</span>fixed counter (%s)</span>\n<span><span class=\"cg\" aria-hidden=\"true\">", fixed);
    cell(f, d, first_config, 1);
    fprintf(f, "</span>configurable counter (%s)</span>\n", config);
    if (d->power_counters) {
        fputs("<span><span class=\"cg\" aria-hidden=\"true\">", f);
        cell(f, d, first_power, 1);
        fprintf(f, "</span>configurable, reserved by the power manager unless all counters are forced (%s)</span>\n",
                power);
    }
    fputs("<span><span class=\"cg\" aria-hidden=\"true\">", f);
    cell(f, d, first_config, 0);
    fputs("</span>counter the event cannot use</span>\n</div>\n", f);
}

void html_families(FILE *f, const kpmc_db *db, const kpmc_db_info *d)
{
    if (!d->n_families) {
        fputs("none known", f);
        return;
    }
    fputs("<ul class=\"fam\">", f);
    for (size_t k = 0; k < d->n_families; k++) {
        kpmc_family_info fi = {.size = sizeof fi};
        char link[DOC_LINK_LEN];
        kpmc_db_family(db, k, &fi);
        doc_family_link(&fi, link);
        char chips[DOC_CHIPS_LEN];
        doc_family_chips(&fi, chips);
        fprintf(f, "<li><code>0x%x</code> <span class=\"dec\"><code>%s</code></span>", (unsigned)fi.family, link);
        if (chips[0]) {
            fputs(" ", f);
            doc_html(f, chips);
        }
        fputs("</li>", f);
    }
    fputs("</ul>", f);
}

void html_breakable(FILE *f, const char *name)
{
    char part[2] = {0, 0};
    for (const char *p = name; *p; p++) {
        part[0] = *p;
        doc_html(f, part);
        if (*p == '.' && p[1])
            fputs("<wbr />", f);
    }
}

void html_event_id(FILE *f, const char *name)
{
    fputs("ev-", f);
    doc_html(f, name);
}
