/* Uses the installed headers (hand-written and generated) and library:
 * exits 0 when a compile-time id, a name lookup and a portable id agree. */
#include <stdio.h>

#include <kpmc/db/all.h>
#include <kpmc/kpmc.h>

int main(void)
{
    const kpmc_db *db = kpmc_db_at(KPMC_DB_A14);
    int by_name = kpmc_event_find(db, "inst_all");
    int by_ev = kpmc_ev_resolve(db, KPMC_EV_INST_ALL);
    printf("%s: KPMC_A14_INST_ALL %d, by name %d, by portable id %d\n", kpmc_db_name(db), KPMC_A14_INST_ALL,
           by_name, by_ev);
    return by_name == KPMC_A14_INST_ALL && by_ev == KPMC_A14_INST_ALL ? 0 : 1;
}
