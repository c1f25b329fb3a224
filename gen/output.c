/* kpmc-gen: writing the output files all or nothing (see output.h).
 *
 * Below the output folder nothing is reached through a path: each folder
 * is opened once, without following a symbolic link, and files are made,
 * renamed and removed relative to it.  A run
 *   1. locks the folder (<out>/.kpmc-gen.lock, an fcntl lock; a second run
 *      waits, saying for which process, and compares only once it holds it);
 *   2. writes every changed file to a temporary name it creates itself
 *      (O_CREAT | O_EXCL | O_NOFOLLOW: a planted file or link there is
 *      never written through, another name is taken);
 *   3. keeps each file it will replace or remove under a second name (a
 *      hard link: the file itself stays in place);
 *   4. renames the temporaries into place and removes stale headers; if any
 *      step fails, the files already replaced get their kept versions back
 *      and new ones are removed, so the folder is as it was;
 *   5. removes the kept versions and the lock file.
 * From 2 to 5, SIGHUP, SIGINT, SIGQUIT and SIGTERM are held: an interrupted
 * run stops only after its last step. */
#define _POSIX_C_SOURCE 200809L
#define _DARWIN_C_SOURCE 1 /* O_NOFOLLOW on macOS */
#include "output.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file.h"

static const char db_header_mark[] = "/* kpmc catalog: event ids of database ";
static const char db_folder[] = "include/kpmc/db";
static const char lock_name[] = ".kpmc-gen.lock";

/* Tries at a temporary or kept name before giving up: each is taken only if
 * nothing exists there. */
#define NAME_TRIES 100

struct folder {
    const char *rel; /* relative to the output folder; "" for itself */
    int fd;          /* -1: absent (only when not creating) */
};

struct out_dir {
    const char *dir; /* the output folder as given */
    int top;
    int create;      /* make missing folders */
    struct folder *folders;
    size_t n_folders, cap_folders;
};

static char *path_of(const struct out_dir *o, const char *rel, const char *name)
{
    return gen_printf("%s%s%s%s%s", o->dir, *rel ? "/" : "", rel, name ? "/" : "", name ? name : "");
}

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

/* Open the output folder itself (its path is the user's: links in it are
 * followed).  0, or -1 (reported unless it is absent and not created). */
static int open_top(struct out_dir *o, const char *dir, int create)
{
    memset(o, 0, sizeof *o);
    o->dir = dir;
    o->create = create;
    if (create && make_dirs(dir))
        return -1;
    o->top = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (o->top < 0) {
        if (create || errno != ENOENT)
            gen_error(dir, 0, "cannot open folder: %s", strerror(errno));
        return -1;
    }
    return 0;
}

static void close_dirs(struct out_dir *o)
{
    for (size_t i = 0; i < o->n_folders; i++)
        if (o->folders[i].fd >= 0)
            close(o->folders[i].fd);
    if (o->top >= 0)
        close(o->top);
    o->n_folders = 0;
    o->top = -1;
}

/* The folder rel below the output folder, each component opened without
 * following a symbolic link (and made, when creating).  Its fd; -1 when it
 * is absent and not created, -2 after an error (reported). */
static int folder_fd(struct out_dir *o, const char *rel)
{
    if (!*rel)
        return o->top;
    for (size_t i = 0; i < o->n_folders; i++)
        if (!strcmp(o->folders[i].rel, rel))
            return o->folders[i].fd;
    /* Its parent first. */
    const char *slash = strrchr(rel, '/');
    const char *name = slash ? slash + 1 : rel;
    int parent = folder_fd(o, slash ? gen_strndup(rel, (size_t)(slash - rel)) : "");
    int fd = parent;
    if (parent >= 0) {
        if (o->create && mkdirat(parent, name, 0777) && errno != EEXIST) {
            gen_error(path_of(o, rel, NULL), 0, "cannot create folder: %s", strerror(errno));
            fd = -2;
        } else {
            fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (fd < 0) {
                int e = errno;
                struct stat st;
                const char *kind = fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) ? NULL : gen_file_kind(st.st_mode);
                if (e == ENOENT && !o->create) {
                    fd = -1;
                } else {
                    if (kind && strcmp(kind, "a folder"))
                        gen_error(path_of(o, rel, NULL), 0, "is %s, not a folder; kpmc-gen writes only inside %s",
                                  kind, o->dir);
                    else
                        gen_error(path_of(o, rel, NULL), 0, "cannot open folder: %s", strerror(e));
                    fd = -2;
                }
            }
        }
    }
    o->folders = gen_grow(o->folders, o->n_folders, &o->cap_folders, sizeof *o->folders, 8);
    o->folders[o->n_folders].rel = gen_strdup(rel);
    o->folders[o->n_folders].fd = fd;
    o->n_folders++;
    return fd;
}

