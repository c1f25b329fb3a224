#define _POSIX_C_SOURCE 200809L
/* kpmc-gen: inputs.  A cpu_<type>_<subtype>_<family>.plist is a link: a
 * symbolic link, a small file holding the target's name (how a link looks
 * after a copy that does not keep links), or a full copy of a database
 * (matched to it by SHA-256).  Every other *.plist is a database. */
#include "input.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ascii.h"
#include "file.h"
#include "sha256.h"
#include "util.h"

struct file {
    const char *path;
    const char *base;
    char *data;
    size_t len;
};

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcmp(s + n - m, suffix);
}

/* cpu_<hex>_<hex>_<hex>.plist → 1 and the numbers; anything else → 0. */
static int parse_link_name(const char *base, uint32_t v[3])
{
    if (strncmp(base, "cpu_", 4) || !ends_with(base, ".plist"))
        return 0;
    const char *p = base + 4;
    for (int i = 0; i < 3; i++) {
        if (kpmc_ascii_hex32(&p, &v[i]) || *p != (i < 2 ? '_' : '.'))
            return 0;
        p++;
    }
    return !strcmp(p, "plist");
}

static int looks_like_plist(const char *data, size_t len)
{
    while (len && (*data == ' ' || *data == '\n' || *data == '\r' || *data == '\t' || *data == '\xef' ||
                   *data == '\xbb' || *data == '\xbf')) {
        data++;
        len--;
    }
    return (len >= 8 && !memcmp(data, "bplist00", 8)) || (len >= 1 && *data == '<');
}

struct inputs {
    struct file *dbs;
    size_t n_dbs, cap_dbs;
    struct gen_link *links;
    const uint8_t **link_sha; /* for links that are copies of a database */
    size_t n_links, cap_links, cap_link_sha;
};

static void add_db(struct inputs *in, const struct file *f)
{
    in->dbs = gen_grow(in->dbs, in->n_dbs, &in->cap_dbs, sizeof *in->dbs, 32);
    in->dbs[in->n_dbs++] = *f;
}

static struct gen_link *add_link(struct inputs *in)
{
    in->links = gen_grow(in->links, in->n_links, &in->cap_links, sizeof *in->links, 32);
    in->link_sha = gen_grow(in->link_sha, in->n_links, &in->cap_link_sha, sizeof *in->link_sha, 32);
    return &in->links[in->n_links++];
}

static int read_link(struct inputs *in, const char *path, const uint32_t v[3])
{
    struct gen_link *l = add_link(in);
    l->path = path;
    l->file = base_name(path);
    l->cputype = v[0];
    l->cpusubtype = v[1];
    l->family = v[2];
    struct stat st;
    if (lstat(path, &st)) {
        gen_error(path, 0, "cannot stat: %s", strerror(errno));
        return -1;
    }
    if (S_ISLNK(st.st_mode)) {
        char target[4096];
        ssize_t n = readlink(path, target, sizeof target - 1);
        if (n < 0) {
            gen_error(path, 0, "cannot read link: %s", strerror(errno));
            return -1;
        }
        target[n] = '\0';
        l->target = gen_strdup(base_name(target));
        return 0;
    }
    char *data;
    size_t len;
    if (gen_read_file(path, &data, &len))
        return -1;
    if (looks_like_plist(data, len)) {
        uint8_t *sha = gen_alloc(32);
        sha256(data, len, sha);
        in->link_sha[in->n_links - 1] = sha;
        return 0;
    }
    /* A file holding the target's name. */
    while (len && (data[len - 1] == '\n' || data[len - 1] == '\r' || data[len - 1] == ' '))
        data[--len] = '\0';
    if (!len || len > 255 || memchr(data, '\0', len) || !ends_with(data, ".plist")) {
        gen_error(path, 0, "a cpu_* file must be a link to a database, the name of one, or a copy of one");
        return -1;
    }
    l->target = gen_strdup(base_name(data));
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int add_path(struct inputs *in, const char *path, int from_dir)
{
    const char *base = base_name(path);
    uint32_t v[3];
    if (parse_link_name(base, v))
        return read_link(in, path, v);
    if (!strncmp(base, "cpu_", 4)) {
        if (from_dir) {
            gen_warn(path, 0, "ignored: not named cpu_<type>_<subtype>_<family>.plist in hexadecimal");
            return 0;
        }
        gen_error(path, 0, "not named cpu_<type>_<subtype>_<family>.plist in hexadecimal");
        return -1;
    }
    struct file f = {path, base, NULL, 0};
    if (gen_read_file(path, &f.data, &f.len))
        return -1;
    add_db(in, &f);
    return 0;
}

static int add_dir(struct inputs *in, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        gen_error(dir, 0, "cannot open folder: %s", strerror(errno));
        return -1;
    }
    size_t n = 0, cap = 64;
    char **names = gen_alloc(cap * sizeof *names);
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.' || !ends_with(e->d_name, ".plist"))
            continue;
        names = gen_grow(names, n, &cap, sizeof *names, 64);
        names[n++] = gen_strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_str);
    int bad = 0;
    size_t dl = strlen(dir);
    for (size_t i = 0; i < n; i++) {
        const char *path = gen_printf("%s%s%s", dir, dl && dir[dl - 1] == '/' ? "" : "/", names[i]);
        struct stat st;
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
            continue;
        bad |= add_path(in, path, 1);
    }
    return bad ? -1 : 0;
}

