/* libFuzzer target: kpmc-gen's plist reader, validation and C generator.
 *
 * The input is one plist, or several separated by NUL bytes (XML holds no
 * NUL), each read as a database file fuzzN.plist; the databases go through
 * model_finish() and emit_catalog() as kpmc-gen's would.  Beyond the
 * sanitizers, every catalog generated is checked:
 *  - lexed as C, the code outside comments and string literals uses only
 *    the identifiers kpmc-gen writes (KPMC_*, kpmc_*, C types, directives);
 *  - that code, with numbers set to 0, is the same when every marketing name
 *    and description is replaced by a plain token (equal strings by equal
 *    tokens): no free-form plist string reaches the code;
 *  - the string pool of catalog_data.c, decoded from its C literals, holds
 *    every database's name and marketing name and every event's name and
 *    description exactly. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "tables.h"
#include "crossdb.h"
#include "plist.h"
#include "util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_DBS 4

static void fail(const char *file, const char *what, const char *at)
{
    fprintf(stderr, "fuzz_gen: %s: %s near: %.80s\n", file, what, at ? at : "");
    abort();
}

static int ident_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int ident_char(char c)
{
    return ident_start(c) || (c >= '0' && c <= '9');
}

/* Identifiers kpmc-gen writes in code, besides KPMC_* and kpmc_*. */
static int allowed_ident(const char *p, size_t n)
{
    static const char *const words[] = {
        "const",   "char",   "struct",  "enum",   "uint8_t",    "uint16_t", "uint32_t", "uint64_t", "include", "ifndef",
        "define",  "endif",  "if",      "error",  "pragma",     "GCC",      "diagnostic", "ignored", "defined",
        "__GNUC__", "u",     "_Static_assert", "sizeof", "offsetof", "T", "f", "n", "at",
        /* the fields of the row types, in the layout assertions */
        "pid", "name", "description", "number", "other", "counters_mask", "fallback", "umask", "fixed_counter",
        "has", "flags", "event", "marketing_name", "architecture", "source", "arch", "internal", "n_version",
        "version", "fixed_counters", "config_counters", "power_counters", "events", "n_events", "aliases",
        "n_aliases", "n_families", "reserved", "sha256", "family", "cputype", "cpusubtype", "db", "seed",
        "n_buckets", "n_slots", "all", "user", "note", "rank", "chips", "codename", NULL,
    };
    if (n >= 5 && (!memcmp(p, "KPMC_", 5) || !memcmp(p, "kpmc_", 5)))
        return 1;
    for (int i = 0; words[i]; i++)
        if (strlen(words[i]) == n && !memcmp(words[i], p, n))
            return 1;
    return 0;
}

/* Decode the C string literal at p (just past its opening quote) into out;
 * returns the position after the closing quote. */
static const char *string_literal(const char *file, const char *p, struct buf *out)
{
    for (;;) {
        char c = *p;
        if (!c || c == '\n')
            fail(file, "a string literal does not end on its line", p);
        if (c == '"')
            return p + 1;
        if (c != '\\') {
            buf_putc(out, c);
            p++;
            continue;
        }
        c = p[1];
        if (c >= '0' && c <= '7') {
            int v = 0, k = 1;
            while (k <= 3 && p[k] >= '0' && p[k] <= '7')
                v = v * 8 + (p[k++] - '0');
            buf_putc(out, (char)v);
            p += k;
        } else if (c == '"' || c == '\\' || c == '?' || c == '\'') {
            buf_putc(out, c);
            p += 2;
        } else {
            fail(file, "an unexpected escape in a string literal", p);
        }
    }
}

/* Lex one generated file into its skeleton: the code with each comment a
 * space, each string literal "" and each number 0.  The decoded string
 * literals of kpmc_cat_pool go to pool (when not NULL). */
static void lex_c(const char *file, const char *text, struct buf *skeleton, struct buf *pool)
{
    int in_pool = 0;
    struct buf scratch = {0};
    for (const char *p = text; *p;) {
        if (p[0] == '/' && p[1] == '*') {
            const char *end = strstr(p + 2, "*/");
            if (!end)
                fail(file, "a comment does not end", p);
            buf_putc(skeleton, ' ');
            p = end + 2;
            continue;
        }
        if (p[0] == '/' && p[1] == '/')
            fail(file, "a line comment", p);
        if (*p == '"') {
            scratch.len = 0;
            p = string_literal(file, p + 1, in_pool && pool ? pool : &scratch);
            buf_puts(skeleton, "\"\"");
            continue;
        }
        if (*p == '\'')
            fail(file, "a character literal", p);
        if (*p == '#' && (p == text || p[-1] == '\n') && !strncmp(p, "#include <", 10)) {
            const char *q = strchr(p, '>');
            if (!q)
                fail(file, "an #include without '>'", NULL);
            buf_put(skeleton, p, (size_t)(q + 1 - p));
            p = q + 1;
            continue;
        }
        if (ident_start(*p)) {
            const char *q = p;
            while (ident_char(*q))
                q++;
            if (!allowed_ident(p, (size_t)(q - p)))
                fail(file, "an identifier kpmc-gen does not write", p);
            if ((size_t)(q - p) == 13 && !memcmp(p, "kpmc_cat_pool", 13))
                in_pool = 1;
            buf_put(skeleton, p, (size_t)(q - p));
            p = q;
            continue;
        }
        if (*p >= '0' && *p <= '9') {
            while (ident_char(*p))
                p++;
            buf_putc(skeleton, '0');
            continue;
        }
        if (*p == ';')
            in_pool = 0;
        buf_putc(skeleton, *p++);
    }
    buf_free(&scratch);
}

