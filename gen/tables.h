/* kpmc-gen: kpmc's own tables next to Apple's databases: the generic events
 * (catalog/tables/generic.tsv) and the chips of each CPU family
 * (catalog/tables/chips.tsv).  Both are read after model_finish(), checked
 * against the databases and links of the input, and written into the
 * catalog by emit.c. */
#ifndef KPMC_GEN_TABLES_H
#define KPMC_GEN_TABLES_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

/* What generic event g counts in one database. */
struct gen_generic_map {
    long line;        /* the row that says so; 0: no row for this database */
    int all, user;    /* event indices in the database, -1: none */
    const char *note; /* NULL when the row has none */
};

struct gen_generic {
    const char *name;
    const char *fold;  /* upper-cased */
    const char *ident; /* KPMC_GEN_<ident> */
    const char *description;
    long line;
    struct gen_generic_map *map; /* one per database of the catalog */
};

/* One row of the chip table. */
struct gen_chip_family {
    uint32_t family;
    long line;
    const char **chips; /* chip names, in the row's order */
    size_t n_chips;
    const char *chips_text; /* the names joined by ", " */
    const char *codename;   /* NULL for '-' */
    int db;                 /* the database its cpu_* link names, -1: no link */
};

/* Where a table came from, for the generated files' comments. */
struct gen_table_source {
    const char *file; /* base name, e.g. "generic.tsv"; NULL: no table */
    uint8_t sha256[32];
};

struct gen_tables {
    struct gen_table_source generic_source, chips_source;
    struct gen_generic *generic; /* in the file's order */
    size_t n_generic;
    struct gen_chip_family *families; /* in the file's order (oldest first) */
    size_t n_families;
    /* derived, per database of the catalog: its families' chips joined by
     * ", " in table order, or NULL */
    const char **db_chips;
    /* per link of the catalog: its row in families[], or -1 */
    int *link_family;
};

/* Read and check the tables (either path may be NULL: that table is empty)
 * against the finished catalog.  0 on success, -1 after reporting errors;
 * notes name databases and families one table does not cover. */
int tables_read(const char *generic_path, const char *chips_path, const struct gen_catalog *cat,
                struct gen_tables *out);

#endif
