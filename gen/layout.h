/* kpmc-gen: the catalog's layout (catalog_format.h) before it is printed:
 * the string pool, the de-duplicated event rows in portable-id order, the
 * two perfect hashes and the pool offset of every string a table names. */
#ifndef KPMC_GEN_LAYOUT_H
#define KPMC_GEN_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "phash.h"
#include "tables.h"
#include "util.h"

/* Strings, each stored once. */
struct pool {
    struct buf text;
    uint32_t *slots; /* offset + 1, 0 = empty */
    size_t n_slots, n;
};

/* Event rows, each distinct row stored once. */
struct rows {
    struct kpmc_cat_event *row;
    const char **label; /* "db NAME" of the first user, for comments */
    size_t n, cap;
    uint32_t *slots; /* index + 1 */
    size_t n_slots;
};

struct layout {
    struct pool pool;
    struct rows rows;         /* sorted by portable id */
    uint16_t *db_events;      /* per database, row indices */
    size_t n_entries;         /* of db_events */
    uint32_t *pid_name;       /* pool offsets */
    uint32_t *pid_rows;       /* first row of each portable id, and the end */
    uint32_t *db_str;         /* 4 per database: name, marketing, architecture, source */
    uint32_t **alias_name;    /* per database */
    struct phash pid_hash;    /* over the folded portable names */
    /* kpmc's own tables (tables.h), pool offsets */
    uint32_t *generic_str;    /* 2 per generic event: name, description */
    uint32_t *map_note;       /* per generic event and database */
    uint32_t *chip_name;      /* per chip of every family row */
    uint32_t *family_str;     /* 2 per link: chips, code name */
    uint32_t *db_chips;       /* per database */
    struct phash generic_hash; /* over the folded generic names */
};

/* 0 on success; -1 after reporting errors (limits exceeded, no hash).
 * layout_free() in either case. */
int layout_build(const struct gen_catalog *cat, const struct gen_tables *t, struct layout *L);
void layout_free(struct layout *L);

#endif
