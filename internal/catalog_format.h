/* kpmc — layout of the generated catalog.
 *
 * This header is the contract between the writer, kpmc-gen (gen/layout.c,
 * gen/emit.c), and the reader, the runtime (runtime/catalog.c).  The generated
 * catalog/catalog_data.c defines the objects declared at the end; nothing
 * else includes it.
 *
 * No record holds a pointer: strings are offsets into one pool and tables
 * refer to each other by index, so the catalog needs no relocations however
 * many events it holds.
 */
#ifndef KPMC_CATALOG_FORMAT_H
#define KPMC_CATALOG_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "ascii.h"

#define KPMC_CATALOG_FORMAT 5

/* "no such entry" in a uint16_t index field */
#define KPMC_CAT_NONE 0xFFFFu

/* One distinct event row.  Rows that are identical in every field across
 * databases (a16 and as1, skylake and kabylake) are stored once; each
 * database has its own sorted list of row indices (kpmc_cat_db_events).
 * Rows are sorted by portable id: the rows of id p are
 * kpmc_cat_pid_rows[p] .. kpmc_cat_pid_rows[p + 1] - 1, so a database's row
 * list is ascending and the row of id p in it is found by a binary search
 * over row indices alone. */
struct kpmc_cat_event {
    uint16_t pid;           /* portable id of the name */
    uint16_t name;          /* pool offset of the name as this database spells it */
    uint32_t description;   /* pool offset (valid when has & KPMC_HAS_DESCRIPTION) */
    uint16_t number;        /* selector */
    uint16_t other;         /* Intel PERFEVTSEL bits 16-31 */
    uint16_t counters_mask; /* as given; 0 when absent */
    uint16_t fallback;      /* portable id of the fallback, or KPMC_CAT_NONE */
    uint8_t umask;
    uint8_t fixed_counter;
    uint8_t has;   /* KPMC_HAS_* (include/kpmc/catalog.h) */
    uint8_t flags; /* KPMC_EVF_* */
};

struct kpmc_cat_alias {
    uint16_t name;  /* pool offset */
    uint16_t pid;   /* portable id of the alias name */
    uint16_t event; /* index of the target in its database's table */
};

struct kpmc_cat_db {
    uint16_t name;           /* pool offsets */
    uint16_t marketing_name;
    uint16_t architecture;
    uint16_t source;         /* file name, e.g. "a14.plist" */
    uint8_t arch;            /* enum kpmc_arch */
    uint8_t has;             /* KPMC_DB_HAS_* */
    uint8_t internal;
    uint8_t n_version;
    uint16_t version[2];
    uint16_t fixed_counters;
    uint16_t config_counters;
    uint16_t power_counters;
    uint16_t events;         /* first entry in kpmc_cat_db_events */
    uint16_t n_events;
    uint16_t aliases;        /* first entry in kpmc_cat_aliases */
    uint16_t n_aliases;
    uint16_t n_families;     /* entries of kpmc_cat_families naming it */
    uint16_t reserved;       /* 0 */
    uint8_t sha256[32];
};

struct kpmc_cat_family {
    uint32_t family;
    uint32_t cputype;
    uint32_t cpusubtype;
    uint32_t db; /* index in kpmc_cat_dbs */
};

/* Perfect hash over the case-folded portable names:
 *   h = kpmc_name_hash(name, len, seed)
 *   slot = kpmc_slot_of(h, disp[kpmc_bucket_of(h, n_buckets)], n_slots)
 * Both map a 32-bit value x onto [0, n) as x * n >> 32 (no division).
 *   slots[slot] is the only portable id that can have this name (or
 *   KPMC_CAT_NONE); the caller still compares the name. */
struct kpmc_cat_hash {
    uint32_t seed;
    uint32_t n_buckets;
    uint32_t n_slots;
};

/* Up to 8 bytes of s as a little-endian word, whatever the host's order
 * (the generator and the runtime may run on different machines). */
static inline uint64_t kpmc_load8(const char *s, size_t n)
{
    uint64_t x = 0;
    for (size_t i = 0; i < n; i++)
        x |= (uint64_t)(unsigned char)s[i] << (8 * i);
    return x;
}

