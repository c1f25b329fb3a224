/* Formatting shared by the documentation outputs of the kpmc tool: `kpmc doc`
 * (HTML), `kpmc list --format md|csv` and `kpmc diff`.  Everything here
 * reads the static catalog only. */
#ifndef KPMC_TOOLS_DOC_FMT_H
#define KPMC_TOOLS_DOC_FMT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <kpmc/catalog.h>

#include "ascii.h"
#include "bits.h"

/* Counter numbers of a mask as kpmc_counter_list writes them ("2-9",
 * "0,1", "2,3,8,9"), "none" for 0. */
enum { DOC_COUNTERS_LEN = KPMC_COUNTER_LIST_LEN };
void doc_counters_str(uint32_t mask, char out[DOC_COUNTERS_LEN]);

/* The Intel `other` key (PERFEVTSEL bits 16-31) taken apart. */
typedef struct doc_other {
    unsigned usr, os, edge, pc, intr, any, en, inv;
    unsigned cmask;
} doc_other;
void doc_other_decode(unsigned other, doc_other *out);
/* The modifiers an `other` value adds to a plain event, e.g. "CMASK=1 INV",
 * "ANY", "USR only", "" for the usual 0x53 (USR OS INT EN).  INT and EN are
 * not shown (the kernel sets them); PC is.  out holds at least 64 bytes. */
enum { DOC_OTHER_LEN = 64 };
void doc_other_str(unsigned other, char out[DOC_OTHER_LEN]);

/* The selector as people read it: "0x8c" (with "/0x01" for an Intel umask),
 * "fixed 1" for a fixed event without a number, "-" for neither.  out holds
 * at least 32 bytes. */
enum { DOC_SEL_LEN = 32 };
void doc_selector_str(const kpmc_db_info *d, const kpmc_event_info *e, char out[DOC_SEL_LEN]);

/* The selector with everything else that programs the event: a fixed
 * counter besides a number, and the raw `other`: "0x88/0x01 other 0x53". */
enum { DOC_SEL_FULL_LEN = 64 };
void doc_selector_full(const kpmc_db_info *d, const kpmc_event_info *e, char out[DOC_SEL_FULL_LEN]);

/* Index in db of the event called `name` itself (an alias of that name does
 * not count), or KPMC_E_NOEVENT. */
int doc_find_event(const kpmc_db *db, const char *name);

/* Whether two events of two databases are programmed differently: number,
 * umask, other or fixed counter differ (presence included). */
int doc_selector_differs(const kpmc_event_info *a, const kpmc_event_info *b);

/* The KPMC_EVF_* markers as short words, "fixed-outside fixed-shared
 * fixed-mask" (space-separated, "" when none), and as one English sentence
 * per marker for people. */
enum { DOC_FLAGS_LEN = 64 };
void doc_flags_words(unsigned flags, char out[DOC_FLAGS_LEN]);
const char *doc_flag_sentence(unsigned flag);
#define DOC_FLAG_ALL (KPMC_EVF_FIXED_OUTSIDE | KPMC_EVF_FIXED_SHARED | KPMC_EVF_FIXED_MASK)

/* The cpu_* link name of a family, "cpu_100000c_2_1b588bb3". */
enum { DOC_LINK_LEN = 40 };
void doc_family_link(const kpmc_family_info *fi, char out[DOC_LINK_LEN]);

/* The chips of a CPU family as the catalog's chip table names them, with
 * the code name: "A14, M1, M1 Pro, M1 Max, M1 Ultra (Firestorm/Icestorm)";
 * "" when the table does not know the family. */
enum { DOC_CHIPS_LEN = 200 };
void doc_family_chips(const kpmc_family_info *fi, char out[DOC_CHIPS_LEN]);

/* The database as people know it: its marketing name, and its chips in
 * parentheses when the marketing name names none of them ("Apple silicon
 * (M3 Pro, M3 Max)"; but "Apple A14/M1", "Intel Kaby Lake"). */
enum { DOC_LABEL_LEN = 240 };
void doc_db_label(const kpmc_db_info *d, char out[DOC_LABEL_LEN]);

/* The databases of one architecture in the order their chips appeared
 * (the chip table's order, by the first chip of each; the catalog's order
 * after them).  Fills out[] with catalog indices and returns how many. */
size_t doc_dbs_by_age(int arch, size_t *out, size_t cap);

/* Generic events (kpmc list --generic, generic.html): the name of the
 * event that counts generic event g in db in `mode`, or NULL where none
 * does; whether databases a and b map g alike (the same events in both
 * modes, the same note); and whether database i is the first of
 * first .. i that maps g as it does (it heads a row of the databases that
 * map g alike). */
const char *doc_generic_event(const kpmc_db *db, int g, int mode);
int doc_generic_same(const kpmc_db *a, const kpmc_db *b, int g);
int doc_generic_first(size_t first, size_t i, int g);

/* A database's aliases as one list: each as `first` (before the first one)
 * or `sep`, its name, `arrow` and the name of its event; then `end` after
 * the last.  Nothing for a database without aliases.  The names go through
 * put_alias and put_event, or out as they are where those are NULL. */
struct doc_alias_list {
    const char *first, *sep, *arrow, *end;
    void (*put_alias)(FILE *f, const char *name);
    void (*put_event)(FILE *f, const char *name);
};
void doc_aliases(FILE *f, const kpmc_db *db, const struct doc_alias_list *how);

/* Escapers: HTML text and attribute values; Markdown table cells; CSV
 * fields (RFC 4180 quoting when needed).  NULL writes nothing. */
void doc_html(FILE *f, const char *s);
void doc_md(FILE *f, const char *s);
void doc_csv(FILE *f, const char *s);
/* A Markdown table cell after a '|': " TEXT |", or " |" when s is NULL or
 * empty. */
void doc_md_cell(FILE *f, const char *s);

#endif
