/* kpmc — detail sentences (detail.h). */
#include "detail.h"

#include <stdio.h>
#include <string.h>

struct kpmc_detail kpmc_detail_open(char *buf, size_t len, int more)
{
    struct kpmc_detail d = {buf && len ? buf : NULL, len, 0};
    if (!d.buf)
        return d;
    while (more && d.pos + 1 < len && buf[d.pos])
        d.pos++;
    buf[d.pos] = '\0';
    return d;
}

void kpmc_detail_vput(struct kpmc_detail *d, const char *fmt, va_list ap)
{
    if (!d->buf)
        return;
    if (d->pos + 1 < d->len) {
        int w = vsnprintf(d->buf + d->pos, d->len - d->pos, fmt, ap);
        if (w < 0)
            return;
        if (d->pos + (size_t)w < d->len) {
            d->pos += (size_t)w;
            return;
        }
    } else if (!*fmt) {
        return;
    }
    /* truncated, or full with more to say: say so */
    d->pos = d->len - 1;
    if (d->len >= 4)
        memcpy(d->buf + d->len - 4, "...", 4);
}

void kpmc_detail_put(struct kpmc_detail *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kpmc_detail_vput(d, fmt, ap);
    va_end(ap);
}

int kpmc_detail_write(char *buf, size_t len, int more, int code, const char *fmt, ...)
{
    struct kpmc_detail d = kpmc_detail_open(buf, len, more);
    va_list ap;
    va_start(ap, fmt);
    kpmc_detail_vput(&d, fmt, ap);
    va_end(ap);
    return code;
}
