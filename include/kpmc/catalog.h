/* kpmc — the static event catalog.
 *
 * The catalog holds every kpep database kpmc was built from (one table per
 * database file, never merged), the map from CPU families to databases, and
 * the portable event ids over the union of all names.  It is plain read-only
 * data compiled into the library: nothing here parses a plist, allocates,
 * locks or fails at run time except on bad arguments.  Every function is safe
 * to call from any thread.
 *
 * Handles: a database is a `const kpmc_db *` that stays valid for the life of
 * the process; an event is its index in that database's table (0 ..
 * n_events-1, sorted by name, case-insensitively).  The generated headers
 * <kpmc/db/NAME.h> name those indices at compile time (KPMC_A14_INST_ALL);
 * <kpmc/events.h> names the databases (KPMC_DB_A14) and the portable ids
 * (KPMC_EV_INST_ALL), <kpmc/generic.h> the generic events (KPMC_GEN_CYCLES);
 * <kpmc/kpmc.h> includes both, this header does not.
 *
 * Structs the library fills (kpmc_db_info and the other *_info structs,
 * kpmc_plan_event, kpmc_kernel, kpmc_probe) begin with `size_t size`: set it
 * to sizeof the struct before the call (`kpmc_db_info d = {.size = sizeof d};`).
 * The library fills the fields that fit in `size` bytes and sets `size` to
 * the bytes it filled, so that a program built against these headers keeps
 * working with a later library whose structs have grown, and a program built
 * against later headers learns which fields an older library filled.  A
 * size below the struct of the first release that had the field (this one)
 * is refused with KPMC_E_INVAL.  No public struct has room for a fixed
 * number of counters: plans and groups are opaque, read through accessors.
 *
 * Ids are positions in sorted tables, so a catalog generated from other
 * databases (a Mac's own /usr/share/kpep) numbers them differently.  The
 * functions that act on ids (kpmc_ev_resolve, kpmc_generic_resolve,
 * kpmc_plan_build, kpmc_plan_build_kernel, kpmc_plan_event_counters,
 * kpmc_set_new_ev, kpmc_set_new_db, kpmc_groups_build_db,
 * kpmc_metric_bind) are therefore macros that pass KPMC_CATALOG_DIGEST, the
 * digest of the headers the caller was compiled with (defined in
 * <kpmc/events.h>, which every header that names ids includes), to a
 * function of the same name ending in _v.  That function fails with
 * KPMC_E_CATALOG (kpmc_metric_bind, which answers 1 or 0, with 0) when the
 * digest is not the library's (kpmc_catalog_digest()) and, where the call
 * has a detail (a detail buffer, the session's), says "compiled against
 * catalog 0x..., this library has catalog 0x...: rebuild the program
 * against this kpmc's headers".  Name-based functions, and those that describe an id
 * (kpmc_db_at, kpmc_event_get, kpmc_event_name, kpmc_ev_name,
 * kpmc_generic_get, ...) and so name what they describe, are not checked:
 * a program that uses only names runs with any catalog.  A function
 * pointer takes the _v function, called with KPMC_CATALOG_DIGEST.
 *
 * Besides Apple's databases the catalog holds two tables of kpmc's own,
 * read by the generator from catalog/tables/: generic events (portable
 * names such as "cycles" and "branch-misses" and the event that counts each
 * in each database, per counting mode) and the chips of each CPU family
 * ("M1 Pro" is a14), so that a chip names its database wherever a database
 * name is accepted.
 */
#ifndef KPMC_CATALOG_H
#define KPMC_CATALOG_H

#include <stddef.h>
#include <stdint.h>

#include <kpmc/error.h>
#include <kpmc/export.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kpmc_db kpmc_db;

/* Architectures (the plist's `architecture` string). */
enum kpmc_arch { KPMC_ARCH_ARM64 = 1, KPMC_ARCH_X86_64 = 2 };

/* Which optional keys a database's plist gave (kpmc_db_info.has). */
enum {
    KPMC_DB_HAS_INTERNAL = 1u << 0,
    KPMC_DB_HAS_POWER_COUNTERS = 1u << 1
};

