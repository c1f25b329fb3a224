/* Helpers shared by the catalog tests (test_catalog_*.c); checks: check.h. */
#ifndef KPMC_TEST_CATALOG_H
#define KPMC_TEST_CATALOG_H

#include <stdio.h>
#include <string.h>

#include <kpmc/catalog.h>

#include "check.h"

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
