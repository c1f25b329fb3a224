/* The checks of the C and C++ test programs, counted in tests/check.c,
 * which every test program links:
 *
 *   CHECK(cond)  CHECK(cond, "printf format", args...)
 *   CHECK_INT(got, want)   integers; a failure prints both
 *   CHECK_STR(got, want)   strings or NULL; likewise
 *
 * A failed check prints "file:line: CHECK(cond) failed: message" on stderr
 * and the test goes on; check_result(name) is main's exit status. */
#ifndef KPMC_TESTS_CHECK_H
#define KPMC_TESTS_CHECK_H

#if defined(__GNUC__)
#define CHECK_PRINTF_(f, a) __attribute__((format(printf, f, a)))
#else
#define CHECK_PRINTF_(f, a)
#endif

#ifdef __cplusplus
extern "C" {
#endif

extern int check_failures; /* failed checks so far */
extern long check_count;   /* checks so far */

/* Counts one check; the counts are kept under a lock, so checks may be
 * made from several threads. */
void check_note(void);
void check_fail(const char *file, int line, const char *cond, const char *fmt, ...) CHECK_PRINTF_(4, 5);
void check_int(const char *file, int line, const char *what, long long got, long long want);
void check_str(const char *file, int line, const char *what, const char *got, const char *want);
/* "name: N checks passed" and 0, or "name: F of N checks failed" and 1. */
int check_result(const char *name);

#ifdef __cplusplus
}
#endif

/* CHECK with a message or without: the 22nd argument of CHECK_PICK_ is
 * CHECK_BARE_ when CHECK has one argument, else CHECK_MSG_. */
#define CHECK(...)                                                                                           \
    CHECK_PICK_(__VA_ARGS__, CHECK_MSG_, CHECK_MSG_, CHECK_MSG_, CHECK_MSG_, CHECK_MSG_, CHECK_MSG_,         \
                CHECK_MSG_, CHECK_MSG_, CHECK_MSG_, CHECK_MSG_, CHECK_MSG_, CHECK_MSG_, CHECK_MSG_, CHECK_MSG_, \
                CHECK_MSG_, CHECK_MSG_, CHECK_MSG_, CHECK_MSG_, CHECK_MSG_, CHECK_MSG_, CHECK_BARE_, unused)      \
    (__VA_ARGS__)
#define CHECK_PICK_(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, \
                    a21, which, ...)                                                                          \
    which
#define CHECK_BARE_(cond) CHECK_MSG_(cond, "%s", "")
#define CHECK_MSG_(cond, ...)                                                                                \
    do {                                                                                                     \
        check_note();                                                                                        \
        if (!(cond))                                                                                         \
            check_fail(__FILE__, __LINE__, #cond, __VA_ARGS__);                                              \
    } while (0)
#define CHECK_INT(got, want) check_int(__FILE__, __LINE__, #got, (long long)(got), (long long)(want))
#define CHECK_STR(got, want) check_str(__FILE__, __LINE__, #got, (got), (want))

#endif
