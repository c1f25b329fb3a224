/* A kperf stand-in with only some of the kpc_* functions kpmc needs (no
 * kpc_set_thread_counting), so that loading it fails with KPMC_E_LOAD naming
 * the missing one.  Every function fails: kpmc must never get to call one. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

int kpc_cpu_string(char *buf, size_t len);
int kpc_force_all_ctrs_get(int *out);
int kpc_force_all_ctrs_set(int on);
uint32_t kpc_get_counting(void);
int kpc_set_counting(uint32_t classes);
uint32_t kpc_get_thread_counting(void);

int kpc_cpu_string(char *buf, size_t len)
{
    (void)buf, (void)len;
    errno = ENOSYS;
    return -1;
}

int kpc_force_all_ctrs_get(int *out)
{
    (void)out;
    errno = ENOSYS;
    return -1;
}

int kpc_force_all_ctrs_set(int on)
{
    (void)on;
    errno = ENOSYS;
    return -1;
}

uint32_t kpc_get_counting(void)
{
    errno = ENOSYS;
    return 0;
}

int kpc_set_counting(uint32_t classes)
{
    (void)classes;
    errno = ENOSYS;
    return -1;
}

uint32_t kpc_get_thread_counting(void)
{
    errno = ENOSYS;
    return UINT32_MAX;
}
