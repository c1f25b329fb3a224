/* kpmc-gen: reading files without being tricked (see file.h). */
#define _POSIX_C_SOURCE 200809L
#define _DARWIN_C_SOURCE 1 /* O_NOFOLLOW on macOS */
#include "file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

const char *gen_file_kind(unsigned long mode)
{
    mode_t m = (mode_t)mode;
    if (S_ISREG(m))
        return NULL;
    if (S_ISDIR(m))
        return "a folder";
    if (S_ISFIFO(m))
        return "a FIFO";
    if (S_ISCHR(m))
        return "a character device";
    if (S_ISBLK(m))
        return "a block device";
    if (S_ISSOCK(m))
        return "a socket";
    if (S_ISLNK(m))
        return "a symbolic link";
    return "not a file";
}

/* Open for reading without blocking (a FIFO with no writer, a terminal) and
 * check on the open descriptor that it is a regular file.  fd, or -1 with
 * errno set (0 and *kind set when it is no regular file). */
static int open_regular(int dirfd, const char *name, int flags, struct stat *st, const char **kind)
{
    *kind = NULL;
    int fd = openat(dirfd, name, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC | flags);
    if (fd < 0)
        return -1;
    if (fstat(fd, st)) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    if ((*kind = gen_file_kind(st->st_mode))) {
        close(fd);
        errno = 0;
        return -1;
    }
    return fd;
}

/* Read from fd into p (room for cap bytes) until end of file or cap bytes;
 * the count read, or -1. */
static ssize_t read_up_to(int fd, char *p, size_t cap)
{
    size_t n = 0;
    while (n < cap) {
        ssize_t r = read(fd, p + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        if (r == 0)
            break;
        n += (size_t)r;
    }
    return (ssize_t)n;
}

int gen_read_file(const char *path, char **data, size_t *len)
{
    struct stat st;
    const char *kind;
    int fd = open_regular(AT_FDCWD, path, 0, &st, &kind);
    if (fd < 0) {
        if (kind)
            gen_error(path, 0, "cannot read: not a regular file (%s); kpmc-gen reads regular files only", kind);
        else
            gen_error(path, 0, "cannot read: %s", strerror(errno));
        return -1;
    }
    if ((uintmax_t)st.st_size > GEN_FILE_LIMIT) {
        gen_error(path, 0, "%jd bytes, over kpmc-gen's limit of " GEN_FILE_LIMIT_TEXT " for an input file",
                  (intmax_t)st.st_size);
        close(fd);
        return -1;
    }
    /* One byte more than the limit shows a file that grew past it. */
    size_t cap = (size_t)st.st_size < GEN_FILE_LIMIT ? (size_t)st.st_size + 1 : GEN_FILE_LIMIT + 1;
    char *p = gen_alloc_raw(cap + 1);
    size_t n = 0;
    for (;;) {
        ssize_t r = read_up_to(fd, p + n, cap - n);
        if (r < 0) {
            gen_error(path, 0, "cannot read: %s", strerror(errno));
            close(fd);
            return -1;
        }
        n += (size_t)r;
        if (n < cap || cap == GEN_FILE_LIMIT + 1)
            break;
        /* It grew while being read: take more, up to the limit. */
        size_t bigger = cap * 2 < GEN_FILE_LIMIT + 1 ? cap * 2 : GEN_FILE_LIMIT + 1;
        char *q = gen_alloc_raw(bigger + 1);
        memcpy(q, p, n);
        p = q;
        cap = bigger;
    }
    close(fd);
    if (n > GEN_FILE_LIMIT) {
        gen_error(path, 0, "over kpmc-gen's limit of " GEN_FILE_LIMIT_TEXT " for an input file");
        return -1;
    }
    p[n] = '\0';
    *data = p;
    *len = n;
    return 0;
}

char *gen_read_prefix_at(int dirfd, const char *name, size_t max, size_t *len)
{
    struct stat st;
    const char *kind;
    int fd = open_regular(dirfd, name, O_NOFOLLOW, &st, &kind);
    if (fd < 0)
        return NULL;
    char *p = malloc(max + 1);
    ssize_t n = p ? read_up_to(fd, p, max) : -1;
    close(fd);
    if (n < 0) {
        free(p);
        return NULL;
    }
    p[n] = '\0';
    *len = (size_t)n;
    return p;
}
