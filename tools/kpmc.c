/* kpmc: the command-line tool.  Dispatches to the subcommands in cmd_*.c. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
};

static const struct command commands[] = {
    {"list", kpmc_cmd_list, "list the events of a database (text, json, md, csv)"},
    {"check", kpmc_cmd_check, "show how a set of events is placed and encoded"},
    {"info", kpmc_cmd_info, "this machine's CPU, database and counters"},
    {"diff", kpmc_cmd_diff, "what changed between two databases"},
    {"doc", kpmc_cmd_doc, "write the event reference as a static HTML site"},
    {"reset", kpmc_cmd_reset, "switch counting off after a client crashed (root)"},
    {"stat", kpmc_cmd_stat, "count a command, its threads and children, like perf stat"},
};

static void usage(FILE *f)
{
    fputs("usage: kpmc COMMAND [OPTIONS]\n"
          "\n"
          "Apple hardware performance counters from a static event catalog.\n"
          "\n"
          "commands:\n",
          f);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fputs("\n'kpmc COMMAND --help' describes a command.\n", f);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("kpmc %s (catalog: %s)\n", kpmc_version_string(), kpmc_catalog_generator());
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "kpmc: unknown command '%s'; valid commands:", argv[1]);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(stderr, " %s", commands[i].name);
    fputs("\nTry 'kpmc --help'.\n", stderr);
    return 2;
}