/* The databases' SHA-256, hashed on a thread of its own while the main
 * thread parses them: hashing costs about a third of parsing. */
struct hash_job {
    const struct file *files;
    size_t n;
    uint8_t (*sha)[32];
};

static void *hash_files(void *arg)
{
    const struct hash_job *job = arg;
    for (size_t i = 0; i < job->n; i++)
        sha256(job->files[i].data, job->files[i].len, job->sha[i]);
    return NULL;
}

int input_read(char **paths, int n, struct gen_catalog *cat)
{
    struct inputs in = {0};
    int bad = 0;
    for (int i = 0; i < n; i++) {
        struct stat st;
        if (stat(paths[i], &st)) {
            gen_error(paths[i], 0, "cannot read: %s", strerror(errno));
            bad = 1;
        } else if (S_ISDIR(st.st_mode)) {
            bad |= add_dir(&in, paths[i]);
        } else {
            bad |= add_path(&in, paths[i], 0);
        }
    }
    struct hash_job job = {in.dbs, in.n_dbs, gen_alloc((in.n_dbs + 1) * sizeof *job.sha)};
    pthread_t hasher;
    int threaded = in.n_dbs > 1 && !pthread_create(&hasher, NULL, hash_files, &job);
    if (!threaded)
        hash_files(&job);
    size_t *from = gen_alloc((in.n_dbs + 1) * sizeof *from);
    cat->dbs = gen_alloc((in.n_dbs + 1) * sizeof *cat->dbs);
    for (size_t i = 0; i < in.n_dbs; i++) {
        struct gen_db *db = &cat->dbs[cat->n_dbs];
        const struct file *f = &in.dbs[i];
        for (size_t j = 0; j < i; j++)
            if (!strcmp(in.dbs[j].base, f->base)) {
                gen_error(f->path, 0, "a second input named %s (first: %s)", f->base, in.dbs[j].path);
                bad = 1;
            }
        if (model_read_db(f->path, f->base, f->data, f->len, db)) {
            bad = 1;
            continue;
        }
        from[cat->n_dbs++] = i;
    }
    if (threaded)
        pthread_join(hasher, NULL);
    for (size_t i = 0; i < cat->n_dbs; i++)
        memcpy(cat->dbs[i].sha256, job.sha[from[i]], 32);
    /* Links that are copies of a database: find it by content. */
    for (size_t i = 0; i < in.n_links; i++) {
        if (!in.link_sha[i])
            continue;
        for (size_t j = 0; j < cat->n_dbs; j++)
            if (!memcmp(cat->dbs[j].sha256, in.link_sha[i], 32))
                in.links[i].target = cat->dbs[j].file;
        if (!in.links[i].target) {
            gen_error(in.links[i].path, 0, "is a copy of no database among the inputs");
            bad = 1;
        }
    }
    cat->links = in.links;
    cat->n_links = in.n_links;
    return bad ? -1 : 0;
}
