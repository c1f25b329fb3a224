/* `kpmc list --format md|csv`: one database as a Markdown section, or as
 * CSV rows (one per event) under a single header line. */
#ifndef KPMC_TOOLS_LIST_MD_CSV_H
#define KPMC_TOOLS_LIST_MD_CSV_H

#include <stdio.h>

#include <kpmc/catalog.h>

void list_md(const kpmc_db *db, FILE *f);
void list_csv_header(FILE *f);
void list_csv(const kpmc_db *db, FILE *f);

#endif