/* Split "include/kpmc/events.h" into its folder and name (arena). */
static void split(const char *rel, const char **folder, const char **name)
{
    const char *slash = strrchr(rel, '/');
    *folder = slash ? gen_strndup(rel, (size_t)(slash - rel)) : "";
    *name = slash ? slash + 1 : rel;
}

/* Whether `name` in dirfd is a regular file (not a link) holding text. */
static int same_content(int dirfd, const char *name, const struct buf *text)
{
    size_t len;
    char *old = gen_read_prefix_at(dirfd, name, text->len + 1, &len);
    int same = old && len == text->len && !memcmp(old, text->data, len);
    free(old);
    return same;
}

/* Generated per-database headers in the folder include/kpmc/db (fd) that
 * are not among files: their names (arena), *n of them. */
static const char **stale_headers(int fd, const struct out_file *files, size_t n, size_t *n_stale)
{
    *n_stale = 0;
    int dup_fd = fd >= 0 ? dup(fd) : -1;
    DIR *d = dup_fd >= 0 ? fdopendir(dup_fd) : NULL;
    if (!d) {
        if (dup_fd >= 0)
            close(dup_fd);
        return NULL;
    }
    size_t count = 0, cap = 0;
    const char **list = NULL;
    for (struct dirent *e; (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        if (len < 3 || strcmp(e->d_name + len - 2, ".h"))
            continue;
        char *rel = gen_printf("%s/%s", db_folder, e->d_name);
        int wanted = 0;
        for (size_t i = 0; i < n && !wanted; i++)
            wanted = !strcmp(files[i].path, rel);
        if (wanted)
            continue;
        size_t flen;
        char *text = gen_read_prefix_at(fd, e->d_name, sizeof db_header_mark - 1, &flen);
        int ours = text && flen == sizeof db_header_mark - 1 && !memcmp(text, db_header_mark, flen);
        free(text);
        if (!ours)
            continue;
        list = gen_grow(list, count, &cap, sizeof *list, 8);
        list[count++] = gen_strdup(e->d_name);
    }
    closedir(d);
    *n_stale = count;
    return list;
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

/* ---- the lock ---- */

/* Hold the output folder's lock: an fcntl write lock on <out>/.kpmc-gen.lock,
 * made if absent.  A run that waited checks that the file it locked is still
 * the one in the folder (the run before removes it when done).  The lock
 * file's fd, or -1 (reported). */
static int lock_dir(const struct out_dir *o)
{
    const char *path = path_of(o, "", lock_name);
    for (;;) {
        int fd = openat(o->top, lock_name, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0666);
        struct stat st;
        if (fd < 0 || fstat(fd, &st)) {
            gen_error(path, 0, "cannot open the lock file: %s", strerror(errno));
            if (fd >= 0)
                close(fd);
            return -1;
        }
        const char *kind = gen_file_kind(st.st_mode);
        if (kind) {
            gen_error(path, 0, "the lock file is %s; remove it", kind);
            close(fd);
            return -1;
        }
        struct flock fl;
        memset(&fl, 0, sizeof fl);
        fl.l_type = F_WRLCK;
        fl.l_whence = SEEK_SET;
        if (fcntl(fd, F_SETLK, &fl)) {
            if (errno != EACCES && errno != EAGAIN) {
                gen_error(path, 0, "cannot lock: %s", strerror(errno));
                close(fd);
                return -1;
            }
            struct flock who = fl;
            long pid = fcntl(fd, F_GETLK, &who) == 0 && who.l_type != F_UNLCK ? (long)who.l_pid : 0;
            if (pid)
                fprintf(stderr, "%s: waiting for kpmc-gen (process %ld), which is writing there\n", o->dir, pid);
            else
                fprintf(stderr, "%s: waiting for another kpmc-gen, which is writing there\n", o->dir);
            int r;
            while ((r = fcntl(fd, F_SETLKW, &fl)) && errno == EINTR)
                ;
            if (r) {
                gen_error(path, 0, "cannot lock: %s", strerror(errno));
                close(fd);
                return -1;
            }
        }
        struct stat now;
        if (fstatat(o->top, lock_name, &now, AT_SYMLINK_NOFOLLOW) == 0 && now.st_dev == st.st_dev &&
            now.st_ino == st.st_ino)
            return fd;
        close(fd); /* removed or replaced while we waited: lock the new one */
    }
}

static void unlock_dir(const struct out_dir *o, int fd)
{
    unlinkat(o->top, lock_name, 0);
    close(fd); /* releases the lock */
}

/* ---- writing ---- */

/* Hold the signals that end a run from a terminal or a job control (SIGKILL
 * cannot be held) while the folder is changed, so that one arriving then
 * takes effect only once the folder is whole again: all new, or as it was.
 * The previous mask goes to *saved. */
static void hold_signals(sigset_t *saved)
{
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGHUP);
    sigaddset(&s, SIGINT);
    sigaddset(&s, SIGQUIT);
    sigaddset(&s, SIGTERM);
    sigprocmask(SIG_BLOCK, &s, saved);
}

struct change {
    const char *path;  /* for messages */
    int fd;            /* its folder */
    const char *name;  /* in that folder */
    const struct buf *text; /* new content; NULL: a stale header to remove */
    char *tmp;         /* temporary name holding text */
    char *kept;        /* second name of the file replaced or removed */
    int done;          /* replaced or removed */
};

/* Create a file of ours next to name: name.<what><pid>[.k], the first that
 * does not exist.  make(fd, candidate) must fail with EEXIST when something
 * is there.  The name (arena), or NULL with errno set. */
static char *fresh_name(const struct change *c, const char *what, int (*make)(const struct change *, const char *))
{
    for (int k = 0; k < NAME_TRIES; k++) {
        char *cand = k ? gen_printf("%s.%s%ld.%d", c->name, what, (long)getpid(), k)
                       : gen_printf("%s.%s%ld", c->name, what, (long)getpid());
        if (make(c, cand) == 0)
            return cand;
        if (errno != EEXIST)
            return NULL;
    }
    errno = EEXIST;
    return NULL;
}

/* A new file `name` in dirfd holding data: never one that exists, never
 * through a link.  0, or -1 with errno set (EEXIST: something is there). */
static int write_new(int dirfd, const char *name, const char *data, size_t len)
{
    int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0)
        return -1;
    if (write_all(fd, data, len) | close(fd)) {
        int e = errno;
        unlinkat(dirfd, name, 0);
        errno = e && e != EEXIST ? e : EIO;
        return -1;
    }
    return 0;
}

