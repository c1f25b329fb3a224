/* kpmc-gen: diagnostics, an arena for the model, a growable buffer. */
#ifndef KPMC_GEN_UTIL_H
#define KPMC_GEN_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__GNUC__)
#define GEN_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define GEN_PRINTF(a, b)
#endif

/* ---- diagnostics: "file:line: error: message" on stderr ---- */

extern int gen_quiet;     /* 1: suppress warnings; 2: errors too (formatted and
                             counted, not printed: the fuzz targets) */
extern int gen_n_errors;  /* errors reported so far */
extern int gen_n_warnings;

/* One diagnostic of a kind (line 0 = no line); errors and warnings are
 * counted, warnings and notes silenced by gen_quiet.  Called as
 * gen_error(file, line, fmt, ...), gen_warn and gen_note; a note is
 * something the user may want to know that is neither wrong nor suspect (a
 * database the tables do not cover). */
enum gen_diag_kind { GEN_ERROR, GEN_WARNING, GEN_NOTE };
void gen_diag(enum gen_diag_kind kind, const char *file, long line, const char *fmt, ...) GEN_PRINTF(4, 5);
#define gen_error(...) gen_diag(GEN_ERROR, __VA_ARGS__)
#define gen_warn(...) gen_diag(GEN_WARNING, __VA_ARGS__)
#define gen_note(...) gen_diag(GEN_NOTE, __VA_ARGS__)

/* ---- arena: everything the model holds lives until gen_arena_free() ---- */

void *gen_alloc(size_t n);                 /* zeroed; exits on out of memory */
void *gen_alloc_raw(size_t n);             /* not zeroed */
char *gen_strdup(const char *s);
char *gen_strndup(const char *s, size_t n);
char *gen_printf(const char *fmt, ...) GEN_PRINTF(1, 2);
/* a, b and c concatenated (c may be NULL). */
char *gen_concat(const char *a, const char *b, const char *c);
void gen_arena_free(void);
/* An arena array of `size`-byte elements and capacity *cap with room for
 * element n: the same array, or a copy at least twice as large (the first
 * holds `first`), *cap updated. */
void *gen_grow(void *array, size_t n, size_t *cap, size_t size, size_t first);

/* ---- buffers ---- */

struct buf {
    char *data;
    size_t len, cap;
};

void buf_grow(struct buf *b, size_t n); /* room for n more bytes and a NUL */

static inline void buf_put(struct buf *b, const void *p, size_t n)
{
    if (b->cap - b->len <= n)
        buf_grow(b, n);
    memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static inline void buf_puts(struct buf *b, const char *s)
{
    buf_put(b, s, strlen(s));
}

static inline void buf_putc(struct buf *b, char c)
{
    buf_put(b, &c, 1);
}
void buf_printf(struct buf *b, const char *fmt, ...) GEN_PRINTF(2, 3);
void buf_putu(struct buf *b, unsigned long long v);  /* decimal */
void buf_putx(struct buf *b, unsigned long long v);  /* "0x" and lower-case hex */
void buf_free(struct buf *b);

/* ---- names ---- */

/* A copy with ASCII letters upper-cased (ascii.h: names compare so). */
char *gen_fold(const char *s);
/* "natural" order: digit runs compare as numbers ("a7" < "a10"). */
int gen_natcmp(const char *a, const char *b);
/* C identifier part for a name: '.', '-' and any other character that is not
 * a letter, digit or '_' become '_', letters upper-cased. */
char *gen_mangle(const char *name);

#endif
