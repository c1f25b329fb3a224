/* Shared helpers of the kpmc subcommands (see cli.h). */
#include "cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

CLI_PRINTF(2, 0) static void vmessage(const char *cmd, const char *fmt, va_list ap)
{
    fprintf(stderr, "kpmc %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(cmd, fmt, ap);
    va_end(ap);
    fprintf(stderr, "Try 'kpmc %s --help'.\n", cmd);
    return 2;
}

int cli_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(cmd, fmt, ap);
    va_end(ap);
    return 1;
}

const kpmc_db *cli_find_db(const char *cmd, const char *name)
{
    const kpmc_db *db = kpmc_db_find(name);
    if (db)
        return db;
    char hint[256];
    size_t h = kpmc_suggest_db(name, hint, sizeof hint);
    fprintf(stderr, "kpmc %s: unknown database '%s'%s%s%s; valid databases:", cmd, name, h ? " (" : "", h ? hint : "",
            h ? ")" : "");
    for (size_t i = 0; i < kpmc_db_count(); i++)
        fprintf(stderr, " %s", kpmc_db_name(kpmc_db_at(i)));
    fputs(kpmc_chip_count() ? "; or the name of a chip (kpmc list --all names the chips of each)\n" : "\n",
          stderr);
    return NULL;
}

const kpmc_db *cli_default_db(const char *cmd, const char **why)
{
    const char *env = getenv("KPMC_DB");
    if (env && *env) {
        *why = "$KPMC_DB";
        return cli_find_db(cmd, env);
    }
    const kpmc_db *db = kpmc_host_db();
    if (db) {
        *why = "this machine";
        return db;
    }
    *why = "default";
    db = kpmc_db_find("a14");
    return db ? db : kpmc_db_at(0);
}

int cli_choice(const char *cmd, const char *what, const char *arg, const char *const *names)
{
    for (int i = 0; names[i]; i++)
        if (strcmp(arg, names[i]) == 0)
            return i;
    fprintf(stderr, "kpmc %s: unknown %s '%s'; valid:", cmd, what, arg);
    for (int i = 0; names[i]; i++)
        fprintf(stderr, " %s", names[i]);
    fprintf(stderr, "\nTry 'kpmc %s --help'.\n", cmd);
    return -1;
}

/* cli_parse, and with stop_at (not NULL) cli_parse_command. */
static int parse(const char *cmd, int argc, char **argv, const struct cli_option *opts, void (*usage)(FILE *),
                 const char **operands, int max_operands, int *n_operands, int *stop_at)
{
    int n = 0, options = 1;
    if (stop_at)
        *stop_at = argc;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (options && (!strcmp(a, "--help") || !strcmp(a, "-h"))) {
            usage(stdout);
            return 0;
        }
        if (options && !strcmp(a, "--")) {
            options = 0;
            if (stop_at) {
                *stop_at = i + 1;
                break;
            }
            continue;
        }
        if (stop_at && (a[0] != '-' || !a[1])) {
            *stop_at = i;
            break;
        }
        if (!options || a[0] != '-' || !a[1]) {
            if (n >= max_operands)
                return cli_usage_error(cmd, max_operands ? "too many arguments: '%s'" : "unexpected argument '%s'",
                                       a);
            operands[n++] = argv[i];
            continue;
        }
        const struct cli_option *o = opts;
        size_t len = strcspn(a, "=");
        while (o->name && (strlen(o->name) != len || strncmp(a, o->name, len)))
            o++;
        if (!o->name) {
            fprintf(stderr, "kpmc %s: unknown option '%s'; valid:", cmd, a);
            for (o = opts; o->name; o++)
                fprintf(stderr, " %s%s", o->name, o->value ? " VALUE" : "");
            fprintf(stderr, " --help\nTry 'kpmc %s --help'.\n", cmd);
            return 2;
        }
        if (!o->value) {
            if (a[len])
                return cli_usage_error(cmd, "%s takes no value", o->name);
            *o->flag = 1;
        } else if (a[len]) {
            *o->value = a + len + 1;
        } else if (i + 1 < argc) {
            *o->value = argv[++i];
        } else {
            return cli_usage_error(cmd, "%s needs a value", o->name);
        }
    }
    if (n_operands)
        *n_operands = n;
    return -1;
}

int cli_parse(const char *cmd, int argc, char **argv, const struct cli_option *opts, void (*usage)(FILE *),
              const char **operands, int max_operands, int *n_operands)
{
    return parse(cmd, argc, argv, opts, usage, operands, max_operands, n_operands, NULL);
}

int cli_parse_command(const char *cmd, int argc, char **argv, const struct cli_option *opts,
                      void (*usage)(FILE *), int *command)
{
    return parse(cmd, argc, argv, opts, usage, NULL, 0, NULL, command);
}

const char *cli_mode_name(int mode)
{
    return mode == KPMC_MODE_USER ? "user" : "all";
}

static void file_put(void *f, const char *p, size_t n)
{
    fwrite(p, 1, n, f);
}

/* The one JSON string writer of every command: s (or null) as a JSON
 * string (internal/json.h). */
void cli_json_str(FILE *f, const char *s)
{
    if (s)
        kpmc_json_string(s, file_put, f);
    else
        fputs("null", f);
}

void cli_json_member(FILE *f, const char *before, const char *key, const char *s)
{
    fprintf(f, "%s\"%s\":", before, key);
    cli_json_str(f, s);
}

void cli_wrap(FILE *f, const char *text, int col, int indent, int width)
{
    const char *p = text;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        size_t w = strcspn(p, " ");
        if (col > indent && col + 1 + (int)w > width) {
            fprintf(f, "\n%*s", indent, "");
            col = indent;
        } else if (col > indent) {
            fputc(' ', f);
            col++;
        }
        fwrite(p, 1, w, f);
        col += (int)w;
        p += w;
    }
}
