/* The documentation commands of kpmc (list, diff, doc) linked with the golden
 * fixture catalog of tests/data/golden instead of the real one, so that the
 * doc tests also run over small invented databases: odd names, no aliases,
 * no fixed counters, one configurable counter, every KPMC_EVF_* marker. */
#include <stdio.h>
#include <string.h>

#include "commands.h"

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(int argc, char **argv);
    } commands[] = {
        {"list", kpmc_cmd_list},
        {"diff", kpmc_cmd_diff},
        {"doc", kpmc_cmd_doc},
    };
    for (size_t i = 0; argc > 1 && i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    fputs("usage: kpmc_doc_fixture list|diff|doc [OPTIONS]\n", stderr);
    return 2;
}
