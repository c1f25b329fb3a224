/* The host CPU: hw.cputype, hw.cpusubtype and hw.cpufamily via sysctl. */
#include <kpmc/kpmc.h>

#include <stdio.h>

#if defined(__APPLE__)
#include <sys/sysctl.h>
#include <sys/types.h>

static int read_u32(const char *name, uint32_t *out)
{
    uint32_t v = 0;
    size_t len = sizeof v;
    if (sysctlbyname(name, &v, &len, NULL, 0) != 0 || len != sizeof v)
        return -1;
    *out = v;
    return 0;
}

int kpmc_host_cpu_string(char *buf, size_t len)
{
    uint32_t type, subtype, family;
    if (!buf)
        return KPMC_E_INVAL;
    if (read_u32("hw.cputype", &type) || read_u32("hw.cpusubtype", &subtype) ||
        read_u32("hw.cpufamily", &family))
        return KPMC_E_UNSUPPORTED;
    int n = snprintf(buf, len, "cpu_%x_%x_%x", (unsigned)type, (unsigned)subtype, (unsigned)family);
    if (n < 0 || (size_t)n >= len)
        return KPMC_E_INVAL;
    return 0;
}
#else
int kpmc_host_cpu_string(char *buf, size_t len)
{
    if (!buf)
        return KPMC_E_INVAL;
    if (len)
        buf[0] = '\0';
    return KPMC_E_UNSUPPORTED;
}
#endif

const kpmc_db *kpmc_host_db(void)
{
    char s[64];
    if (kpmc_host_cpu_string(s, sizeof s) != 0)
        return NULL;
    return kpmc_db_for_cpu_string(s);
}
