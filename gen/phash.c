/* kpmc-gen: hash-and-displace perfect hash.  Keys are spread over buckets by
 * the high half of the hash; buckets are placed largest first, each with the
 * smallest displacement that puts all its keys in free slots.  Seeds are
 * tried in order, so the result depends on the keys alone. */
#include "phash.h"

#include <stdlib.h>
#include <string.h>

#include "catalog_format.h"
#include "util.h"

struct bucket {
    uint32_t index;
    uint32_t size;
    uint32_t first; /* into the key order */
};

static int cmp_bucket(const void *a, const void *b)
{
    const struct bucket *x = a, *y = b;
    if (x->size != y->size)
        return x->size > y->size ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

static int try_seed(const char *const *keys, size_t n, uint32_t seed, struct phash *h, uint64_t *hashes,
                    uint32_t *order, struct bucket *buckets, uint32_t *tmp)
{
    uint32_t nb = h->n_buckets, ns = h->n_slots;
    for (uint32_t b = 0; b < nb; b++)
        buckets[b] = (struct bucket){b, 0, 0};
    for (size_t i = 0; i < n; i++) {
        hashes[i] = kpmc_name_hash(keys[i], strlen(keys[i]), seed);
        buckets[kpmc_bucket_of(hashes[i], nb)].size++;
    }
    uint32_t pos = 0;
    for (uint32_t b = 0; b < nb; b++) {
        buckets[b].first = pos;
        pos += buckets[b].size;
        buckets[b].size = 0;
    }
    for (size_t i = 0; i < n; i++) {
        struct bucket *bk = &buckets[kpmc_bucket_of(hashes[i], nb)];
        order[bk->first + bk->size++] = (uint32_t)i;
    }
    qsort(buckets, nb, sizeof *buckets, cmp_bucket);
    for (uint32_t s = 0; s < ns; s++)
        h->slots[s] = KPMC_CAT_NONE;
    for (uint32_t b = 0; b < nb && buckets[b].size; b++) {
        const struct bucket *bk = &buckets[b];
        uint32_t d;
        for (d = 0; d < 0x10000; d++) {
            uint32_t k;
            for (k = 0; k < bk->size; k++) {
                uint64_t hv = hashes[order[bk->first + k]];
                uint32_t s = kpmc_slot_of(hv, d, ns);
                if (h->slots[s] != KPMC_CAT_NONE)
                    break;
                uint32_t j;
                for (j = 0; j < k && tmp[j] != s; j++)
                    ;
                if (j < k)
                    break;
                tmp[k] = s;
            }
            if (k == bk->size)
                break;
        }
        if (d == 0x10000)
            return -1;
        h->disp[bk->index] = (uint16_t)d;
        for (uint32_t k = 0; k < bk->size; k++)
            h->slots[tmp[k]] = (uint16_t)order[bk->first + k];
    }
    h->seed = seed;
    return 0;
}

int phash_build(const char *const *keys, size_t n, struct phash *out)
{
    out->n_buckets = (uint32_t)(n / 4 + 1);
    out->n_slots = (uint32_t)(n + n / 4 + 1);
    out->disp = gen_alloc(out->n_buckets * sizeof *out->disp);
    out->slots = gen_alloc(out->n_slots * sizeof *out->slots);
    uint64_t *hashes = malloc((n + 1) * sizeof *hashes);
    uint32_t *order = malloc((n + 1) * sizeof *order);
    uint32_t *tmp = malloc((n + 1) * sizeof *tmp);
    struct bucket *buckets = malloc(out->n_buckets * sizeof *buckets);
    int rc = -1;
    if (hashes && order && tmp && buckets)
        for (uint32_t seed = 0; seed < 1000 && rc; seed++) {
            memset(out->disp, 0, out->n_buckets * sizeof *out->disp);
            rc = try_seed(keys, n, seed, out, hashes, order, buckets, tmp);
        }
    free(hashes);
    free(order);
    free(tmp);
    free(buckets);
    if (rc)
        gen_error(NULL, 0, "no perfect hash found for %zu names", n);
    return rc;
}
