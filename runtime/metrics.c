/* Derived metrics: the table of runtime/metrics.def and the binding of its
 * inputs to measured events. */
#include <kpmc/measure.h>

#include <string.h>

#include <kpmc/kpmc.h>

#include "digest.h"
#include "groups.h"
#include "outstruct.h"

static const kpmc_metric_info metrics[] = {
#define KPMC_METRIC(name, description, numerator, denominator, scale) \
    {sizeof(kpmc_metric_info), name, description, numerator, denominator, scale},
#include "metrics.def"
#undef KPMC_METRIC
};

size_t kpmc_metric_count(void)
{
    return sizeof metrics / sizeof metrics[0];
}

int kpmc_metric_at(size_t i, kpmc_metric_info *out)
{
    if (i >= kpmc_metric_count())
        return KPMC_E_INVAL;
    return kpmc_out_fill(out, &metrics[i], sizeof metrics[i], KPMC_SIZE_TO(kpmc_metric_info, scale));
}

/* The first name of `names` ('|'-separated) that counts one of counted[]:
 * the event it names, or the one kpc counts for it (its fallback; an
 * unprivileged session counts the event itself where kpc would count the
 * fallback, as skylake's cycles). */
static int bind(const char *names, const kpmc_db *db, int mode, const unsigned *counted, size_t n, size_t *pos)
{
    while (*names) {
        char name[64];
        size_t len = strcspn(names, "|");
        if (len < sizeof name) {
            memcpy(name, names, len);
            name[len] = '\0';
            const char *one = name;
            kpmc_plan p;
            if (kpmc_plan_build_names(&p, db, &one, 1, mode, NULL, 0) == 0)
                for (size_t k = 0; k < n; k++)
                    if (counted[k] == p.events[0].resolved || counted[k] == p.events[0].requested) {
                        *pos = k;
                        return 1;
                    }
        }
        names += len + (names[len] == '|');
    }
    return 0;
}

int kpmc_metric_bind_v(uint64_t catalog, size_t i, const kpmc_db *db, int mode, const unsigned *counted, size_t n,
                       size_t *numerator, size_t *denominator)
{
    return !kpmc_cat_digest_check(catalog, NULL, 0) && i < kpmc_metric_count() && bind(metrics[i].numerator, db, mode, counted, n, numerator) &&
           bind(metrics[i].denominator, db, mode, counted, n, denominator);
}
