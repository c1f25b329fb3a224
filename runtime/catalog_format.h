/* kpmc — layout of the generated catalog.
 *
 * This header is the contract between the writer, kpmc-gen (gen/emit.c), and
 * the reader, the runtime (runtime/catalog.c).  The generated
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

#define KPMC_CATALOG_FORMAT 3

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

#endif
