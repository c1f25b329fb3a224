/* kpmc-gen: writing the output files all or nothing. */
#ifndef KPMC_GEN_OUTPUT_H
#define KPMC_GEN_OUTPUT_H

#include "emit.h"

/* Write files under dir, holding dir's lock (a second run waits for it):
 * every changed file goes to a temporary name of our own first; once all
 * are written, the files they replace are kept under a second name and the
 * temporaries renamed into place.  Per-database headers of a previous run
 * that are no longer generated are removed.  Should any step fail, every
 * file replaced or removed is put back and new files are removed, so dir is
 * as it was; SIGHUP, SIGINT, SIGQUIT and SIGTERM take effect only once dir
 * is whole again.  Nothing is written through a symbolic link below dir, and
 * nothing but regular files is read.  Unchanged files keep their
 * timestamps.  0 or -1 (reported). */
int output_write(const char *dir, const struct out_file *files, size_t n);

/* Compare instead of writing: 0 if every file under dir has this content
 * (and no stale per-database header is there), 1 if not (each difference
 * reported), -1 on error. */
int output_check(const char *dir, const struct out_file *files, size_t n);

#endif
