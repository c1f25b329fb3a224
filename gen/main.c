/* kpmc-gen: kpep plists → the kpmc catalog (C sources).
 *
 *   kpmc-gen [--out DIR] [--check] [--quiet] [--stats] [--generic FILE] [--chips FILE] INPUT...
 *
 * INPUT is a folder of kpep plists (every *.plist is a database, every
 * cpu_<type>_<subtype>_<family>.plist a link naming one) or plist files.
 * Exit: 0 success, 1 invalid input (or --check found a difference),
 * 2 usage error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crossdb.h"
#include "emit.h"
#include "input.h"
#include "tables.h"
#include "output.h"
#include "plist.h"
#include "util.h"

static void usage(FILE *f)
{
    fputs("usage: kpmc-gen [--out DIR] [--check] [--quiet] [--stats] [--generic FILE]\n"
          "                [--chips FILE] INPUT...\n"
          "\n"
          "Generate the kpmc catalog (C sources) from kpep event databases.\n"
          "\n"
          "INPUT is a folder of kpep plists, such as /usr/share/kpep, or plist files.\n"
          "Every *.plist is a database; every cpu_<type>_<subtype>_<family>.plist is a\n"
          "link (symbolic link, file holding the target's name, or copy) that maps a\n"
          "CPU family to a database.\n"
          "\n"
          "  --out DIR   write catalog_data.c and include/kpmc/... under DIR\n"
          "              (default: catalog); all files or none are written, and\n"
          "              a second run into DIR waits until the first is done\n"
          "  --check     compare with the files under DIR instead of writing;\n"
          "              exit 1 if any differs\n"
          "  --quiet     do not print warnings\n"
          "  --stats     print the catalog's sizes\n"
          "  --generic FILE  the generic-event table (catalog/tables/generic.tsv);\n"
          "              without it the catalog has no generic events\n"
          "  --chips FILE    the chip table (catalog/tables/chips.tsv); without it\n"
          "              the catalog names no chips\n"
          "  --version   print the version\n"
          "  --help      print this help\n"
          "\n"
          "Exit status: 0 success, 1 invalid input or a difference (--check),\n"
          "2 usage error.\n",
          f);
}

int main(int argc, char **argv)
{
    const char *out = "catalog";
    const char *generic = NULL, *chips = NULL;
    int check = 0, stats = 0;
    char **inputs = calloc((size_t)argc + 1, sizeof *inputs);
    int n_inputs = 0;
    if (!inputs)
        return 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            free(inputs);
            return 0;
        } else if (!strcmp(a, "--version")) {
            puts("kpmc-gen " KPMC_GEN_VERSION);
            free(inputs);
            return 0;
        } else if (!strcmp(a, "--out")) {
            if (i + 1 >= argc) {
                fputs("kpmc-gen: --out needs a folder\nTry 'kpmc-gen --help'.\n", stderr);
                free(inputs);
                return 2;
            }
            out = argv[++i];
        } else if (!strncmp(a, "--out=", 6)) {
            out = a + 6;
        } else if (!strcmp(a, "--generic") || !strcmp(a, "--chips")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "kpmc-gen: %s needs a file\nTry 'kpmc-gen --help'.\n", a);
                free(inputs);
                return 2;
            }
            *(a[2] == 'g' ? &generic : &chips) = argv[++i];
        } else if (!strcmp(a, "--check")) {
            check = 1;
        } else if (!strcmp(a, "--quiet")) {
            gen_quiet = 1;
        } else if (!strcmp(a, "--stats")) {
            stats = 1;
        } else if (!strcmp(a, "--")) {
            while (++i < argc)
                inputs[n_inputs++] = argv[i];
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "kpmc-gen: unknown option '%s'\nTry 'kpmc-gen --help'.\n", a);
            free(inputs);
            return 2;
        } else {
            inputs[n_inputs++] = argv[i];
        }
    }
    if (!n_inputs) {
        fputs("kpmc-gen: no input; name a folder of kpep plists or plist files\nTry 'kpmc-gen --help'.\n", stderr);
        free(inputs);
        return 2;
    }
    if (!*out) {
        fputs("kpmc-gen: --out needs a folder\nTry 'kpmc-gen --help'.\n", stderr);
        free(inputs);
        return 2;
    }

    plist_init();
    struct gen_catalog cat = {0};
    struct gen_tables tables;
    struct emit_result result = {0};
    int rc = 1;
    if (input_read(inputs, n_inputs, &cat) || model_finish(&cat) || tables_read(generic, chips, &cat, &tables) ||
        emit_catalog(&cat, &tables, &result))
        goto done;
    if (check) {
        int d = output_check(out, result.files, result.n_files);
        rc = d == 0 ? 0 : 1;
    } else {
        rc = output_write(out, result.files, result.n_files) ? 1 : 0;
    }
    if (rc == 0 && stats) {
        size_t n_events = 0, n_aliases = 0;
        for (size_t i = 0; i < cat.n_dbs; i++) {
            n_events += cat.dbs[i].n_events;
            n_aliases += cat.dbs[i].n_aliases;
        }
        printf("databases %zu, links %zu, events %zu (%zu distinct rows), aliases %zu, portable ids %zu, "
               "string pool %zu bytes\n",
               cat.n_dbs, cat.n_links, n_events, result.n_rows, n_aliases, cat.n_pids, result.pool_bytes);
    }
done:
    if (gen_n_errors && rc == 0)
        rc = 1;
    emit_free(&result);
    gen_arena_free();
    plist_cleanup();
    free(inputs);
    return rc;
}
