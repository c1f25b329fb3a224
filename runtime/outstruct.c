/* Structs the library fills for the caller (outstruct.h). */
#include "outstruct.h"

#include <string.h>

#include <kpmc/error.h>

int kpmc_out_ok(const void *out, size_t min_size)
{
    size_t have;
    if (!out)
        return 0;
    memcpy(&have, out, sizeof have);
    return have >= min_size;
}

int kpmc_out_fill(void *out, const void *full, size_t full_size, size_t min_size)
{
    if (!kpmc_out_ok(out, min_size))
        return KPMC_E_INVAL;
    size_t have;
    memcpy(&have, out, sizeof have);
    size_t n = have < full_size ? have : full_size;
    memcpy(out, full, n);
    memcpy(out, &n, sizeof n);
    return 0;
}
