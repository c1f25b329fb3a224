/* kpmc-gen: diagnostics, an arena for the model, a growable buffer. */
#ifndef KPMC_GEN_UTIL_H
#define KPMC_GEN_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define GEN_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define GEN_PRINTF(a, b)
#endif

/* ---- diagnostics: "file:line: error: message" on stderr ---- */

extern int gen_quiet;     /* suppress warnings */
extern int gen_n_errors;  /* errors reported so far */
extern int gen_n_warnings;

/* line 0 = no line */
void gen_error(const char *file, long line, const char *fmt, ...) GEN_PRINTF(3, 4);
void gen_warn(const char *file, long line, const char *fmt, ...) GEN_PRINTF(3, 4);

/* ---- arena: everything the model holds lives until gen_arena_free() ---- */

void *gen_alloc(size_t n);                 /* zeroed; exits on out of memory */
char *gen_strdup(const char *s);
char *gen_strndup(const char *s, size_t n);
char *gen_printf(const char *fmt, ...) GEN_PRINTF(1, 2);
void gen_arena_free(void);

/* ---- buffers ---- */

struct buf {
    char *data;
    size_t len, cap;
};

void buf_put(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) GEN_PRINTF(2, 3);
void buf_free(struct buf *b);

/* ---- names ---- */

/* ASCII case-insensitive comparison. */
int gen_casecmp(const char *a, const char *b);
/* "natural" order: digit runs compare as numbers ("a7" < "a10"). */
int gen_natcmp(const char *a, const char *b);
/* C identifier part for a name: '.', '-' and any other character that is not
 * a letter, digit or '_' become '_', letters upper-cased. */
char *gen_mangle(const char *name);

#endif
