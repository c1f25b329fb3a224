/* kpmc-gen: SHA-256 (FIPS 180-4) of a byte string. */
#ifndef KPMC_GEN_SHA256_H
#define KPMC_GEN_SHA256_H

#include <stddef.h>
#include <stdint.h>

void sha256(const void *data, size_t len, uint8_t out[32]);

#endif
