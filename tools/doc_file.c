/* Whole-or-nothing output files (see doc_file.h).  POSIX: mkstemp, fchmod,
 * mkdir. */
#define _POSIX_C_SOURCE 200809L
#include "doc_file.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "cli.h"

int doc_mkdirs(const char *cmd, const char *dir)
{
    char buf[1024];
    size_t n = strlen(dir);
    if (n == 0 || n >= sizeof buf)
        return cli_error(cmd, "%s: %s", dir, n ? "path too long" : "empty folder name");
    memcpy(buf, dir, n + 1);
    /* Create every prefix that ends before a '/', then the whole path. */
    for (size_t i = 1; i <= n; i++) {
        if (buf[i] != '/' && buf[i] != '\0')
            continue;
        char c = buf[i];
        buf[i] = '\0';
        struct stat st;
        /* Some systems answer EACCES rather than EEXIST for a folder that
         * exists in a parent one may not write to. */
        if (mkdir(buf, 0777) != 0 && errno != EEXIST) {
            int e = errno;
            if (stat(buf, &st) != 0 || !S_ISDIR(st.st_mode))
                return cli_error(cmd, "%s: cannot create folder: %s", buf, strerror(e));
        }
        buf[i] = c;
    }
    struct stat st;
    if (stat(dir, &st) != 0)
        return cli_error(cmd, "%s: %s", dir, strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return cli_error(cmd, "%s: exists and is not a folder", dir);
    return 0;
}

int doc_file_open(doc_file *df, const char *cmd, const char *dir, const char *name)
{
    df->f = NULL;
    df->cmd = cmd;
    int n = snprintf(df->path, sizeof df->path, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= sizeof df->path)
        return cli_error(cmd, "%s/%s: path too long", dir, name);
    snprintf(df->tmp, sizeof df->tmp, "%s/.%s.XXXXXX", dir, name);
    int fd = mkstemp(df->tmp);
    if (fd < 0)
        return cli_error(cmd, "%s: cannot create a temporary file beside it: %s", df->path, strerror(errno));
    /* mkstemp makes the file private; pages are for everyone the umask allows. */
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0 || !(df->f = fdopen(fd, "w"))) {
        int e = errno;
        close(fd);
        unlink(df->tmp);
        return cli_error(cmd, "%s: %s", df->path, strerror(e));
    }
    return 0;
}

int doc_file_commit(doc_file *df)
{
    int bad = fflush(df->f) != 0 || ferror(df->f);
    int e = errno;
    if (fclose(df->f) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    df->f = NULL;
    if (!bad && rename(df->tmp, df->path) == 0)
        return 0;
    if (!bad)
        e = errno;
    unlink(df->tmp);
    return cli_error(df->cmd, "%s: cannot write: %s", df->path, e ? strerror(e) : "write error");
}

void doc_file_abort(doc_file *df)
{
    if (df->f)
        fclose(df->f);
    df->f = NULL;
    unlink(df->tmp);
}
