/* kpmc-gen: the C sources of the catalog. */
#ifndef KPMC_GEN_EMIT_H
#define KPMC_GEN_EMIT_H

#include "model.h"
#include "tables.h"
#include "util.h"

#define KPMC_GEN_VERSION "0.1.0"

struct out_file {
    const char *path; /* relative to the output folder */
    struct buf text;
};

struct emit_result {
    struct out_file *files;
    size_t n_files;
    /* statistics for --stats */
    size_t pool_bytes, names_bytes, n_rows, n_table_entries;
};

/* 0 on success; -1 after reporting errors (limits exceeded). */
int emit_catalog(const struct gen_catalog *cat, const struct gen_tables *t, struct emit_result *out);
void emit_free(struct emit_result *r);

#endif
