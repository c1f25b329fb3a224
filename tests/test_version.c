/* kpmc_version() and kpmc_version_string() agree with <kpmc/version.h> and
 * with the version CMake read from it (KPMC_PROJECT_VERSION). */
#include <stdio.h>
#include <string.h>

#include <kpmc/kpmc.h>

int main(void)
{
    char want[32];
    snprintf(want, sizeof want, "%d.%d.%d", KPMC_VERSION_MAJOR, KPMC_VERSION_MINOR, KPMC_VERSION_PATCH);
    int bad = 0;
    if (kpmc_version() != (unsigned)KPMC_VERSION_HEX) {
        fprintf(stderr, "kpmc_version() = %#x, header says %#x\n", kpmc_version(), (unsigned)KPMC_VERSION_HEX);
        bad = 1;
    }
    if (kpmc_version() >> 16 != KPMC_VERSION_MAJOR || ((kpmc_version() >> 8) & 0xff) != KPMC_VERSION_MINOR ||
        (kpmc_version() & 0xff) != KPMC_VERSION_PATCH) {
        fprintf(stderr, "kpmc_version() = %#x does not encode %s\n", kpmc_version(), want);
        bad = 1;
    }
    if (strcmp(kpmc_version_string(), want) != 0 || strcmp(want, KPMC_PROJECT_VERSION) != 0) {
        fprintf(stderr, "kpmc_version_string() = %s, header %s, CMake %s\n", kpmc_version_string(), want,
                KPMC_PROJECT_VERSION);
        bad = 1;
    }
    printf("%s\n", bad ? "0 passed, 1 failed" : "1 passed, 0 failed");
    return bad;
}
