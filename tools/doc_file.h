/* Output files written whole or not at all: each is written to a temporary
 * file in the same folder and renamed over its final name once complete, so
 * a reader never sees half a page.  Errors are printed as "kpmc CMD: PATH:
 * reason". */
#ifndef KPMC_TOOLS_DOC_FILE_H
#define KPMC_TOOLS_DOC_FILE_H

#include <stdio.h>

typedef struct doc_file {
    FILE *f;         /* write the contents here */
    const char *cmd; /* for messages */
    char path[1024]; /* final name */
    char tmp[1040];  /* temporary name */
} doc_file;

/* Create folder `dir` and its missing parents.  0, or 1 after a message. */
int doc_mkdirs(const char *cmd, const char *dir);
/* Start dir/name.  0, or 1 after a message (nothing is left behind). */
int doc_file_open(doc_file *df, const char *cmd, const char *dir, const char *name);
/* Finish: flush, check for write errors, rename into place.  0, or 1 after
 * a message; on failure the temporary file is removed and the final name is
 * untouched. */
int doc_file_commit(doc_file *df);
/* Give up: close and remove the temporary file. */
void doc_file_abort(doc_file *df);

#endif
