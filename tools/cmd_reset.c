/* kpmc reset: switch kpc counting, thread counting and force_all_ctrs off,
 * for a machine left counting by a client that crashed. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"

static void usage(FILE *f)
{
    fputs("usage: kpmc reset [--kperf PATH]\n"
          "\n"
          "Switch the kernel's counter state off: kpc thread counting, counting and\n"
          "force_all_ctrs back to 0, in that order.  A client that dies while counting\n"
          "leaves counting on with its configuration; this puts the machine back.\n"
          "Needs root (run with sudo).\n"
          "\n"
          "  --kperf PATH  the kperf library to call (default: $KPMC_KPERF_PATH, else\n"
          "                /System/Library/PrivateFrameworks/kperf.framework/kperf)\n"
          "  --help        print this help\n"
          "\n"
          "Exit status: 0 done, 1 failure (not root, kperf missing, a kpc call failed),\n"
          "2 usage error.\n",
          f);
}

/* The library's detail is "a; b; c": one item a line. */
static void print_items(FILE *f, const char *detail)
{
    while (*detail) {
        size_t n = strcspn(detail, ";");
        fprintf(f, "  %.*s\n", (int)n, detail);
        detail += n;
        while (*detail == ';' || *detail == ' ')
            detail++;
    }
}

int kpmc_cmd_reset(int argc, char **argv)
{
    const char *kperf = NULL;
    const struct cli_option opts[] = {{"--kperf", &kperf, NULL}, {NULL, NULL, NULL}};
    int st = cli_parse("reset", argc, argv, opts, usage, NULL, 0, NULL);
    if (st >= 0)
        return st;
    char detail[KPMC_DETAIL_MAX];
    int r = kpmc_reset(kperf, detail, sizeof detail);
    if (r == KPMC_E_PERM || r == KPMC_E_LOAD)
        return cli_error("reset", "%s: %s", kpmc_strerror(r), detail);
    if (r != 0) {
        fprintf(stderr, "kpmc reset: %s:\n", kpmc_strerror(r));
        print_items(stderr, detail);
        return 1;
    }
    puts("kpmc reset: done:");
    print_items(stdout, detail);
    return 0;
}
