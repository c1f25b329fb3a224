/* kpmc internal: JSON strings, for the library's measurement results and
 * every command's JSON output.  What is written is valid UTF-8 whatever
 * the input holds: quotes, backslashes and control characters are escaped,
 * well-formed UTF-8 is copied, and each ill-formed sequence becomes U+FFFD,
 * written as \ufffd. */
#ifndef KPMC_INTERNAL_JSON_H
#define KPMC_INTERNAL_JSON_H

#include <stddef.h>

/* Where the text goes: n bytes at p, to `to`. */
typedef void kpmc_json_put_fn(void *to, const char *p, size_t n);

/* Length of the well-formed UTF-8 sequence at p (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF), or 0 when p starts an
 * ill-formed one; then *bad is the length of its maximal well-formed
 * prefix (at least 1), which is replaced as one U+FFFD. */
static inline size_t kpmc_utf8_sequence(const unsigned char *p, size_t *bad)
{
    unsigned char lo = 0x80, hi = 0xbf;
    size_t need;
    if (p[0] < 0x80)
        return 1;
    if (p[0] >= 0xc2 && p[0] <= 0xdf)
        need = 1;
    else if (p[0] >= 0xe0 && p[0] <= 0xef)
        need = 2, lo = p[0] == 0xe0 ? 0xa0 : 0x80, hi = p[0] == 0xed ? 0x9f : 0xbf;
    else if (p[0] >= 0xf0 && p[0] <= 0xf4)
        need = 3, lo = p[0] == 0xf0 ? 0x90 : 0x80, hi = p[0] == 0xf4 ? 0x8f : 0xbf;
    else
        need = 0;
    size_t k = 1;
    if (need && p[1] >= lo && p[1] <= hi) {
        k = 2;
        while (k <= need && p[k] >= 0x80 && p[k] <= 0xbf)
            k++;
    }
    if (need && k == need + 1)
        return k;
    *bad = k;
    return 0;
}

/* s as a JSON string, quotes included: runs that need no escape are put
 * whole. */
static inline void kpmc_json_string(const char *s, kpmc_json_put_fn *put, void *to)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s, *run = p;
    put(to, "\"", 1);
    while (*p) {
        size_t bad = 0, n = kpmc_utf8_sequence(p, &bad);
        if (n > 1 || (n == 1 && *p >= 0x20 && *p != '"' && *p != '\\')) {
            p += n;
            continue;
        }
        put(to, (const char *)run, (size_t)(p - run));
        char esc[6] = {'\\', 0, 0, 0, 0, 0};
        size_t len = 2;
        if (!n) {
            put(to, "\\ufffd", 6);
            p += bad;
            run = p;
            continue;
        }
        switch (*p) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        default:
            esc[1] = 'u', esc[2] = '0', esc[3] = '0', esc[4] = hex[*p >> 4], esc[5] = hex[*p & 15];
            len = 6;
        }
        put(to, esc, len);
        run = ++p;
    }
    put(to, (const char *)run, (size_t)(p - run));
    put(to, "\"", 1);
}

#endif
