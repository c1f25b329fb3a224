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

/* The database called name (or using the chip called name), or NULL after
 * a usage error on stderr that says what was probably meant and lists the
 * valid names. */
const kpmc_db *cli_find_db(const char *cmd, const char *name);
/* The database to use when none is named: $KPMC_DB, else this Mac's, else
 * a14 (Apple M1), else the first of the catalog. *why says which. */
const kpmc_db *cli_default_db(const char *cmd, const char **why);

/* Index of arg in the NULL-terminated list names, or -1 after a usage error
 * naming the valid choices. */
int cli_choice(const char *cmd, const char *what, const char *arg,
               const char *const *names);

/* One option of a subcommand: "--name VALUE" / "--name=VALUE" stores the
 * value in *value; a flag ("--name", value NULL) sets *flag to 1. */
struct cli_option {
    const char *name;
    const char **value;
    int *flag;
};

/* Parse argv[1..argc-1] against opts (ended by a {NULL} entry).  --help or
 * -h prints usage to stdout; "--" ends the options; other arguments are
 * operands, stored in order into operands[0 .. max_operands-1] (may alias
 * argv + 1: operand k is never stored before argv[k + 1] is read) and counted in *n_operands.  Returns -1 when the command should
 * go on, else the exit status: 0 after --help, 2 after a usage error (an
 * unknown option, named with the valid ones; a missing value; too many
 * operands). */
int cli_parse(const char *cmd, int argc, char **argv, const struct cli_option *opts, void (*usage)(FILE *),
              const char **operands, int max_operands, int *n_operands);

/* Options, then a command to run: parse options up to the first operand
 * or "--", and set *command to the index in argv of the command's first
 * word (argc when there is none).  Returns as cli_parse does. */
int cli_parse_command(const char *cmd, int argc, char **argv, const struct cli_option *opts,
                      void (*usage)(FILE *), int *command);

/* A counting mode (KPMC_MODE_*) as the JSON and CSV outputs name it: "all"
 * or "user" (the modes counted: kpmc_counts_word, internal/counts.h). */
const char *cli_mode_name(int mode);

/* s as a JSON string (quoted, escaped) or null when s is NULL. */
void cli_json_str(FILE *f, const char *s);
/* A member of a JSON object: before it what goes there ("{", ","), then
 * "key": and s as cli_json_str writes it. */
void cli_json_member(FILE *f, const char *before, const char *key, const char *s);

/* Wrap text to `width` columns, continuation lines indented by `indent`;
 * the first line starts at column `col`. */
void cli_wrap(FILE *f, const char *text, int col, int indent, int width);

#endif
