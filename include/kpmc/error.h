/* kpmc — error codes shared by the catalog and the runtime.
 *
 * Every kpmc function that can fail returns 0 (or a non-negative value) on
 * success and one of the negative KPMC_E_* codes below on failure.
 * kpmc_strerror() gives a fixed sentence for a code; the runtime also keeps a
 * detail message (which event, which counter, which kpc call and its errno)
 * for the thread that made the call, see kpmc_session_error() in
 * <kpmc/kpmc.h>.
 */
#ifndef KPMC_ERROR_H
#define KPMC_ERROR_H

#include <kpmc/export.h>

#ifdef __cplusplus
extern "C" {
#endif

enum kpmc_error {
    KPMC_OK = 0,
    KPMC_E_INVAL = -1,       /* invalid argument (NULL pointer, bad mode, bad id) */
    KPMC_E_NOEVENT = -2,     /* no event of that name or id in the database */
    KPMC_E_NODB = -3,        /* no database of that name, or none for this CPU */
    KPMC_E_NOFIT = -4,       /* the events do not fit the counters together */
    KPMC_E_DUPLICATE = -5,   /* the same event was asked for twice */
    KPMC_E_EMPTY = -6,       /* an event set needs at least one event */
    KPMC_E_TOOMANY = -7,     /* more events than KPMC_MAX_EVENTS */
    KPMC_E_UNAVAILABLE = -8, /* the event exists but cannot be programmed */
    KPMC_E_LOAD = -9,        /* kperf.framework or one of its symbols is missing */
    KPMC_E_PERM = -10,       /* counting needs root */
    KPMC_E_KPC = -11,        /* a kpc call failed */
    KPMC_E_BUSY = -12,       /* the counters are held by another event set or client */
    KPMC_E_STATE = -13,      /* wrong state: not started, already started, wrong thread */
    KPMC_E_NOMEM = -14,      /* out of memory */
    KPMC_E_WRONGDB = -15,    /* per-database ids used with another database */
    KPMC_E_UNSUPPORTED = -16, /* not available on this operating system */
    KPMC_E_IO = -17,          /* writing the output failed */
    KPMC_E_CATALOG = -18      /* ids from the headers of another catalog
                                 (KPMC_CATALOG_DIGEST, <kpmc/catalog.h>) */
};

/* A fixed English sentence for a KPMC_E_* code ("unknown error" otherwise).
 * Never NULL; the string is static. */
KPMC_API const char *kpmc_strerror(int code);

#ifdef __cplusplus
}
#endif

#endif
