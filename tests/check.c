/* The tests' check counts and reports (check.h). */
#include "check.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

_Atomic int check_failures;
static atomic_long check_count;

void check_pass(void)
{
    check_count++;
}

int check_failed(void)
{
    return check_failures;
}

void check_fail(const char *file, int line, const char *cond, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    check_count++;
    check_failures++;
    fprintf(stderr, "%s:%d: CHECK(%s) failed%s%s\n", file, line, cond, msg[0] ? ": " : "", msg);
}

void check_int(const char *file, int line, const char *what, long long got, long long want)
{
    if (got == want)
        check_pass();
    else
        check_fail(file, line, what, "%lld (0x%llx), expected %lld (0x%llx)", got, (unsigned long long)got, want,
                   (unsigned long long)want);
}

void check_str(const char *file, int line, const char *what, const char *got, const char *want)
{
    if (got == want || (got && want && !strcmp(got, want)))
        check_pass();
    else
        check_fail(file, line, what, "%s%s%s, expected %s%s%s", got ? "\"" : "", got ? got : "NULL",
                   got ? "\"" : "", want ? "\"" : "", want ? want : "NULL", want ? "\"" : "");
}

int check_result(const char *name)
{
    if (check_failures) {
        fprintf(stderr, "%s: %d of %ld checks failed\n", name, (int)check_failures, (long)check_count);
        return 1;
    }
    printf("%s: %ld checks passed\n", name, (long)check_count);
    return 0;
}
