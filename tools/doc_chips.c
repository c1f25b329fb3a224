/* Which chips a CPU family stands for, for the documentation pages.  The
 * catalog knows families (hw.cpufamily) but not product names; this table
 * adds them, worded as the README of the kpep snapshot words them, oldest
 * chip first, so that the pages can also order the databases of an
 * architecture by age.  A family missing here is still documented, only
 * without chip names. */
#include "doc_fmt.h"

static const struct {
    uint32_t family;
    const char *chips;
} chips[] = {
    {0x37a09642, "A7 (Cyclone)"},
    {0x2c91a47e, "A8 (Typhoon)"},
    {0x92fb37c8, "A9 (Twister)"},
    {0x67ceee93, "A10 (Hurricane)"},
    {0xe81e7ef6, "A11 (Monsoon/Mistral)"},
    {0x07d34b9f, "A12 (Vortex/Tempest)"},
    {0x462504d2, "A13 (Lightning/Thunder)"},
    {0x1b588bb3, "A14, M1 family (Firestorm/Icestorm)"},
    {0xda33d83d, "A15, M2 family (Avalanche/Blizzard)"},
    {0x8765edea, "A16 (Everest/Sawtooth)"},
    {0xfa33415e, "M3 (Ibiza)"},
    {0x2876f5b5, "A17 Pro (Coll)"},
    {0x5f4dea93, "M3 Pro (Lobos)"},
    {0x72015832, "M3 Max (Palma)"},
    {0x6f5129ac, "M4 (Donan)"},
    {0x1f65e835, "Intel Ivy Bridge"},
    {0x10b282dc, "Intel Haswell"},
    {0x582ed09c, "Intel Broadwell"},
    {0x37fc219f, "Intel Skylake"},
    {0x0f817246, "Intel Kaby Lake (also Coffee Lake)"},
    {0x1cf8a03e, "Intel Comet Lake"},
    {0x38435547, "Intel Ice Lake"},
};
enum { N_CHIPS = sizeof chips / sizeof chips[0] };

const char *doc_family_chips(uint32_t family)
{
    for (size_t i = 0; i < N_CHIPS; i++)
        if (chips[i].family == family)
            return chips[i].chips;
    return NULL;
}

/* Position of the first of db's families in the table, N_CHIPS if none. */
static size_t age_rank(const kpmc_db *db)
{
    kpmc_db_info d;
    size_t best = N_CHIPS;
    kpmc_db_get(db, &d);
    for (size_t k = 0; k < d.n_families; k++) {
        kpmc_family_info fi;
        if (kpmc_db_family(db, k, &fi) != 0)
            continue;
        for (size_t i = 0; i < best; i++)
            if (chips[i].family == fi.family)
                best = i;
    }
    return best;
}

size_t doc_dbs_by_age(int arch, size_t *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < kpmc_db_count() && n < cap; i++) {
        kpmc_db_info d;
        kpmc_db_get(kpmc_db_at(i), &d);
        if (d.arch != arch)
            continue;
        /* Insertion sort by rank; equal ranks keep the catalog's order. */
        size_t rank = age_rank(kpmc_db_at(i)), j = n;
        while (j > 0 && age_rank(kpmc_db_at(out[j - 1])) > rank) {
            out[j] = out[j - 1];
            j--;
        }
        out[j] = i;
        n++;
    }
    return n;
}