static int make_tmp(const struct change *c, const char *cand)
{
    return write_new(c->fd, cand, c->text->data, c->text->len);
}

/* The previous version under a second name: a hard link, or where the file
 * system has none, a copy of a regular file. */
static int make_kept(const struct change *c, const char *cand)
{
    if (linkat(c->fd, c->name, c->fd, cand, 0) == 0)
        return 0;
    if (errno != EPERM && errno != ENOTSUP && errno != EOPNOTSUPP && errno != EMLINK && errno != ENOSYS)
        return -1;
    int e = errno;
    size_t len;
    char *old = gen_read_prefix_at(c->fd, c->name, GEN_FILE_LIMIT + 1, &len);
    if (!old || len > GEN_FILE_LIMIT) {
        free(old);
        errno = e;
        return -1;
    }
    int r = write_new(c->fd, cand, old, len);
    free(old);
    return r;
}

/* Undo what was done, newest first; remove temporaries and kept versions.
 * 0, or -1 when a file could not be put back (reported). */
static int roll_back(struct change *ch, size_t n)
{
    int bad = 0;
    for (size_t i = n; i-- > 0;) {
        struct change *c = &ch[i];
        if (c->done) {
            int r = c->kept ? renameat(c->fd, c->kept, c->fd, c->name) : unlinkat(c->fd, c->name, 0);
            if (r) {
                if (c->kept)
                    gen_error(c->path, 0, "could not be put back (%s); its previous version is %s", strerror(errno),
                              c->kept);
                else
                    gen_error(c->path, 0, "could not be removed again: %s", strerror(errno));
                bad = 1;
                continue;
            }
            c->kept = NULL;
            c->done = 0;
        }
        if (c->tmp)
            unlinkat(c->fd, c->tmp, 0);
        if (c->kept)
            unlinkat(c->fd, c->kept, 0);
    }
    return bad ? -1 : 0;
}

