/* kpmc-gen: the database model, built from the plists and validated. */
#ifndef KPMC_GEN_MODEL_H
#define KPMC_GEN_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include <kpmc/catalog.h>

#include "catalog_format.h"

/* The widest counter mask kpmc supports (16 counters in all). */
#define GEN_MAX_COUNTER_MASK 0xFFFFu
/* Tables are indexed with uint16_t; KPMC_CAT_NONE is reserved. */
#define KPMC_CAT_LIMIT KPMC_CAT_NONE

struct gen_event {
    const char *name;
    long line;
    const char *description;
    const char *fallback;
    long fallback_line;
    unsigned number, umask, other, counters_mask, fixed_counter;
    unsigned has;   /* KPMC_HAS_* */
    unsigned flags; /* KPMC_EVF_* */
    /* derived */
    const char *fold;  /* upper-cased name */
    const char *ident; /* mangled name */
    int fallback_index;
    unsigned pid;
    unsigned n_aliases;
};

struct gen_alias {
    const char *name;
    const char *target;
    long line;
    const char *fold;
    const char *ident;
    int event; /* index of the target */
    unsigned pid;
};

struct gen_db {
    const char *path; /* as given, for messages */
    const char *file; /* base name, e.g. "a14.plist" */
    uint8_t sha256[32];
    const char *name;
    long name_line;
    const char *marketing_name;
    const char *architecture;
    int arch;        /* enum kpmc_arch */
    unsigned has;    /* KPMC_DB_HAS_* */
    int internal;
    unsigned n_version;
    unsigned version[2];
    unsigned fixed_counters, config_counters, power_counters;
    struct gen_event *events; /* sorted by fold, then name */
    size_t n_events;
    struct gen_alias *aliases; /* sorted by fold, then name */
    size_t n_aliases;
    /* derived */
    const char *ident;
    size_t n_families;
    const char *input; /* its line of gen_catalog.inputs */
};

/* A cpu_<type>_<subtype>_<family>.plist link. */
struct gen_link {
    const char *path;
    const char *file;
    const char *target; /* file name of the database it names */
    uint32_t cputype, cpusubtype, family;
    int db;             /* index in the catalog's databases */
};

struct gen_catalog {
    struct gen_db *dbs; /* sorted by name, natural order */
    size_t n_dbs;
    struct gen_link *links; /* sorted by family, type, subtype */
    size_t n_links;
    /* portable ids: one per case-folded name or alias, sorted by fold */
    const char **pid_name;  /* spelling (the smallest by strcmp) */
    const char **pid_fold;
    const char **pid_ident;
    size_t n_pids;
    const char **inputs;    /* one line per input file (databases with their
                               SHA-256, links with their target), sorted */
    size_t n_inputs;
};

/* Read and validate one database plist held in data; the model's strings
 * live in the arena.  0 on success, -1 after reporting errors.  The work
 * across databases is crossdb.h's. */
int model_read_db(const char *path, const char *file, const char *data, size_t len, struct gen_db *out);

#endif
