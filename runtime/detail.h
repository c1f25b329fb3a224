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

/* buf := the sentence; returns code, for `return kpmc_detail_set(...)`. */
int kpmc_detail_set(char *buf, size_t len, int code, const char *fmt, ...) KPMC_PRINTF(4, 5);
/* buf += the sentence. */
void kpmc_detail_add(char *buf, size_t len, const char *fmt, ...) KPMC_PRINTF(3, 4);

#endif
