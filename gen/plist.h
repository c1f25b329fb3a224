/* kpmc-gen: reading XML property lists.
 *
 * libxml2 parses the file with its SAX interface straight into a small tree
 * of plist elements (struct pl_node): no network, no external entities or
 * DTDs, no entity declarations or references other than the five predefined
 * ones and character references, and libxml2's default depth limit.  Values
 * are then read with typed accessors that report "file:line: message" on
 * any mismatch. */
#ifndef KPMC_GEN_PLIST_H
#define KPMC_GEN_PLIST_H

#include <stddef.h>

enum pl_kind { PL_BAD, PL_DICT, PL_ARRAY, PL_STRING, PL_INTEGER, PL_REAL,
               PL_TRUE, PL_FALSE, PL_DATA, PL_DATE, PL_KEY, PL_PLIST };

struct pl_node {
    enum pl_kind kind;
    const char *name;  /* the element's name */
    long line;
    const char *text;  /* content of a leaf element (never NULL for leaves) */
    struct pl_node *first, *next; /* child elements */
};

struct pl_doc {
    const char *file; /* for messages */
    struct pl_node *root; /* the value inside <plist> */
};

struct pl_entry {
    const char *key;
    long line;        /* of the <key> */
    struct pl_node *value;
};

void plist_init(void);
void plist_cleanup(void);

/* Parse data (len bytes, read from file); the tree lives in the arena.
 * 0 on success; -1 after an error naming file and line. */
int plist_parse(const char *file, const char *data, size_t len, struct pl_doc *out);

enum pl_kind plist_kind(const struct pl_node *n);
const char *plist_kind_name(enum pl_kind k);
long plist_line(const struct pl_node *n);

/* Entries of a <dict> in document order (arena-allocated); -1 on a malformed
 * dict or a duplicate key (reported). */
int plist_dict(const struct pl_doc *d, const struct pl_node *dict, struct pl_entry **out, size_t *n);
/* Elements of an <array>. */
int plist_array(const struct pl_doc *d, const struct pl_node *array, struct pl_node ***out, size_t *n);
/* Text of a <string> or <key>. */
int plist_text(const struct pl_doc *d, const struct pl_node *n, const char **out);
/* Value of an <integer> (decimal, optional sign, or 0x hex). */
int plist_integer(const struct pl_doc *d, const struct pl_node *n, long long *out);

#endif
