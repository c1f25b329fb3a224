/* The pages of `kpmc doc`.  Every page is polyglot HTML5: it parses as XML
 * too (quoted attributes, closed elements, no named entities but the XML
 * ones), uses real table markup (caption, th with scope, aria-sort on the
 * sorted column) and needs nothing but kpmc.css and kpmc.js beside it. */
#ifndef KPMC_TOOLS_DOC_HTML_H
#define KPMC_TOOLS_DOC_HTML_H

#include <stdint.h>
#include <stdio.h>

#include <kpmc/catalog.h>

/* File name of a database's page, "a14.html". */
enum { DOC_PAGE_LEN = 80 };
void doc_db_page_name(const kpmc_db *db, char out[DOC_PAGE_LEN]);

/* A link to a database's page, its name as the text; current: the page it
 * is on (aria-current). */
void html_db_link(FILE *f, const kpmc_db *db, int current);
/* A table cell of text, labelled for narrow screens. */
void html_text_cell(FILE *f, const char *label, const char *text);

/* Page frame: doctype, head, site header (links to the index and the
 * comparison), and the end of the page with the footer and the script. */
void html_page_start(FILE *f, const char *title, const char *description);
void html_page_end(FILE *f);

/* The counters of database d as a row of cells, those in `mask` filled;
 * with a hidden sentence for screen readers. */
void html_counter_grid(FILE *f, const kpmc_db_info *d, uint32_t mask);
/* The legend of the grid's cell kinds for database d. */
void html_grid_legend(FILE *f, const kpmc_db_info *d);
/* The database's CPU families as a list: hex number, cpu_* link name and
 * the chips known to use it. */
void html_families(FILE *f, const kpmc_db *db, const kpmc_db_info *d);
/* An event name as HTML text that may wrap after each '.' (<wbr />). */
void html_breakable(FILE *f, const char *name);
/* An id for an event's row, "ev-NAME", usable in a fragment. */
void html_event_id(FILE *f, const char *name);

/* The pages, written to f.  doc_page_compare() returns -1 when out of
 * memory, else 0. */
void doc_page_index(FILE *f);
void doc_page_generic(FILE *f);
void doc_page_db(FILE *f, const kpmc_db *db);
int doc_page_compare(FILE *f);

#endif
