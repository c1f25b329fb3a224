/* The tests' check counts and reports (check.h). */
#include "check.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int check_failures;
long check_count;
static pthread_mutex_t check_lock = PTHREAD_MUTEX_INITIALIZER;

void check_note(void)
{
    pthread_mutex_lock(&check_lock);
    check_count++;
    pthread_mutex_unlock(&check_lock);
}

void check_fail(const char *file, int line, const char *cond, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    pthread_mutex_lock(&check_lock);
    check_failures++;
    pthread_mutex_unlock(&check_lock);
    fprintf(stderr, "%s:%d: CHECK(%s) failed%s%s\n", file, line, cond, msg[0] ? ": " : "", msg);
}

void check_int(const char *file, int line, const char *what, long long got, long long want)
{
    check_note();
    if (got != want)
        check_fail(file, line, what, "%lld (0x%llx), expected %lld (0x%llx)", got, (unsigned long long)got, want,
                   (unsigned long long)want);
}

void check_str(const char *file, int line, const char *what, const char *got, const char *want)
{
    check_note();
    if (got == want || (got && want && !strcmp(got, want)))
        return;
    check_fail(file, line, what, "%s%s%s, expected %s%s%s", got ? "\"" : "", got ? got : "NULL", got ? "\"" : "",
               want ? "\"" : "", want ? want : "NULL", want ? "\"" : "");
}

int check_result(const char *name)
{
    if (check_failures) {
        fprintf(stderr, "%s: %d of %ld checks failed\n", name, check_failures, check_count);
        return 1;
    }
    printf("%s: %ld checks passed\n", name, check_count);
    return 0;
}
