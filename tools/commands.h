/* The kpmc subcommands; each lives in tools/cmd_NAME.c. */
#ifndef KPMC_TOOLS_COMMANDS_H
#define KPMC_TOOLS_COMMANDS_H

int kpmc_cmd_list(int argc, char **argv);
int kpmc_cmd_check(int argc, char **argv);
int kpmc_cmd_reset(int argc, char **argv);
int kpmc_cmd_doc(int argc, char **argv);
int kpmc_cmd_diff(int argc, char **argv);
int kpmc_cmd_info(int argc, char **argv);
int kpmc_cmd_stat(int argc, char **argv);

#endif