static int in_pool(const struct buf *pool, const char *s)
{
    size_t n = strlen(s);
    for (size_t off = 0; off < pool->len;) {
        size_t m = strlen(pool->data + off);
        if (m == n && !memcmp(pool->data + off, s, n))
            return 1;
        off += m + 1;
    }
    return 0;
}

/* The token standing for s: equal strings get equal tokens. */
static const char *token(const char ***seen, size_t *n, size_t *cap, char kind, const char *s)
{
    for (size_t i = 0; i < *n; i += 2)
        if (!strcmp((*seen)[i], s))
            return (*seen)[i + 1];
    *seen = gen_grow(*seen, *n + 1, cap, sizeof **seen, 64);
    (*seen)[*n] = s;
    (*seen)[*n + 1] = gen_printf("%c%zu", kind, *n / 2);
    *n += 2;
    return (*seen)[*n - 1];
}

/* Every marketing name and description replaced by its token. */
static void plain_strings(struct gen_catalog *cat)
{
    const char **seen = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < cat->n_dbs; i++) {
        struct gen_db *db = &cat->dbs[i];
        db->marketing_name = token(&seen, &n, &cap, 'm', db->marketing_name);
        for (size_t j = 0; j < db->n_events; j++)
            if (db->events[j].description)
                db->events[j].description = token(&seen, &n, &cap, 'd', db->events[j].description);
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    plist_init();
    gen_quiet = 2;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct gen_catalog cat;
    memset(&cat, 0, sizeof cat);
    cat.dbs = gen_alloc(MAX_DBS * sizeof *cat.dbs);
    const char *p = (const char *)data, *end = p + size;
    for (int k = 0; k < MAX_DBS && p <= end; k++) {
        const char *nul = memchr(p, '\0', (size_t)(end - p));
        size_t len = nul ? (size_t)(nul - p) : (size_t)(end - p);
        char *copy = gen_strndup(p, len); /* the reader gets an allocation of its own size */
        char *file = gen_printf("fuzz%d.plist", k);
        struct gen_db *db = &cat.dbs[cat.n_dbs];
        if (model_read_db(file, file, copy, len, db) == 0) {
            memset(db->sha256, k, sizeof db->sha256);
            cat.n_dbs++;
        }
        if (!nul)
            break;
        p = nul + 1;
    }
    struct emit_result r, plain;
    memset(&r, 0, sizeof r);
    memset(&plain, 0, sizeof plain);
    /* No generic-event or chip table: the fuzzed input is the plists. */
    struct gen_tables tables;
    if (cat.n_dbs && model_finish(&cat) == 0 && tables_read(NULL, NULL, &cat, &tables) == 0 &&
        emit_catalog(&cat, &tables, &r) == 0) {
        struct buf pool = {0};
        struct buf *skeleton = calloc(r.n_files + 1, sizeof *skeleton);
        if (!skeleton)
            abort();
        for (size_t i = 0; i < r.n_files; i++)
            lex_c(r.files[i].path, r.files[i].text.data, &skeleton[i], &pool);
        for (size_t i = 0; i < cat.n_dbs; i++) {
            const struct gen_db *db = &cat.dbs[i];
            if (!in_pool(&pool, db->name) || !in_pool(&pool, db->marketing_name))
                fail("catalog_data.c", "a database's name or marketing name is not in the pool", db->marketing_name);
            for (size_t j = 0; j < db->n_events; j++) {
                const struct gen_event *e = &db->events[j];
                if (!in_pool(&pool, e->name) || (e->description && !in_pool(&pool, e->description)))
                    fail("catalog_data.c", "an event's name or description is not in the pool", e->name);
            }
        }
        plain_strings(&cat);
        if (emit_catalog(&cat, &tables, &plain) == 0) {
            if (plain.n_files != r.n_files)
                fail("catalog", "plain strings give another number of files", NULL);
            for (size_t i = 0; i < r.n_files; i++) {
                struct buf other = {0};
                lex_c(plain.files[i].path, plain.files[i].text.data, &other, NULL);
                if (other.len != skeleton[i].len || memcmp(other.data, skeleton[i].data, other.len))
                    fail(r.files[i].path, "a marketing name or description changes the code", NULL);
                buf_free(&other);
            }
        }
        for (size_t i = 0; i < r.n_files; i++)
            buf_free(&skeleton[i]);
        free(skeleton);
        buf_free(&pool);
    }
    emit_free(&plain);
    emit_free(&r);
    gen_arena_free();
    gen_n_errors = gen_n_warnings = 0;
    return 0;
}