/* The ASCII letters of the 8 bytes of x in upper case: a byte below 0x80
 * whose low seven bits lie in 'a'..'z' loses 0x20. */
static inline uint64_t kpmc_fold8(uint64_t x)
{
    const uint64_t hi = 0x8080808080808080ull;
    uint64_t low7 = x & ~hi;
    uint64_t ge_a = low7 + 0x1f1f1f1f1f1f1f1full; /* bit 7 set iff byte >= 'a' */
    uint64_t gt_z = low7 + 0x0505050505050505ull; /* bit 7 set iff byte > 'z' */
    uint64_t lower = ge_a & ~gt_z & ~x & hi;
    return x ^ (lower >> 2);
}

/* Hash of the upper-cased name, eight bytes at a time. */
static inline uint64_t kpmc_name_hash(const char *s, size_t n, uint32_t seed)
{
    uint64_t h = (uint64_t)seed ^ ((uint64_t)n * 0x9E3779B97F4A7C15ull);
    for (; n >= 8; s += 8, n -= 8) {
        h = (h ^ kpmc_fold8(kpmc_load8(s, 8))) * 0xff51afd7ed558ccdull;
        h ^= h >> 29;
    }
    if (n) {
        h = (h ^ kpmc_fold8(kpmc_load8(s, n))) * 0xff51afd7ed558ccdull;
        h ^= h >> 29;
    }
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 32;
    return h;
}

static inline uint32_t kpmc_bucket_of(uint64_t h, uint32_t n_buckets)
{
    return (uint32_t)(((h >> 32) * n_buckets) >> 32);
}

static inline uint32_t kpmc_slot_of(uint64_t h, uint32_t disp, uint32_t n_slots)
{
    uint32_t x = (uint32_t)h ^ (disp * 0x9E3779B1u);
    return (uint32_t)(((uint64_t)x * n_slots) >> 32);
}

static inline uint32_t kpmc_name_slot(uint64_t h, const uint16_t *disp,
                                      uint32_t n_buckets, uint32_t n_slots)
{
    return kpmc_slot_of(h, disp[kpmc_bucket_of(h, n_buckets)], n_slots);
}

/* The counters an event may use (kpmc_event_info.counters), one rule for
 * the generator, the library and the command: its counters_mask when the
 * database gives one, else the bit of its fixed counter for a fixed event,
 * else the database's configurable counters. */
static inline uint32_t kpmc_cat_counters(int has_mask, uint32_t counters_mask, int has_fixed, unsigned fixed_counter,
                                         uint32_t config_counters)
{
    if (has_mask)
        return counters_mask;
    if (has_fixed)
        return fixed_counter < 32 ? UINT32_C(1) << fixed_counter : 0;
    return config_counters;
}

/* ---- kpmc's own tables: generic events and chips ---- */

/* "no string" in a uint32_t pool offset field */
#define KPMC_CAT_NO_STRING 0xFFFFFFFFu

/* A generic event (catalog/tables/generic.tsv), in the file's order: its
 * KPMC_GEN_* id is its position. */
struct kpmc_cat_generic {
    uint32_t name;        /* pool offsets */
    uint32_t description;
};

/* kpmc_cat_generic_map[g * kpmc_cat_n_dbs + d]: the events that count
 * generic event g in database d. */
struct kpmc_cat_generic_map {
    uint16_t all;  /* event index in KPMC_MODE_ALL, or KPMC_CAT_NONE */
    uint16_t user; /* event index in KPMC_MODE_USER, or KPMC_CAT_NONE */
    uint32_t note; /* pool offset, or KPMC_CAT_NO_STRING */
};

/* One chip name (catalog/tables/chips.tsv), in the table's order (oldest
 * first), for the families the input's links name. */
struct kpmc_cat_chip {
    uint32_t name;   /* pool offset, e.g. "M1 Pro" */
    uint32_t family; /* hw.cpufamily */
    uint16_t db;     /* index in kpmc_cat_dbs */
    uint16_t rank;   /* row of the chip's family in the table */
};

