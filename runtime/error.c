/* kpmc_strerror: the sentence for each KPMC_E_* code. */
#include <kpmc/error.h>

const char *kpmc_strerror(int code)
{
    switch (code) {
    case KPMC_OK: return "success";
    case KPMC_E_INVAL: return "invalid argument";
    case KPMC_E_NOEVENT: return "no such event in this database";
    case KPMC_E_NODB: return "no event database for this CPU or name";
    case KPMC_E_NOFIT: return "the events do not fit the counters together";
    case KPMC_E_DUPLICATE: return "the same event was asked for twice";
    case KPMC_E_EMPTY: return "an event set needs at least one event";
    case KPMC_E_TOOMANY: return "more events than kpmc can count at once";
    case KPMC_E_UNAVAILABLE: return "the event exists but cannot be programmed";
    case KPMC_E_LOAD: return "kperf.framework could not be loaded";
    case KPMC_E_PERM: return "counting needs root";
    case KPMC_E_KPC: return "a kpc call failed";
    case KPMC_E_BUSY: return "the counters are in use by another event set or client";
    case KPMC_E_STATE: return "the call does not fit the current state";
    case KPMC_E_NOMEM: return "out of memory";
    case KPMC_E_WRONGDB: return "the event ids belong to another database";
    case KPMC_E_UNSUPPORTED: return "not available on this operating system";
    case KPMC_E_IO: return "writing the output failed";
    case KPMC_E_CATALOG: return "the program was compiled against another catalog's headers";
    default: return "unknown error";
    }
}
