/* kpmc doc: the event reference as a static HTML site, from the built-in
 * catalog alone. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "doc_assets.h"
#include "doc_file.h"
#include "doc_html.h"

static void usage(FILE *f)
{
    fputs("usage: kpmc doc --out DIR\n"
          "\n"
          "Write the event reference of every database in kpmc's built-in catalog as a\n"
          "static HTML site into DIR (created if missing):\n"
          "  index.html    every database: marketing name, architecture, counters,\n"
          "                number of events, CPU families and chips\n"
          "  NAME.html     one page per database (a14.html, ...): every event with its\n"
          "                aliases, selector, Intel umask and modifiers, the counters it\n"
          "                may use, fallback, inconsistency markers and description; a\n"
          "                filter box and sortable columns\n"
          "  compare.html  which events exist in which databases; renumbered\n"
          "                selectors marked\n"
          "  generic.html  the generic events (cycles, branch-misses, ...) and the\n"
          "                event that counts each in every database, per mode\n"
          "  kpmc.css, kpmc.js  the style sheet and script the pages use\n"
          "The pages need no network and work when opened from disk (file://).  Each\n"
          "file is written to a temporary name and renamed into place when complete;\n"
          "other files in DIR are left alone.\n"
          "\n"
          "  --out DIR  the folder to write\n"
          "  --help     print this help\n"
          "\n"
          "Exit status: 0 success, 1 a file could not be written (the message names\n"
          "it), 2 usage error.\n",
          f);
}

enum page_kind { PAGE_CSS, PAGE_JS, PAGE_INDEX, PAGE_COMPARE, PAGE_GENERIC, PAGE_DB };

/* Write one file of the site; 0, or 1 after a message naming it. */
static int write_one(const char *dir, const char *name, enum page_kind kind, const kpmc_db *db)
{
    doc_file df;
    if (doc_file_open(&df, "doc", dir, name) != 0)
        return 1;
    int bad = 0;
    switch (kind) {
    case PAGE_CSS: fputs(doc_asset_css, df.f); break;
    case PAGE_JS: fputs(doc_asset_js, df.f); break;
    case PAGE_INDEX: doc_page_index(df.f); break;
    case PAGE_COMPARE: bad = doc_page_compare(df.f) != 0; break;
    case PAGE_GENERIC: doc_page_generic(df.f); break;
    case PAGE_DB: doc_page_db(df.f, db); break;
    }
    if (bad) {
        doc_file_abort(&df);
        return cli_error("doc", "%s: out of memory", df.path);
    }
    return doc_file_commit(&df);
}

int kpmc_cmd_doc(int argc, char **argv)
{
    const char *out = NULL;
    const struct cli_option opts[] = {{"--out", &out, NULL}, {NULL, NULL, NULL}};
    int st = cli_parse("doc", argc, argv, opts, usage, NULL, 0, NULL);
    if (st >= 0)
        return st;
    if (!out || !*out)
        return cli_usage_error("doc", "say where to write the site: --out DIR");
    if (doc_mkdirs("doc", out) != 0)
        return 1;

    static const struct {
        const char *name;
        enum page_kind kind;
    } fixed[] = {
        {"kpmc.css", PAGE_CSS},
        {"kpmc.js", PAGE_JS},
        {"index.html", PAGE_INDEX},
        {"compare.html", PAGE_COMPARE},
        {"generic.html", PAGE_GENERIC},
    };
    size_t written = 0;
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++, written++)
        if (write_one(out, fixed[i].name, fixed[i].kind, NULL) != 0)
            return 1;
    for (size_t i = 0; i < kpmc_db_count(); i++, written++) {
        char page[DOC_PAGE_LEN];
        doc_db_page_name(kpmc_db_at(i), page);
        if (write_one(out, page, PAGE_DB, kpmc_db_at(i)) != 0)
            return 1;
    }
    printf("kpmc doc: wrote %zu files to %s; open %s/index.html\n", written, out, out);
    if (fflush(stdout) || ferror(stdout))
        return cli_error("doc", "cannot write to standard output");
    return 0;
}
