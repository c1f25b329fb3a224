/* Faults for kpmc-gen-faults, kpmc-gen linked with -Wl,--wrap for the calls
 * below (tests/gen.cmake), driven by the environment:
 *   KPMC_GEN_FAULT_RENAME=NAME  renaming a file onto NAME fails (EIO)
 *   KPMC_GEN_FAULT_LINK=NAME    making a second name for NAME fails (EIO)
 *   KPMC_GEN_FAULT_NOLINK=1     no hard link can be made (EPERM), as on
 *                               file systems without them
 *   KPMC_GEN_FAULT_UNLINK=NAME  removing NAME fails (EIO)
 *   KPMC_GEN_FAULT_DELAY_MS=N   every rename first sleeps N ms
 * NAME is a file name without its folder. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int __real_rename(const char *from, const char *to);
int __real_renameat(int from_fd, const char *from, int to_fd, const char *to);
int __real_linkat(int from_fd, const char *from, int to_fd, const char *to, int flags);
int __real_unlinkat(int fd, const char *name, int flags);
int __wrap_rename(const char *from, const char *to);
int __wrap_renameat(int from_fd, const char *from, int to_fd, const char *to);
int __wrap_linkat(int from_fd, const char *from, int to_fd, const char *to, int flags);
int __wrap_unlinkat(int fd, const char *name, int flags);

static int hit(const char *var, const char *path)
{
    const char *want = getenv(var);
    const char *slash = strrchr(path, '/');
    if (!want || strcmp(want, slash ? slash + 1 : path))
        return 0;
    errno = EIO;
    return 1;
}

static void delay(void)
{
    const char *ms = getenv("KPMC_GEN_FAULT_DELAY_MS");
    if (!ms)
        return;
    long n = strtol(ms, NULL, 10);
    struct timespec t = {n / 1000, (n % 1000) * 1000000L};
    while (nanosleep(&t, &t) && errno == EINTR)
        ;
}

int __wrap_rename(const char *from, const char *to)
{
    delay();
    return hit("KPMC_GEN_FAULT_RENAME", to) ? -1 : __real_rename(from, to);
}

int __wrap_renameat(int from_fd, const char *from, int to_fd, const char *to)
{
    delay();
    return hit("KPMC_GEN_FAULT_RENAME", to) ? -1 : __real_renameat(from_fd, from, to_fd, to);
}

int __wrap_linkat(int from_fd, const char *from, int to_fd, const char *to, int flags)
{
    if (getenv("KPMC_GEN_FAULT_NOLINK")) {
        errno = EPERM;
        return -1;
    }
    return hit("KPMC_GEN_FAULT_LINK", from) ? -1 : __real_linkat(from_fd, from, to_fd, to, flags);
}

int __wrap_unlinkat(int fd, const char *name, int flags)
{
    return hit("KPMC_GEN_FAULT_UNLINK", name) ? -1 : __real_unlinkat(fd, name, flags);
}
