/* kpmc-gen: diagnostics, arena, buffers, name helpers. */
#include "util.h"

#include "ascii.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int gen_quiet;
int gen_n_errors;
int gen_n_warnings;

void gen_diag(enum gen_diag_kind kind, const char *file, long line, const char *fmt, ...)
{
    static const char *const kinds[] = {"error", "warning", "note"};
    if (kind == GEN_ERROR)
        gen_n_errors++;
    else if (kind == GEN_WARNING)
        gen_n_warnings++;
    if (kind != GEN_ERROR && gen_quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    if (gen_quiet > 1) {
        char sink[512];
        vsnprintf(sink, sizeof sink, fmt, ap);
    } else {
        if (file && line > 0)
            fprintf(stderr, "%s:%ld: %s: ", file, line, kinds[kind]);
        else if (file)
            fprintf(stderr, "%s: %s: ", file, kinds[kind]);
        else
            fprintf(stderr, "kpmc-gen: %s: ", kinds[kind]);
        vfprintf(stderr, fmt, ap);
        fputc('\n', stderr);
    }
    va_end(ap);
}

/* ---- arena ---- */

struct chunk {
    struct chunk *next;
    size_t used, size;
    max_align_t data[];
};

static struct chunk *arena;

static void out_of_memory(void)
{
    fputs("kpmc-gen: error: out of memory\n", stderr);
    exit(1);
}

/* n bytes from the arena, not cleared. */
static void *arena_take(size_t n)
{
    const size_t align = sizeof(max_align_t);
    n = (n + align - 1) / align * align;
    if (!arena || arena->size - arena->used < n) {
        size_t size = n > 65536 ? n : 65536;
        struct chunk *c = malloc(sizeof *c + size);
        if (!c)
            out_of_memory();
        c->next = arena;
        c->used = 0;
        c->size = size;
        arena = c;
    }
    void *p = (char *)arena->data + arena->used;
    arena->used += n;
    return p;
}

void *gen_alloc(size_t n)
{
    return memset(arena_take(n), 0, n);
}

void *gen_alloc_raw(size_t n)
{
    return arena_take(n);
}

char *gen_strndup(const char *s, size_t n)
{
    char *p = arena_take(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *gen_strdup(const char *s)
{
    return gen_strndup(s, strlen(s));
}

char *gen_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        out_of_memory();
    char *p = gen_alloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

char *gen_concat(const char *a, const char *b, const char *c)
{
    size_t na = strlen(a), nb = strlen(b), nc = c ? strlen(c) : 0;
    char *p = gen_alloc(na + nb + nc + 1); /* cleared: the NUL */
    memcpy(p, a, na);
    memcpy(p + na, b, nb);
    if (nc)
        memcpy(p + na + nb, c, nc);
    return p;
}

void *gen_grow(void *array, size_t n, size_t *cap, size_t size, size_t first)
{
    if (n < *cap)
        return array;
    size_t bigger = *cap ? 2 * *cap : first;
    while (bigger <= n)
        bigger *= 2;
    void *p = gen_alloc(bigger * size);
    if (*cap)
        memcpy(p, array, *cap * size);
    *cap = bigger;
    return p;
}

void gen_arena_free(void)
{
    while (arena) {
        struct chunk *next = arena->next;
        free(arena);
        arena = next;
    }
}

/* ---- buffers ---- */

void buf_grow(struct buf *b, size_t n)
{
    if (b->cap - b->len > n)
        return;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap - b->len <= n)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p)
        out_of_memory();
    b->data = p;
    b->cap = cap;
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char tmp[512];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0)
        out_of_memory();
    if ((size_t)n < sizeof tmp) {
        buf_put(b, tmp, (size_t)n);
        return;
    }
    buf_grow(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void buf_putu(struct buf *b, unsigned long long v)
{
    char tmp[24];
    char *p = tmp + sizeof tmp;
    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    buf_put(b, p, (size_t)(tmp + sizeof tmp - p));
}

void buf_putx(struct buf *b, unsigned long long v)
{
    char tmp[24];
    char *p = tmp + sizeof tmp;
    do {
        *--p = "0123456789abcdef"[v & 15];
        v >>= 4;
    } while (v);
    *--p = 'x';
    *--p = '0';
    buf_put(b, p, (size_t)(tmp + sizeof tmp - p));
}

void buf_free(struct buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

/* ---- names ---- */

char *gen_fold(const char *s)
{
    char *f = gen_strdup(s);
    for (char *p = f; *p; p++)
        *p = (char)kpmc_ascii_upper((unsigned char)*p);
    return f;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

int gen_natcmp(const char *a, const char *b)
{
    while (*a && *b) {
        if (is_digit(*a) && is_digit(*b)) {
            while (*a == '0')
                a++;
            while (*b == '0')
                b++;
            size_t na = 0, nb = 0;
            while (is_digit(a[na]))
                na++;
            while (is_digit(b[nb]))
                nb++;
            if (na != nb)
                return na < nb ? -1 : 1;
            int c = memcmp(a, b, na);
            if (c)
                return c;
            a += na;
            b += nb;
            continue;
        }
        if (*a != *b)
            return (unsigned char)*a - (unsigned char)*b;
        a++;
        b++;
    }
    return (unsigned char)*a - (unsigned char)*b;
}

char *gen_mangle(const char *name)
{
    char *id = gen_strdup(name);
    for (char *p = id; *p; p++) {
        char c = (char)kpmc_ascii_upper((unsigned char)*p);
        *p = (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_' ? c : '_';
    }
    return id;
}
