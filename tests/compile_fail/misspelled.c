/* Must not compile: KPMC_A14_INST_AL is a misspelling of KPMC_A14_INST_ALL,
 * and the generated headers make event names compile-time identifiers. */
#include <kpmc/catalog.h>
#include <kpmc/db/a14.h>
#include <kpmc/events.h>

int main(void)
{
    return kpmc_event_find(kpmc_db_at(KPMC_DB_A14), "INST_ALL") == KPMC_A14_INST_AL;
}
