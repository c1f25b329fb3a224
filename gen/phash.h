/* kpmc-gen: building the perfect hash of catalog_format.h over the
 * case-folded portable names. */
#ifndef KPMC_GEN_PHASH_H
#define KPMC_GEN_PHASH_H

#include <stddef.h>
#include <stdint.h>

struct phash {
    uint32_t seed, n_buckets, n_slots;
    uint16_t *disp;  /* n_buckets */
    uint16_t *slots; /* n_slots: key index or KPMC_CAT_NONE */
};

/* 0 on success (tables in the arena); -1 if no seed worked (reported). */
int phash_build(const char *const *keys, size_t n, struct phash *out);

#endif
