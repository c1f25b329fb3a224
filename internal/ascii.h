/* kpmc internal: ASCII letter case.  Event, database and generic names
 * compare without regard to the case of ASCII letters, nothing else folded:
 * one rule for the generator, the library and the command. */
#ifndef KPMC_INTERNAL_ASCII_H
#define KPMC_INTERNAL_ASCII_H

#include <stddef.h>

static inline int kpmc_ascii_upper(int c)
{
    return c >= 'a' && c <= 'z' ? c - ('a' - 'A') : c;
}

/* <0, 0 or >0 as a sorts before, with or after b, letters upper-cased. */
static inline int kpmc_ascii_casecmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        int x = kpmc_ascii_upper((unsigned char)*a), y = kpmc_ascii_upper((unsigned char)*b);
        if (x != y || !x)
            return x - y;
    }
}

/* Does the NUL-terminated s equal name[0..len) without regard to case? */
static inline int kpmc_ascii_same_n(const char *s, const char *name, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!s[i] || kpmc_ascii_upper((unsigned char)s[i]) != kpmc_ascii_upper((unsigned char)name[i]))
            return 0;
    return s[len] == '\0';
}

#endif
