/* kpmc — the detail sentence a failed call leaves for its caller (plans,
 * sessions, sets, groups, measurements): written whole or piece by piece,
 * never past its buffer; a sentence longer than the buffer ends in "...". */
#ifndef KPMC_RUNTIME_DETAIL_H
#define KPMC_RUNTIME_DETAIL_H

#include <stdarg.h>
#include <stddef.h>

#if defined(__GNUC__)
#define KPMC_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define KPMC_PRINTF(f, a)
#endif

struct kpmc_detail {
    char *buf; /* NULL: the caller wants no sentence */
    size_t len;
    size_t pos;
};

/* A sentence written into buf[0..len) (NULL or len 0: nowhere): emptied
 * first, or (more) continuing the text it holds. */
struct kpmc_detail kpmc_detail_open(char *buf, size_t len, int more);
void kpmc_detail_put(struct kpmc_detail *d, const char *fmt, ...) KPMC_PRINTF(2, 3);
void kpmc_detail_vput(struct kpmc_detail *d, const char *fmt, va_list ap) KPMC_PRINTF(2, 0);

/* The sentence written into buf (emptied first, or with more continuing
 * it); returns code.  Called through the three below. */
int kpmc_detail_write(char *buf, size_t len, int more, int code, const char *fmt, ...) KPMC_PRINTF(5, 6);
/* buf := the sentence. */
#define kpmc_detail_set(buf, len, ...) ((void)kpmc_detail_write(buf, len, 0, 0, __VA_ARGS__))
/* The same, returning code: `return kpmc_detail_error(...)`. */
#define kpmc_detail_error(buf, len, code, ...) kpmc_detail_write(buf, len, 0, code, __VA_ARGS__)
/* buf += the sentence. */
#define kpmc_detail_add(buf, len, ...) ((void)kpmc_detail_write(buf, len, 1, 0, __VA_ARGS__))

#endif
