/* The catalog digest check of the functions that take ids
 * (include/kpmc/catalog.h, "Ids are positions in sorted tables"). */
#ifndef KPMC_RUNTIME_DIGEST_H
#define KPMC_RUNTIME_DIGEST_H

#include <stddef.h>
#include <stdint.h>

/* 0 when `catalog` (the caller's KPMC_CATALOG_DIGEST) is this library's
 * digest; else KPMC_E_CATALOG, and detail (when not NULL and detail_len > 0)
 * says which digest is whose, cut to detail_len bytes. */
int kpmc_cat_digest_check(uint64_t catalog, char *detail, size_t detail_len);

#endif
