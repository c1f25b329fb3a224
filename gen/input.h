/* kpmc-gen: collecting the inputs — a folder or a list of files — into
 * databases and cpu_* family links. */
#ifndef KPMC_GEN_INPUT_H
#define KPMC_GEN_INPUT_H

#include "model.h"

/* Read every input named by paths (folders are scanned for *.plist).
 * 0 on success; -1 after reporting errors (every file is still tried, so
 * that one run reports every bad file). */
int input_read(char **paths, int n, struct gen_catalog *cat);

#endif
