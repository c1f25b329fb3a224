/* Helpers shared by the kpmc subcommands: usage errors, database and format
 * arguments, JSON strings.  Every subcommand is `int kpmc_cmd_X(int argc,
 * char **argv)` with argv[0] the subcommand's name; it returns the process
 * exit status: 0 success, 1 failure, 2 usage error. */
#ifndef KPMC_TOOLS_CLI_H
#define KPMC_TOOLS_CLI_H

#include <stdio.h>

#include <kpmc/kpmc.h>

#if defined(__GNUC__)
#define CLI_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define CLI_PRINTF(a, b)
#endif

/* "kpmc CMD: MESSAGE" and "Try 'kpmc CMD --help'." on stderr; returns 2. */
int cli_usage_error(const char *cmd, const char *fmt, ...) CLI_PRINTF(2, 3);
/* "kpmc CMD: MESSAGE" on stderr; returns 1. */
int cli_error(const char *cmd, const char *fmt, ...) CLI_PRINTF(2, 3);

/* The database called name, or NULL after a usage error on stderr that
 * lists the valid names. */
const kpmc_db *cli_find_db(const char *cmd, const char *name);
/* The database to use when none is named: $KPMC_DB, else this Mac's, else
 * a14 (Apple M1), else the first of the catalog. *why says which. */
const kpmc_db *cli_default_db(const char *cmd, const char **why);

/* Index of arg in the NULL-terminated list names, or -1 after a usage error
 * naming the valid choices. */
int cli_choice(const char *cmd, const char *what, const char *arg,
               const char *const *names);

/* Option value: for "--opt VALUE" and "--opt=VALUE".  Returns the value and
 * advances *i past it, or NULL if argv[*i] is not this option.  A missing
 * value sets *missing. */
const char *cli_opt_value(int argc, char **argv, int *i, const char *opt, int *missing);

/* s as a JSON string (quoted, escaped) or null when s is NULL. */
void cli_json_str(FILE *f, const char *s);

/* Wrap text to `width` columns, continuation lines indented by `indent`;
 * the first line starts at column `col`. */
void cli_wrap(FILE *f, const char *text, int col, int indent, int width);

#endif
