/* Structs the library fills for the caller: they begin with `size_t size`
 * (<kpmc/catalog.h> states the convention).  Internal. */
#ifndef KPMC_RUNTIME_OUTSTRUCT_H
#define KPMC_RUNTIME_OUTSTRUCT_H

#include <stddef.h>

/* Bytes of `type` up to and including `field`: the least size accepted for
 * a struct whose first release ended with that field. */
#define KPMC_SIZE_TO(type, field) (offsetof(type, field) + sizeof(((type *)0)->field))

/* Whether out (a struct beginning with size_t size) may be filled: not
 * NULL, and its size at least min_size. */
int kpmc_out_ok(const void *out, size_t min_size);
/* Copy the library's full struct into out, as much as out's size holds,
 * and set out's size to the bytes copied.  KPMC_E_INVAL when
 * !kpmc_out_ok(out, min_size), changing nothing. */
int kpmc_out_fill(void *out, const void *full, size_t full_size, size_t min_size);

#endif
