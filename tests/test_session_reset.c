/* kpmc_reset and `kpmc reset` against the simulated kperf: from a machine
 * left counting, as a non-root user, with the force held by another task,
 * with a kpc call failing.
 *
 * Usage: test_session_reset reset_lib
 *        test_session_reset reset_cli PATH_OF_KPMC */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "test_session.h"

static void case_lib(void)
{
    char d[KPMC_DETAIL_MAX];
    sim_env("KPMC_SIM_INIT=3:3:1", NULL);
    int r = kpmc_reset(NULL, d, sizeof d);
    struct kpmc_sim_state st = sim_state();
    CHECK(r == 0, "%s (%s)", kpmc_strerror(r), d);
    CHECK(st.counting == 0 && st.thread_counting == 0 && st.force_all == 0, "left 0x%x 0x%x %d",
          (unsigned)st.counting, (unsigned)st.thread_counting, st.force_all);
    CHECK(contains(d, "found thread counting 0x3, counting 0x3, force_all_ctrs 1") &&
              contains(d, "kpc_set_thread_counting(0) done") && contains(d, "kpc_set_counting(0) done") &&
              contains(d, "kpc_force_all_ctrs_set(0) done"),
          "detail \"%s\"", d);

    sim_env("KPMC_SIM_INIT=3:3:1", "KPMC_SIM_NOROOT=1", NULL);
    r = kpmc_reset(sim.path, d, sizeof d);
    st = sim_state();
    CHECK(r == KPMC_E_PERM && contains(d, "sudo"), "not root: %s (%s)", kpmc_strerror(r), d);
    CHECK(st.counting == 3 && st.thread_counting == 3 && st.force_all == 1, "not root changed the state");

    /* The force belongs to another task: the rest is still reset. */
    sim_env("KPMC_SIM_INIT=3:3:0", "KPMC_SIM_FORCE_HELD=1", NULL);
    r = kpmc_reset(NULL, d, sizeof d);
    st = sim_state();
    if (sim_profile("cpc"))
        CHECK(r == 0 && contains(d, "kpc_force_all_ctrs_set(0) done, but force_all_ctrs still reads 1") &&
                  contains(d, "kpc_set_counting(0) done"),
              "force held, cpc: %s (%s)", kpmc_strerror(r), d);
    else
        CHECK(r == KPMC_E_BUSY && contains(d, "kpc_force_all_ctrs_set(0) failed with EACCES") &&
                  contains(d, "kpc_set_counting(0) done"),
              "force held: %s (%s)", kpmc_strerror(r), d);
    CHECK(st.counting == 0 && st.thread_counting == 0, "force held: counting left on");

    sim_env("KPMC_SIM_INIT=3:3:1", "KPMC_SIM_FAULT=kpc_set_counting:1:EIO", NULL);
    r = kpmc_reset(NULL, d, sizeof d);
    st = sim_state();
    CHECK(r == KPMC_E_KPC && contains(d, "kpc_set_counting(0) failed with EIO"), "fault: %s (%s)",
          kpmc_strerror(r), d);
    CHECK(st.counting == 3 && st.thread_counting == 0 && st.force_all == 0, "fault: 0x%x 0x%x %d",
          (unsigned)st.counting, (unsigned)st.thread_counting, st.force_all);

    /* No detail buffer wanted. */
    sim_env("KPMC_SIM_INIT=1:1:1", NULL);
    CHECK(kpmc_reset(NULL, NULL, 0) == 0 && sim_state().counting == 0, "reset without a detail buffer");
}

static const char *kpmc_cli = "(no kpmc given)";

/* `kpmc reset ARGS` through sh: its exit status, and its stdout and
 * stderr in out. */
static int reset_cli(const char *args, char *out, size_t len)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "'%s' reset %s 2>&1", kpmc_cli, args);
    FILE *p = popen(cmd, "r");
    if (!p) {
        fprintf(stderr, "popen %s failed\n", cmd);
        exit(1);
    }
    size_t n = fread(out, 1, len - 1, p);
    out[n] = '\0';
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void case_cli(void)
{
    char args[1024], out[4096];
    snprintf(args, sizeof args, "--kperf '%s'", sim.path);
    unsetenv("KPMC_KPERF_PATH");
    setenv("KPMC_SIM_INIT", "3:3:1", 1);
    int rc = reset_cli(args, out, sizeof out);
    CHECK(rc == 0 && contains(out, "found thread counting 0x3, counting 0x3, force_all_ctrs 1") &&
              contains(out, "kpc_force_all_ctrs_set(0) done"),
          "exit %d, output:\n%s", rc, out);

    setenv("KPMC_SIM_NOROOT", "1", 1);
    rc = reset_cli(args, out, sizeof out);
    CHECK(rc == 1 && contains(out, "needs root") && contains(out, "sudo"), "not root: exit %d, output:\n%s", rc,
          out);
    unsetenv("KPMC_SIM_NOROOT");

    /* The path from the environment. */
    setenv("KPMC_KPERF_PATH", sim.path, 1);
    rc = reset_cli("", out, sizeof out);
    CHECK(rc == 0 && contains(out, "done"), "KPMC_KPERF_PATH: exit %d, output:\n%s", rc, out);
    rc = reset_cli("--kperf /nonexistent/kperf", out, sizeof out);
    CHECK(rc == 1 && contains(out, "/nonexistent/kperf"), "missing kperf: exit %d, output:\n%s", rc, out);
    rc = reset_cli("--help", out, sizeof out);
    CHECK(rc == 0 && contains(out, "usage: kpmc reset") && contains(out, "--kperf"), "--help: exit %d:\n%s", rc,
          out);
    rc = reset_cli("--bogus", out, sizeof out);
    CHECK(rc == 2 && contains(out, "--bogus"), "bad option: exit %d:\n%s", rc, out);
    rc = reset_cli("--kperf", out, sizeof out);
    CHECK(rc == 2 && contains(out, "needs a value"), "--kperf without a value: exit %d:\n%s", rc, out);
}

int main(int argc, char **argv)
{
    static const struct t_case cases[] = {{"reset_lib", case_lib}, {"reset_cli", case_cli}};
    if (argc > 2)
        kpmc_cli = argv[2];
    return t_main(argc, argv, cases, sizeof cases / sizeof cases[0]);
}
