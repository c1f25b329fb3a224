/* The running library's version (include/kpmc/version.h). */
#include <kpmc/version.h>

#define KPMC_STR_(x) #x
#define KPMC_STR(x) KPMC_STR_(x)

unsigned kpmc_version(void)
{
    return KPMC_VERSION_HEX;
}

const char *kpmc_version_string(void)
{
    return KPMC_STR(KPMC_VERSION_MAJOR) "." KPMC_STR(KPMC_VERSION_MINOR) "." KPMC_STR(KPMC_VERSION_PATCH);
}