typedef struct kpmc_db_info {
    size_t size;                /* sizeof(kpmc_db_info), set by the caller */
    const char *name;           /* `name`, e.g. "a14" */
    const char *marketing_name; /* `system.cpu.marketing_name` */
    const char *architecture;   /* `system.cpu.architecture`, e.g. "arm64" */
    const char *source;         /* the plist's file name, e.g. "a14.plist" */
    const uint8_t *sha256;      /* 32 bytes: SHA-256 of that file */
    int arch;                   /* enum kpmc_arch */
    unsigned has;               /* KPMC_DB_HAS_* */
    int internal;               /* `internal` (0/1) when has & KPMC_DB_HAS_INTERNAL */
    unsigned n_version;         /* number of `version` components (1 or 2) */
    unsigned version[2];        /* `version`, e.g. {1, 0} */
    uint32_t fixed_counters;    /* masks over global counter indices, */
    uint32_t config_counters;   /*   fixed counters first */
    uint32_t power_counters;    /* 0 when absent */
    size_t n_events;
    size_t n_aliases;
    size_t n_families;          /* CPU families whose cpu_* link names it */
    const char *chips;          /* the chips of those families, oldest first,
                                   e.g. "M3 Pro, M3 Max"; NULL when unknown */
} kpmc_db_info;

/* Which keys an event's plist entry gave (kpmc_event_info.has). */
enum {
    KPMC_HAS_NUMBER = 1u << 0,
    KPMC_HAS_DESCRIPTION = 1u << 1,
    KPMC_HAS_UMASK = 1u << 2,
    KPMC_HAS_OTHER = 1u << 3,
    KPMC_HAS_COUNTERS_MASK = 1u << 4,
    KPMC_HAS_FIXED_COUNTER = 1u << 5,
    KPMC_HAS_FALLBACK = 1u << 6
};

/* Inconsistencies the generator found in the database (kpmc_event_info.flags).
 * An event with any of these set is not programmed on its fixed counter: the
 * runtime uses its fallback, or refuses it with KPMC_E_UNAVAILABLE. */
enum {
    /* fixed_counter is not one of the database's fixed_counters */
    KPMC_EVF_FIXED_OUTSIDE = 1u << 0,
    /* another fixed event claims the same fixed counter while some fixed
     * counter is claimed by none: one of them names the wrong counter
     * (events already flagged FIXED_OUTSIDE or FIXED_MASK claim nothing) */
    KPMC_EVF_FIXED_SHARED = 1u << 1,
    /* counters_mask is not the single bit of fixed_counter */
    KPMC_EVF_FIXED_MASK = 1u << 2
};

typedef struct kpmc_event_info {
    size_t size;             /* sizeof(kpmc_event_info), set by the caller */
    const char *name;
    const char *description; /* NULL when the plist gives none */
    const char *fallback;    /* NULL when the plist gives none */
    unsigned index;          /* this event's index in its database */
    unsigned has;            /* KPMC_HAS_* */
    unsigned flags;          /* KPMC_EVF_* */
    unsigned number;         /* `number`: the selector (16 bits) */
    unsigned umask;          /* `umask` (Intel, 8 bits) */
    unsigned other;          /* `other` (Intel PERFEVTSEL bits 16-31) */
    unsigned fixed_counter;  /* `fixed_counter` when has & KPMC_HAS_FIXED_COUNTER */
    uint32_t counters_mask;  /* `counters_mask` as given, 0 when absent */
    uint32_t counters;       /* counters it may use: counters_mask; when
                                absent, the bit of fixed_counter for a fixed
                                event, else the database's config_counters */
    int portable;            /* its KPMC_EV_* id */
    int fallback_index;      /* index of the fallback event, or -1 */
    size_t n_aliases;        /* database aliases that name this event */
} kpmc_event_info;

/* One cpu_<type>_<subtype>_<family>.plist link of the input folder. */
typedef struct kpmc_family_info {
    size_t size;         /* sizeof(kpmc_family_info), set by the caller */
    uint32_t cputype;    /* hw.cputype, e.g. 0x100000c */
    uint32_t cpusubtype; /* hw.cpusubtype, e.g. 2 */
    uint32_t family;     /* hw.cpufamily, e.g. 0x1b588bb3 */
    const kpmc_db *db;
    const char *chips;    /* "A14, M1, M1 Pro, M1 Max, M1 Ultra"; NULL when unknown */
    const char *codename; /* "Firestorm/Icestorm"; NULL when unknown */
} kpmc_family_info;

/* ---- databases ---- */

