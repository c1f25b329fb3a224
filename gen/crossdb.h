/* kpmc-gen: the work across databases once every file is read. */
#ifndef KPMC_GEN_CROSSDB_H
#define KPMC_GEN_CROSSDB_H

#include "model.h"

/* Sort, check names and identifiers across databases, resolve links,
 * assign portable ids, find inconsistencies.  0 on success, -1 after
 * reporting errors. */
int model_finish(struct gen_catalog *cat);

#endif
