/* kpmc-gen: writing the output files all or nothing (see output.h). */
#define _POSIX_C_SOURCE 200809L
#include "output.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char db_header_mark[] = "/* kpmc catalog: event ids of database ";

static int make_dirs(const char *path)
{
    char *p = gen_strdup(path);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0777) && errno != EEXIST) {
            gen_error(p, 0, "cannot create folder: %s", strerror(errno));
            return -1;
        }
        *s = '/';
    }
    if (mkdir(p, 0777) && errno != EEXIST) {
        gen_error(p, 0, "cannot create folder: %s", strerror(errno));
        return -1;
    }
    return 0;
}

/* The file's content if it exists (malloc'd), else NULL. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct buf b = {0};
    char tmp[65536];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
        buf_put(&b, tmp, n);
    fclose(f);
    *len = b.len;
    if (!b.data)
        buf_put(&b, "", 0);
    return b.data;
}

static int same_content(const char *path, const struct buf *text)
{
    size_t len;
    char *old = slurp(path, &len);
    int same = old && len == text->len && !memcmp(old, text->data, len);
    free(old);
    return same;
}

/* Generated per-database headers in dir/include/kpmc/db that are not
 * among files (paths malloc'd into *out). */
static size_t stale_headers(const char *dir, const struct out_file *files, size_t n, char ***out)
{
    char *db_dir = gen_printf("%s/include/kpmc/db", dir);
    *out = NULL;
    DIR *d = opendir(db_dir);
    if (!d)
        return 0;
    size_t count = 0, cap = 0;
    char **list = NULL;
    for (struct dirent *e; (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        if (len < 3 || strcmp(e->d_name + len - 2, ".h"))
            continue;
        char *rel = gen_printf("include/kpmc/db/%s", e->d_name);
        int wanted = 0;
        for (size_t i = 0; i < n && !wanted; i++)
            wanted = !strcmp(files[i].path, rel);
        if (wanted)
            continue;
        char *path = gen_printf("%s/%s", dir, rel);
        size_t flen;
        char *text = slurp(path, &flen);
        int ours = text && flen >= sizeof db_header_mark - 1 &&
                   !memcmp(text, db_header_mark, sizeof db_header_mark - 1);
        free(text);
        if (!ours)
            continue;
        if (count == cap) {
            cap = cap ? 2 * cap : 8;
            char **bigger = gen_alloc(cap * sizeof *bigger);
            if (count)
                memcpy(bigger, list, count * sizeof *list);
            list = bigger;
        }
        list[count++] = path;
    }
    closedir(d);
    *out = list;
    return count;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = EIO;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int output_write(const char *dir, const struct out_file *files, size_t n)
{
    char **tmp = gen_alloc((n + 1) * sizeof *tmp);
    int bad = 0;
    const char *made = ""; /* the last folder created */
    for (size_t i = 0; i < n && !bad; i++) {
        char *path = gen_printf("%s/%s", dir, files[i].path);
        char *slash = strrchr(path, '/');
        *slash = '\0';
        if (strcmp(made, path)) {
            bad = make_dirs(path);
            made = gen_strdup(path);
        }
        *slash = '/';
        if (bad || same_content(path, &files[i].text))
            continue;
        tmp[i] = gen_printf("%s.tmp%ld", path, (long)getpid());
        int fd = open(tmp[i], O_WRONLY | O_CREAT | O_TRUNC, 0666);
        if (fd < 0) {
            gen_error(tmp[i], 0, "cannot create: %s", strerror(errno));
            tmp[i] = NULL;
            bad = 1;
            break;
        }
        if (write_all(fd, files[i].text.data, files[i].text.len) | close(fd)) {
            gen_error(tmp[i], 0, "cannot write: %s", strerror(errno));
            bad = 1;
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (!tmp[i])
            continue;
        if (bad) {
            unlink(tmp[i]);
            continue;
        }
        char *path = gen_printf("%s/%s", dir, files[i].path);
        if (rename(tmp[i], path)) {
            gen_error(path, 0, "cannot replace: %s", strerror(errno));
            unlink(tmp[i]);
            bad = 1;
        }
    }
    if (bad)
        return -1;
    char **stale;
    size_t n_stale = stale_headers(dir, files, n, &stale);
    for (size_t i = 0; i < n_stale; i++)
        if (unlink(stale[i])) {
            gen_error(stale[i], 0, "cannot remove stale header: %s", strerror(errno));
            bad = 1;
        }
    return bad ? -1 : 0;
}

int output_check(const char *dir, const struct out_file *files, size_t n)
{
    int differ = 0;
    for (size_t i = 0; i < n; i++) {
        char *path = gen_printf("%s/%s", dir, files[i].path);
        if (!same_content(path, &files[i].text)) {
            fprintf(stderr, "%s: differs from what kpmc-gen generates\n", path);
            differ = 1;
        }
    }
    char **stale;
    size_t n_stale = stale_headers(dir, files, n, &stale);
    for (size_t i = 0; i < n_stale; i++) {
        fprintf(stderr, "%s: generated for a database that is no longer an input\n", stale[i]);
        differ = 1;
    }
    return differ;
}