KPMC_API size_t kpmc_db_count(void);
/* NULL when i >= kpmc_db_count(); databases are sorted by name. */
KPMC_API const kpmc_db *kpmc_db_at(size_t i);
/* Its position in kpmc_db_at() order, i.e. its KPMC_DB_* id. */
KPMC_API size_t kpmc_db_id(const kpmc_db *db);
/* By `name`, case-insensitively ("a14", "ICELAKE"), else by the name of a
 * chip that uses it ("M1 Pro", "m2", "A17 Pro", "Coffee Lake"; case, spaces,
 * '-' and '_' do not matter); NULL if none (kpmc_suggest_db says what was
 * probably meant). */
KPMC_API const kpmc_db *kpmc_db_find(const char *name);
/* By hw.cpufamily; NULL if no link names that family. */
KPMC_API const kpmc_db *kpmc_db_for_family(uint32_t family);
/* By a kpc_cpu_string()-style string, "cpu_100000c_2_1b588bb3", with or
 * without a trailing "_<model>" and a ".plist" suffix; cputype, subtype and
 * family must all match a link.  NULL if none or malformed. */
KPMC_API const kpmc_db *kpmc_db_for_cpu_string(const char *s);
KPMC_API const char *kpmc_db_name(const kpmc_db *db);
KPMC_API int kpmc_db_get(const kpmc_db *db, kpmc_db_info *out);
/* The k-th family of db (0 <= k < n_families), sorted by family number. */
KPMC_API int kpmc_db_family(const kpmc_db *db, size_t k, kpmc_family_info *out);
/* The k-th alias of db, sorted by alias name: its name and the index of the
 * event it names. */
KPMC_API int kpmc_db_alias(const kpmc_db *db, size_t k, const char **alias, unsigned *event);

/* ---- events ---- */

/* Index of the event called `name` in db, or of the event an alias of that
 * name points to; ASCII case-insensitive.  KPMC_E_NOEVENT if none. */
KPMC_API int kpmc_event_find(const kpmc_db *db, const char *name);
/* The same for a name that is not NUL-terminated. */
KPMC_API int kpmc_event_find_n(const kpmc_db *db, const char *name, size_t len);
KPMC_API int kpmc_event_get(const kpmc_db *db, unsigned index, kpmc_event_info *out);
KPMC_API const char *kpmc_event_name(const kpmc_db *db, unsigned index);
/* The k-th alias naming event `index` (0 <= k < n_aliases), else NULL. */
KPMC_API const char *kpmc_event_alias(const kpmc_db *db, unsigned index, size_t k);

/* ---- portable ids (KPMC_EV_*) ---- */

/* KPMC_EV_COUNT: one id per distinct name or alias over all databases,
 * compared case-insensitively. */
KPMC_API size_t kpmc_ev_count(void);
KPMC_API const char *kpmc_ev_name(int ev);
/* Id of a name or alias, ASCII case-insensitive; KPMC_E_NOEVENT if no
 * database has it. */
KPMC_API int kpmc_ev_find(const char *name);
KPMC_API int kpmc_ev_find_n(const char *name, size_t len);
/* Index in db of the event a portable id names there (directly or through
 * an alias of db); KPMC_E_NOEVENT if db has none, KPMC_E_INVAL if ev is not
 * an id, KPMC_E_CATALOG if the caller's headers are another catalog's.
 * kpmc_ev_resolve(db, ev) calls kpmc_ev_resolve_v(KPMC_CATALOG_DIGEST, db, ev). */
KPMC_API int kpmc_ev_resolve_v(uint64_t catalog, const kpmc_db *db, int ev);
#define kpmc_ev_resolve(...) kpmc_ev_resolve_v(KPMC_CATALOG_DIGEST, __VA_ARGS__)

/* ---- generic events (KPMC_GEN_*) ---- */

/* A generic event: a portable name for something worth counting, mapped in
 * each database to the event that counts it faithfully, for each counting
 * mode (in user mode an event a configurable counter counts: a14's cycles
 * are FIXED_CYCLES in all mode and CORE_ACTIVE_CYCLE in user mode).  Where a
 * database has no faithful event the mapping is empty, never an
 * approximation the table does not note.  Ids are positions in the table,
 * named by <kpmc/generic.h>.  kpmc_plan_build_names, kpmc_set_new and kpmc
 * check accept generic names (case-insensitively) like event names,
 * resolved in the set's mode.  No database has an event of a generic name
 * (the generator refuses one); an alias of the same name, such as a14's
 * Cycles, names the same event in all mode and yields to the generic event
 * in user mode (Cycles is then CORE_ACTIVE_CYCLE, not the refused
 * FIXED_CYCLES).  Where the generic event has no event in that mode, the
 * alias is used. */
