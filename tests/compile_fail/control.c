/* The control for misspelled.c: the same file with the right name, which
 * must compile, so that the misspelling is what makes the other one fail. */
#include <kpmc/catalog.h>
#include <kpmc/db/a14.h>
#include <kpmc/events.h>

int main(void)
{
    return kpmc_event_find(kpmc_db_at(KPMC_DB_A14), "INST_ALL") == KPMC_A14_INST_ALL;
}
