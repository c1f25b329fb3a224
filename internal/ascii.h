/* kpmc internal: ASCII letter case.  Event, database and generic names
 * compare without regard to the case of ASCII letters, nothing else folded:
 * one rule for the generator, the library and the command.  And the hex
 * numbers of cpu_* link names and chip families, read alike by both. */
#ifndef KPMC_INTERNAL_ASCII_H
#define KPMC_INTERNAL_ASCII_H

#include <stddef.h>
#include <stdint.h>

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

/* One to eight hex digits (either case) at *p as *out, *p moved past them;
 * -1 (nothing moved) when there are none or more than eight. */
static inline int kpmc_ascii_hex32(const char **p, uint32_t *out)
{
    uint32_t v = 0;
    int digits = 0;
    const char *s = *p;
    for (;; s++, digits++) {
        int c = (unsigned char)*s, d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
            d = (c | 0x20) - 'a' + 10;
        else
            break;
        if (digits == 8)
            return -1;
        v = v << 4 | (uint32_t)d;
    }
    if (!digits)
        return -1;
    *p = s;
    *out = v;
    return 0;
}

#endif