typedef struct kpmc_generic_info {
    size_t size;             /* sizeof(kpmc_generic_info), set by the caller */
    const char *name;        /* e.g. "branch-misses" */
    const char *description; /* what it counts */
} kpmc_generic_info;

/* KPMC_GEN_COUNT. */
KPMC_API size_t kpmc_generic_count(void);
/* NULL when id is not a generic event id. */
KPMC_API const char *kpmc_generic_name(int id);
KPMC_API int kpmc_generic_get(int id, kpmc_generic_info *out);
/* Id of a generic name, ASCII case-insensitive; KPMC_E_NOEVENT if none. */
KPMC_API int kpmc_generic_find(const char *name);
KPMC_API int kpmc_generic_find_n(const char *name, size_t len);
/* Index in db of the event that counts generic event id in `mode`
 * (KPMC_MODE_ALL = 0 or KPMC_MODE_USER = 1, <kpmc/kpmc.h>).  KPMC_E_NOEVENT
 * when db has no faithful event for it in that mode; KPMC_E_INVAL for a bad
 * db, id or mode; KPMC_E_CATALOG for ids of another catalog's headers.
 * kpmc_generic_resolve(db, id, mode) calls
 * kpmc_generic_resolve_v(KPMC_CATALOG_DIGEST, db, id, mode). */
KPMC_API int kpmc_generic_resolve_v(uint64_t catalog, const kpmc_db *db, int id, int mode);
#define kpmc_generic_resolve(...) kpmc_generic_resolve_v(KPMC_CATALOG_DIGEST, __VA_ARGS__)
/* The table's note on db's mapping of id (how the event differs from the
 * description, or why there is none), or NULL. */
KPMC_API const char *kpmc_generic_note(const kpmc_db *db, int id);

/* ---- chips ---- */

typedef struct kpmc_chip_info {
    size_t size;      /* sizeof(kpmc_chip_info), set by the caller */
    const char *name; /* e.g. "M1 Pro" */
    uint32_t family;  /* its hw.cpufamily */
    const kpmc_db *db;
} kpmc_chip_info;

/* Every chip name of the families the catalog's links name. */
KPMC_API size_t kpmc_chip_count(void);
/* Oldest chip first within each architecture (the chip table's order);
 * KPMC_E_INVAL when i >= kpmc_chip_count(). */
KPMC_API int kpmc_chip_at(size_t i, kpmc_chip_info *out);

/* ---- did you mean ---- */

/* For a name that kpmc_plan_build_names refused on db: writes into buf
 * (NUL-terminated, cut to len bytes) what was probably meant and returns
 * the length of that text, 0 when there is nothing to suggest.  An event of
 * the other architecture, or of other databases, is named as such, with
 * the generic event that counts it and its event in db for `mode`
 * ("INST_RETIRED.ANY is an Intel event; on a14: instructions (INST_ALL)");
 * otherwise the closest event names, aliases and generic names by edit
 * distance ("did you mean INST_ALL or INST_LDST?"). */
KPMC_API size_t kpmc_suggest_event(const kpmc_db *db, const char *name, int mode, char *buf, size_t len);
/* The same for a name kpmc_db_find refused: the closest database and chip
 * names ("did you mean M1 (a14)?"). */
KPMC_API size_t kpmc_suggest_db(const char *name, char *buf, size_t len);

/* ---- the family map ---- */

KPMC_API size_t kpmc_family_count(void);
/* Sorted by family number. */
KPMC_API int kpmc_family_at(size_t i, kpmc_family_info *out);

/* ---- provenance ---- */

/* The generator version that wrote the catalog, e.g. "kpmc-gen 0.1.0". */
KPMC_API const char *kpmc_catalog_generator(void);
/* The digest of this library's catalog: KPMC_CATALOG_DIGEST of the headers
 * generated with it (README "Versions and ABI" defines it). */
KPMC_API uint64_t kpmc_catalog_digest(void);

#ifdef __cplusplus
}
#endif

#endif
