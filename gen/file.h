/* kpmc-gen: reading files without being tricked.  Only regular files are
 * read: a FIFO, a device (/dev/zero), a socket or a folder is refused
 * without blocking and without reading it, and no file is read past
 * GEN_FILE_LIMIT bytes. */
#ifndef KPMC_GEN_FILE_H
#define KPMC_GEN_FILE_H

#include <stddef.h>

/* The largest input file kpmc-gen reads: 16 MiB, over a hundred times the
 * largest kpep plist macOS ships. */
#define GEN_FILE_LIMIT ((size_t)16 << 20)
#define GEN_FILE_LIMIT_TEXT "16 MiB"

/* "a FIFO", "a character device", ... for a st_mode that is not a regular
 * file; NULL for a regular file. */
const char *gen_file_kind(unsigned long mode);

/* Read the regular file at path (symbolic links followed) whole into the
 * arena, NUL-terminated (the plists and the tables are read so).  0, or -1
 * after an error naming path: "cannot read: " and why (it cannot be opened,
 * is not a regular file and which kind, or a read fails), or that it is over
 * GEN_FILE_LIMIT. */
int gen_read_file(const char *path, char **data, size_t *len);

/* Up to max bytes of the file `name` in the folder dirfd, only if it is a
 * regular file and not a symbolic link; malloc'd (free it), NUL-terminated,
 * *len its length.  NULL, silently, if it is absent or anything else. */
char *gen_read_prefix_at(int dirfd, const char *name, size_t max, size_t *len);

#endif