int output_write(const char *dir, const struct out_file *files, size_t n)
{
    struct out_dir o;
    if (open_top(&o, dir, 1))
        return -1;
    int lock = lock_dir(&o);
    if (lock < 0) {
        close_dirs(&o);
        return -1;
    }
    /* Held from here, not while waiting for the lock: that wait may be
     * long, and ending it changes nothing. */
    sigset_t saved;
    hold_signals(&saved);
    struct change *ch = gen_alloc((n + 1) * sizeof *ch);
    size_t n_ch = 0;
    int bad = 0;
    /* Write what changed to temporaries. */
    for (size_t i = 0; i < n && !bad; i++) {
        const char *folder, *name;
        split(files[i].path, &folder, &name);
        int fd = folder_fd(&o, folder);
        if (fd < 0) {
            bad = 1;
            break;
        }
        if (same_content(fd, name, &files[i].text))
            continue;
        struct change *c = &ch[n_ch++];
        c->path = path_of(&o, "", files[i].path);
        c->fd = fd;
        c->name = name;
        c->text = &files[i].text;
        struct stat st;
        if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode)) {
            gen_error(c->path, 0, "is a folder; kpmc-gen writes a file there");
            bad = 1;
            break;
        }
        c->tmp = fresh_name(c, "tmp", make_tmp);
        if (!c->tmp) {
            gen_error(c->path, 0, "cannot write a temporary file next to it: %s", strerror(errno));
            bad = 1;
        }
    }
    /* Headers of databases that are no longer inputs. */
    if (!bad) {
        int fd = folder_fd(&o, db_folder);
        size_t n_stale = 0;
        const char **stale = fd >= 0 ? stale_headers(fd, files, n, &n_stale) : NULL;
        bad = fd == -2;
        if (n_stale) {
            struct change *more = gen_alloc((n_ch + n_stale + 1) * sizeof *more);
            memcpy(more, ch, n_ch * sizeof *ch);
            ch = more;
        }
        for (size_t i = 0; i < n_stale; i++) {
            struct change *c = &ch[n_ch++];
            c->path = path_of(&o, db_folder, stale[i]);
            c->fd = fd;
            c->name = stale[i];
        }
    }
    /* Keep what will be replaced or removed. */
    for (size_t i = 0; i < n_ch && !bad; i++) {
        struct change *c = &ch[i];
        struct stat st;
        if (fstatat(c->fd, c->name, &st, AT_SYMLINK_NOFOLLOW)) {
            if (errno == ENOENT)
                continue; /* a new file */
            gen_error(c->path, 0, "cannot stat: %s", strerror(errno));
            bad = 1;
        } else if (!(c->kept = fresh_name(c, "old", make_kept))) {
            gen_error(c->path, 0, "cannot keep the previous version while replacing it: %s", strerror(errno));
            bad = 1;
        }
    }
    /* Replace; on a failure, put everything back. */
    for (size_t i = 0; i < n_ch && !bad; i++) {
        struct change *c = &ch[i];
        if (c->text ? renameat(c->fd, c->tmp, c->fd, c->name) : unlinkat(c->fd, c->name, 0)) {
            gen_error(c->path, 0, c->text ? "cannot replace: %s" : "cannot remove stale header: %s", strerror(errno));
            bad = 1;
            break;
        }
        c->done = 1;
        if (c->text)
            c->tmp = NULL;
    }
    if (bad) {
        if (roll_back(ch, n_ch) == 0 && n_ch)
            fprintf(stderr, "%s: nothing was changed\n", dir);
    } else {
        for (size_t i = 0; i < n_ch; i++)
            if (ch[i].kept && unlinkat(ch[i].fd, ch[i].kept, 0))
                gen_warn(path_of(&o, "", ch[i].kept), 0, "cannot remove: %s", strerror(errno));
    }
    unlock_dir(&o, lock);
    close_dirs(&o);
    sigprocmask(SIG_SETMASK, &saved, NULL);
    return bad ? -1 : 0;
}

int output_check(const char *dir, const struct out_file *files, size_t n)
{
    struct out_dir o;
    int missing = open_top(&o, dir, 0);
    if (missing && gen_n_errors)
        return -1;
    int differ = 0;
    for (size_t i = 0; i < n; i++) {
        const char *folder, *name;
        split(files[i].path, &folder, &name);
        int fd = missing ? -1 : folder_fd(&o, folder);
        if (fd == -2) {
            differ = -1;
        } else if (fd == -1 || !same_content(fd, name, &files[i].text)) {
            fprintf(stderr, "%s/%s: differs from what kpmc-gen generates\n", dir, files[i].path);
            if (!differ)
                differ = 1;
        }
    }
    size_t n_stale = 0;
    int fd = missing ? -1 : folder_fd(&o, db_folder);
    const char **stale = fd >= 0 ? stale_headers(fd, files, n, &n_stale) : NULL;
    for (size_t i = 0; i < n_stale; i++) {
        fprintf(stderr, "%s/%s/%s: generated for a database that is no longer an input\n", dir, db_folder, stale[i]);
        if (!differ)
            differ = 1;
    }
    if (!missing)
        close_dirs(&o);
    return differ;
}
