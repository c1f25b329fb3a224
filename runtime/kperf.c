/* kperf.framework: dlopen, the kpc_* symbol table, errno wording. */
#define _POSIX_C_SOURCE 200809L

#include "kperf.h"

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kpmc/error.h>

#include "detail.h"

static const char *const kpc_names[] = {
#define KPMC_KPERF_NAME(ret, name, params) #name,
    KPMC_KPERF_FUNCTIONS(KPMC_KPERF_NAME)
#undef KPMC_KPERF_NAME
};

/* Where each function pointer lives in the table, in kpc_names order. */
static void *slot(struct kpmc_kperf *k, size_t i)
{
    void *slots[] = {
#define KPMC_KPERF_SLOT(ret, name, params) (void *)&k->name,
        KPMC_KPERF_FUNCTIONS(KPMC_KPERF_SLOT)
#undef KPMC_KPERF_SLOT
    };
    return slots[i];
}

const char *kpmc_kperf_default_path(const char *path)
{
    if (path && *path)
        return path;
    const char *env = getenv("KPMC_KPERF_PATH");
    if (env && *env)
        return env;
#if defined(__APPLE__)
    return KPMC_KPERF_SYSTEM_PATH;
#else
    return NULL;
#endif
}

void *kpmc_kperf_symbol(void *handle, const char *name)
{
    void *sym = handle ? dlsym(handle, name) : NULL;
    if (sym)
        return sym;
    void *self = dlopen(NULL, RTLD_NOW);
    if (!self)
        return NULL;
    sym = dlsym(self, name);
    dlclose(self);
    return sym;
}

void *kpmc_kperf_kept_symbol(const char *path, const char *name)
{
    /* A few answers: a process asks for one or two functions of one
     * library.  A new answer takes the oldest slot; the library it was
     * found in stays loaded. */
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    static struct {
        char path[1024];
        char name[32];
        void *sym;
    } kept[4];
    static unsigned n_kept, next;
    pthread_mutex_lock(&lock);
    void *sym = NULL;
    unsigned i = 0;
    for (; i < n_kept; i++)
        if (!strcmp(kept[i].path, path ? path : "") && !strcmp(kept[i].name, name))
            break;
    if (i < n_kept) {
        sym = kept[i].sym;
    } else {
        void *lib = path ? dlopen(path, RTLD_NOW | RTLD_LOCAL) : NULL;
        sym = kpmc_kperf_symbol(lib, name);
        i = n_kept < sizeof kept / sizeof kept[0] ? n_kept++ : next++ % n_kept;
        snprintf(kept[i].path, sizeof kept[i].path, "%s", path ? path : "");
        snprintf(kept[i].name, sizeof kept[i].name, "%s", name);
        kept[i].sym = sym;
    }
    pthread_mutex_unlock(&lock);
    return sym;
}

int kpmc_kperf_load(struct kpmc_kperf *k, const char *path, char *detail, size_t len)
{
    memset(k, 0, sizeof *k);
    path = kpmc_kperf_default_path(path);
    if (!path) {
        return kpmc_detail_set(detail, len, KPMC_E_LOAD,
                               "kperf.framework exists only on macOS; set KPMC_KPERF_PATH (or "
                               "kpmc_options.kperf_path) to a library providing the kpc_* functions");
    }
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *why = dlerror();
        return kpmc_detail_set(detail, len, KPMC_E_LOAD, "dlopen(%s): %s", path, why ? why : "failed");
    }
    for (size_t i = 0; i < sizeof kpc_names / sizeof kpc_names[0]; i++) {
        void *sym = dlsym(h, kpc_names[i]);
        if (!sym) {
            kpmc_detail_set(detail, len, 0, "%s has no symbol %s", path, kpc_names[i]);
            dlclose(h);
            memset(k, 0, sizeof *k);
            return KPMC_E_LOAD;
        }
        /* dlsym gives an object pointer; copy its bytes into the function
         * pointer, as POSIX requires the two to share a representation. */
        memcpy(slot(k, i), &sym, sizeof sym);
    }
    k->handle = h;
    snprintf(k->path, sizeof k->path, "%s", path);
    return 0;
}

void kpmc_kperf_unload(struct kpmc_kperf *k)
{
    if (k->handle)
        dlclose(k->handle);
    memset(k, 0, sizeof *k);
}

static const char *errno_name(int err)
{
    switch (err) {
    case EPERM: return "EPERM";
    case ENOENT: return "ENOENT";
    case ESRCH: return "ESRCH";
    case EINTR: return "EINTR";
    case EIO: return "EIO";
    case ENOMEM: return "ENOMEM";
    case EACCES: return "EACCES";
    case EFAULT: return "EFAULT";
    case EBUSY: return "EBUSY";
    case EINVAL: return "EINVAL";
    case EAGAIN: return "EAGAIN";
    case ENOSYS: return "ENOSYS";
    case ENOTSUP: return "ENOTSUP";
    default: return NULL;
    }
}

void kpmc_kpc_failure(char *buf, size_t len, const char *call, int err)
{
    char text[128];
    if (strerror_r(err, text, sizeof text) != 0)
        snprintf(text, sizeof text, "unknown error");
    const char *name = errno_name(err);
    if (name)
        kpmc_detail_set(buf, len, 0, "%s failed with %s (%s)", call, name, text);
    else
        kpmc_detail_set(buf, len, 0, "%s failed with errno %d (%s)", call, err, text);
}
