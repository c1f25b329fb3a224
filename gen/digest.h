/* kpmc-gen: the catalog digest (KPMC_CATALOG_DIGEST, kpmc_catalog_digest). */
#ifndef KPMC_GEN_DIGEST_H
#define KPMC_GEN_DIGEST_H

#include <stdint.h>

#include "model.h"
#include "tables.h"

/* The digest of every id the generated headers number: the first 8 bytes,
 * big-endian, of the SHA-256 of one line "IDENTIFIER VALUE\n" per enumerator
 * of <kpmc/events.h>, <kpmc/generic.h> and <kpmc/db/NAME.h> (databases,
 * portable ids, generic ids, each database's events and aliases, the
 * *_COUNT values), the lines sorted bytewise.  Names and their order are all
 * it covers: descriptions, selectors and chips do not change it. */
uint64_t catalog_digest(const struct gen_catalog *cat, const struct gen_tables *t);

#endif
