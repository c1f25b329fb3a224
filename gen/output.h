/* kpmc-gen: writing the output files all or nothing. */
#ifndef KPMC_GEN_OUTPUT_H
#define KPMC_GEN_OUTPUT_H

#include "emit.h"

/* Write files under dir: every file goes to a temporary name first and is
 * renamed into place only when all were written; on any error the
 * temporaries are removed and nothing is changed.  Files whose content is
 * unchanged keep their timestamps.  Per-database headers of a previous run
 * that are no longer generated are removed.  0 or -1 (reported). */
int output_write(const char *dir, const struct out_file *files, size_t n);

/* Compare instead of writing: 0 if every file under dir has this content
 * (and no stale per-database header is there), 1 if not (each difference
 * reported), -1 on error. */
int output_check(const char *dir, const struct out_file *files, size_t n);

#endif
