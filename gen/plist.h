/* kpmc-gen: reading XML property lists with libxml2.
 *
 * The document is parsed with no network, no external entities or DTDs, and
 * libxml2's default depth limit; entity references other than the five
 * predefined ones are refused.  Values are read lazily from the tree with
 * typed accessors that report "file:line: message" on any mismatch. */
#ifndef KPMC_GEN_PLIST_H
#define KPMC_GEN_PLIST_H

#include <stddef.h>

#include <libxml/tree.h>

enum pl_kind { PL_BAD, PL_DICT, PL_ARRAY, PL_STRING, PL_INTEGER, PL_REAL,
               PL_TRUE, PL_FALSE, PL_DATA, PL_DATE };

struct pl_doc {
    const char *file; /* for messages */
    xmlDocPtr doc;
    xmlNodePtr root;  /* the value inside <plist> */
};

struct pl_entry {
    const char *key;
    long line;        /* of the <key> */
    xmlNodePtr value;
};

void plist_init(void);
void plist_cleanup(void);

/* Parse data (len bytes, read from file).  0 on success; -1 after an error
 * naming file and line. */
int plist_parse(const char *file, const char *data, size_t len, struct pl_doc *out);
void plist_free(struct pl_doc *d);

enum pl_kind plist_kind(xmlNodePtr n);
const char *plist_kind_name(enum pl_kind k);
long plist_line(xmlNodePtr n);

/* Entries of a <dict> in document order (arena-allocated); -1 on a malformed
 * dict or a duplicate key (reported). */
int plist_dict(const struct pl_doc *d, xmlNodePtr dict, struct pl_entry **out, size_t *n);
/* Elements of an <array>; -1 on malformed content (reported). */
int plist_array(const struct pl_doc *d, xmlNodePtr array, xmlNodePtr **out, size_t *n);
/* Text of a <string> or <key> (arena-allocated, UTF-8). */
int plist_text(const struct pl_doc *d, xmlNodePtr n, char **out);
/* Value of an <integer> (decimal, optional sign, or 0x hex). */
int plist_integer(const struct pl_doc *d, xmlNodePtr n, long long *out);

#endif
