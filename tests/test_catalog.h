/* Checks shared by the catalog tests (test_catalog_*.c): each failed check
 * prints where and what, and the test exits 1 at the end. */
#ifndef KPMC_TEST_CATALOG_H
#define KPMC_TEST_CATALOG_H

#include <stdio.h>
#include <string.h>

#include <kpmc/catalog.h>

static int test_failures;
static long test_checks;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        test_checks++;                                                               \
        if (!(cond)) {                                                               \
            test_failures++;                                                         \
            fprintf(stderr, "%s:%d: FAIL: %s\n", __FILE__, __LINE__, #cond);          \
        }                                                                            \
    } while (0)

#define CHECK_INT(got, want) check_int(__FILE__, __LINE__, #got, (long long)(got), (long long)(want))
#define CHECK_STR(got, want) check_str(__FILE__, __LINE__, #got, (got), (want))

static inline void check_int(const char *file, int line, const char *what, long long got, long long want)
{
    test_checks++;
    if (got != want) {
        test_failures++;
        fprintf(stderr, "%s:%d: FAIL: %s is %lld (0x%llx), expected %lld (0x%llx)\n", file, line, what, got,
                (unsigned long long)got, want, (unsigned long long)want);
    }
}

static inline void check_str(const char *file, int line, const char *what, const char *got, const char *want)
{
    test_checks++;
    if (got == want || (got && want && !strcmp(got, want)))
        return;
    test_failures++;
    fprintf(stderr, "%s:%d: FAIL: %s is %s%s%s, expected %s%s%s\n", file, line, what, got ? "\"" : "",
            got ? got : "NULL", got ? "\"" : "", want ? "\"" : "", want ? want : "NULL", want ? "\"" : "");
}

static inline int test_result(const char *name)
{
    if (test_failures) {
        fprintf(stderr, "%s: %d of %ld checks failed\n", name, test_failures, test_checks);
        return 1;
    }
    printf("%s: %ld checks passed\n", name, test_checks);
    return 0;
}

/* The C identifier part kpmc-gen makes of a name: letters upper-cased, any
 * character that is not a letter, digit or '_' becomes '_'. */
static inline void test_mangle(const char *name, char *out, size_t size)
{
    size_t i = 0;
    for (; name[i] && i + 1 < size; i++) {
        char c = name[i];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 32);
        else if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
            c = '_';
        out[i] = c;
    }
    out[i] = '\0';
}

#endif