/* Per entry of kpmc_cat_families: its chips and code name. */
struct kpmc_cat_family_chips {
    uint32_t chips;    /* pool offset of "A14, M1, ...", or KPMC_CAT_NO_STRING */
    uint32_t codename; /* pool offset, or KPMC_CAT_NO_STRING */
};

/* Chip names are compared without regard to ASCII case and to spaces, '-'
 * and '_' inside the name: "M1 Pro", "m1pro" and "M1-PRO" are one chip, " M1"
 * is none.  The generator and the runtime both use this rule. */
static inline int kpmc_chip_skip(int c)
{
    return c == ' ' || c == '-' || c == '_';
}

/* Does name[0..len) name `chip`? */
static inline int kpmc_chip_same_n(const char *chip, const char *name, size_t len)
{
    size_t i = 0;
    if (!len || kpmc_chip_skip((unsigned char)name[0]) || kpmc_chip_skip((unsigned char)name[len - 1]))
        return 0;
    for (;;) {
        while (*chip && kpmc_chip_skip((unsigned char)*chip))
            chip++;
        while (i < len && kpmc_chip_skip((unsigned char)name[i]))
            i++;
        if (!*chip || i == len)
            return !*chip && i == len;
        if (kpmc_ascii_upper((unsigned char)*chip++) != kpmc_ascii_upper((unsigned char)name[i++]))
            return 0;
    }
}

static inline int kpmc_chip_same(const char *chip, const char *name)
{
    size_t len = 0;
    while (name[len])
        len++;
    return kpmc_chip_same_n(chip, name, len);
}

/* ---- the objects catalog/catalog_data.c defines ---- */

extern const char kpmc_cat_pool[];
extern const struct kpmc_cat_event kpmc_cat_events[];
extern const uint16_t kpmc_cat_db_events[];  /* per database, sorted by pid */
extern const struct kpmc_cat_alias kpmc_cat_aliases[]; /* per database, sorted by pid */
extern const struct kpmc_cat_db kpmc_cat_dbs[];
extern const uint16_t kpmc_cat_n_dbs;
extern const struct kpmc_cat_family kpmc_cat_families[]; /* sorted by family */
extern const uint16_t kpmc_cat_n_families;
extern const uint16_t kpmc_cat_pid_names[]; /* pid -> pool offset */
extern const uint8_t kpmc_cat_pid_lengths[]; /* pid -> strlen of its name */
extern const uint16_t kpmc_cat_pid_rows[];  /* pid -> first row; n_pids + 1 entries */
extern const uint16_t kpmc_cat_n_pids;
extern const struct kpmc_cat_hash kpmc_cat_hash;
extern const uint16_t kpmc_cat_hash_disp[];
extern const uint16_t kpmc_cat_hash_slots[];
extern const char kpmc_cat_generator[];
/* KPMC_CATALOG_DIGEST of the headers generated with this catalog (see
 * gen/digest.h): kpmc_catalog_digest(), compared with the caller's. */
extern const uint64_t kpmc_cat_digest;
extern const struct kpmc_cat_generic kpmc_cat_generic[];
extern const uint16_t kpmc_cat_n_generic;
/* The same perfect hash as for portable names, over the generic names:
 * slots hold generic ids. */
extern const struct kpmc_cat_hash kpmc_cat_generic_hash;
extern const uint16_t kpmc_cat_generic_hash_disp[];
extern const uint16_t kpmc_cat_generic_hash_slots[];
extern const struct kpmc_cat_generic_map kpmc_cat_generic_map[]; /* n_generic * n_dbs */
extern const struct kpmc_cat_chip kpmc_cat_chips[];
extern const uint16_t kpmc_cat_n_chips;
extern const struct kpmc_cat_family_chips kpmc_cat_family_chips[]; /* parallel to kpmc_cat_families */
extern const uint32_t kpmc_cat_db_chips[]; /* per database: pool offset of its chips, or KPMC_CAT_NO_STRING */

#endif
