/* kpmc-gen's plist reader from the inside (gen/plist.c is compiled into this
 * test so that its static helpers can be called):
 *  - kind_of() on element names held in allocations of their exact size,
 *    every prefix of every plist element name and other short names, so
 *    that AddressSanitizer sees any read past a name's terminating NUL;
 *  - plist_parse() on documents whose element names are one letter long. */
#include "plist.c"

#include <stdio.h>

static int failures;

static void expect_kind(const char *name, enum pl_kind want)
{
    size_t n = strlen(name) + 1;
    char *exact = malloc(n); /* no slack after the NUL */
    if (!exact) {
        fputs("out of memory\n", stderr);
        exit(1);
    }
    memcpy(exact, name, n);
    enum pl_kind got = kind_of(exact);
    free(exact);
    if (got != want) {
        fprintf(stderr, "FAIL: kind_of(\"%s\") = %d, expected %d\n", name, (int)got, (int)want);
        failures++;
    }
}

int main(void)
{
    /* The plist element names, written out here rather than taken from
     * kind_names[], and what kind_of() must make of them. */
    static const struct {
        const char *name;
        enum pl_kind kind;
    } names[] = {
        {"dict", PL_DICT}, {"array", PL_ARRAY}, {"string", PL_STRING}, {"integer", PL_INTEGER},
        {"real", PL_REAL}, {"true", PL_TRUE},   {"false", PL_FALSE},   {"data", PL_DATA},
        {"date", PL_DATE}, {"key", PL_KEY},     {"plist", PL_PLIST},
    };
    size_t checked = 0;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        size_t len = strlen(names[i].name);
        char prefix[16];
        /* Every proper prefix is no plist element; the whole name is. */
        for (size_t k = 0; k <= len; k++) {
            memcpy(prefix, names[i].name, k);
            prefix[k] = '\0';
            expect_kind(prefix, k == len ? names[i].kind : PL_BAD);
            checked++;
        }
        /* One letter more is no plist element either. */
        memcpy(prefix, names[i].name, len);
        memcpy(prefix + len, "s", 2);
        expect_kind(prefix, PL_BAD);
        checked++;
    }
    for (int c = 1; c < 128; c++) {
        char one[2] = {(char)c, '\0'};
        expect_kind(one, PL_BAD);
        checked++;
    }
    static const char *const others[] = {"di", "da", "dat", "datum", "dictionary", "d1", "x", "plistx", ""};
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++, checked++)
        expect_kind(others[i], PL_BAD);

    /* Whole documents with one-letter elements: a clean error, no crash. */
    plist_init();
    static const char *const docs[] = {
        "<?xml version=\"1.0\"?>\n<plist version=\"1.0\">\n<d/>\n</plist>\n",
        "<?xml version=\"1.0\"?>\n<plist version=\"1.0\">\n<dict><key>k</key><d>1</d></dict>\n</plist>\n",
        "<?xml version=\"1.0\"?>\n<d/>\n",
    };
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        struct pl_doc doc;
        int before = gen_n_errors;
        int rc = plist_parse("one-letter.plist", docs[i], strlen(docs[i]), &doc);
        if (rc == 0 && i == 0 && (plist_kind(doc.root) != PL_BAD || strcmp(doc.root->name, "d"))) {
            fprintf(stderr, "FAIL: document %zu: <d> read as <%s>\n", i, doc.root->name);
            failures++;
        }
        if (rc != 0 && gen_n_errors == before) {
            fprintf(stderr, "FAIL: document %zu: failed without a message\n", i);
            failures++;
        }
    }
    plist_cleanup();
    gen_arena_free();
    if (failures) {
        fprintf(stderr, "%d failure(s)\n", failures);
        return 1;
    }
    printf("ok: kind_of on %zu exact-size names, one-letter elements in %zu documents\n", checked,
           sizeof docs / sizeof docs[0]);
    return 0;
}
