/* kpmc info: this machine's CPU, its database and whether kpmc can count
 * here; elsewhere than on a Mac, the catalog's databases. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "doc_fmt.h"

#if defined(__APPLE__)
#include <sys/sysctl.h>
#include <sys/types.h>
#include <unistd.h>
#endif

/* Exit codes beyond the common 0/1/2. */
enum { EXIT_NOT_MAC = 3, EXIT_NO_DB = 4, EXIT_CANNOT_COUNT = 5 };

static void usage(FILE *f)
{
    fputs("usage: kpmc info\n"
          "\n"
          "On a Mac: the CPU (hw.cputype, hw.cpusubtype, hw.cpufamily as the kpep\n"
          "cpu_* name), the catalog's database for it ($KPMC_DB overrides), its\n"
          "counters, whether this process is root, the kernel's force_all_ctrs\n"
          "state, and whether kpmc can count: it opens a session (which forces all\n"
          "counters) and closes it again, restoring the kernel's state.  Without\n"
          "root it says whether kpmc can still count each thread's own cycles and\n"
          "instructions (thread_selfcounts), and why the rest needs root.  When it\n"
          "can, it probes the kernel (kpmc_session_probe): whether a selector\n"
          "allowlist refuses events and which, whether configurable counters count\n"
          "kernel mode, and who held or used the counters when kpmc started.\n"
          "With $KPMC_KPERF_PATH set, the same through that library on any OS.\n"
          "Elsewhere: says so and lists the databases of the built-in catalog.\n"
          "\n"
          "  --help  print this help\n"
          "\n"
          "Exit status:\n"
          "  0  a Mac whose counters kpmc can use now\n"
          "  1  the output could not be written\n"
          "  2  usage error\n"
          "  3  not a Mac: nothing can be counted here\n"
          "  4  a Mac whose CPU family has no database in the catalog\n"
          "  5  a Mac with a database, but counting is not possible now (not root:\n"
          "     cycles and instructions at most; kperf.framework missing, counters\n"
          "     held by another client)\n",
          f);
}

static void list_databases(FILE *f)
{
    fprintf(f, "The built-in catalog (%s) has %zu databases:\n\n", kpmc_catalog_generator(), kpmc_db_count());
    fprintf(f, "  %-10s %-7s %6s  %-6s %-12s %-8s %s\n", "DATABASE", "ARCH", "EVENTS", "FIXED", "CONFIGURABLE",
            "RESERVED", "CPU");
    for (size_t i = 0; i < kpmc_db_count(); i++) {
        kpmc_db_info d = {.size = sizeof d};
        char fixed[DOC_COUNTERS_LEN], config[DOC_COUNTERS_LEN], power[DOC_COUNTERS_LEN];
        kpmc_db_get(kpmc_db_at(i), &d);
        doc_counters_str(d.fixed_counters, fixed);
        doc_counters_str(d.config_counters, config);
        doc_counters_str(d.power_counters, power);
        char label[DOC_LABEL_LEN];
        doc_db_label(&d, label);
        fprintf(f, "  %-10s %-7s %6zu  %-6s %-12s %-8s %s\n", d.name, d.architecture, d.n_events, fixed, config,
                d.power_counters ? power : "-", label);
    }
    fputs("\nCounters are numbered as in the databases, fixed counters first; RESERVED\n"
          "counters belong to the power manager unless all counters are forced.\n",
          f);
    fputs("\n'kpmc list --db NAME' lists the events of one; 'kpmc doc --out DIR' writes\n"
          "them all as HTML pages.\n",
          f);
}

static void counters_line(FILE *f, const kpmc_db_info *d)
{
    char fixed[DOC_COUNTERS_LEN], config[DOC_COUNTERS_LEN], power[DOC_COUNTERS_LEN];
    doc_counters_str(d->fixed_counters, fixed);
    doc_counters_str(d->config_counters, config);
    doc_counters_str(d->power_counters, power);
    fprintf(f, "%u fixed (%s), %u configurable (%s)", kpmc_popcount32(d->fixed_counters), fixed,
            kpmc_popcount32(d->config_counters), config);
    if (d->power_counters)
        fprintf(f, ", of which %s reserved by the power manager unless forced", power);
}

/* What a probe of the session's kernel found (the "Kernel:" lines). */
static void kernel_lines(FILE *f, kpmc_session *s, const kpmc_db_info *d)
{
    kpmc_probe pr = {.size = sizeof pr};
    memset(&pr, 0, sizeof pr);
    pr.size = sizeof pr;
    int rc = kpmc_session_probe(s, &pr);
    if (rc != 0) {
        fprintf(f, "Kernel:         could not probe it: %s\n", kpmc_session_error(s));
        return;
    }
    const char *indent = "                ";
    fputs("Kernel:         selector allowlist: ", f);
    if (pr.allowlist < 0)
        fputs("none (x86_64 kernels have none)", f);
    else if (!pr.allowlist)
        fputs("off: the kernel accepts a selector of no event", f);
    else
        fprintf(f, "on: the kernel refuses a selector of no %s event", d->name);
    if (pr.n_refused) {
        fprintf(f, ";\n%s%u of the %u configurable events of %s are refused alone:", indent, pr.n_refused,
                pr.n_tried, d->name);
        enum { SHOWN = 8 };
        for (unsigned i = 0; i < pr.n_refused && i < SHOWN; i++)
            fprintf(f, "%s %s", i ? "," : "", kpmc_event_name(kpmc_session_db(s), pr.refused[i]));
        if (pr.n_refused > SHOWN)
            fprintf(f, " and %u more", pr.n_refused - SHOWN);
    } else if (pr.n_tried) {
        fprintf(f, "; all %u configurable events of %s are accepted", pr.n_tried, d->name);
    }
    fprintf(f, "\n%sconfigurable counters count: %s\n", indent,
            pr.kernel_counting < 0   ? "unknown (no event could be programmed)"
            : pr.kernel_counting > 0 ? "user and kernel mode"
                                     : "user mode only (fixed counters count both: kpmc counts a KPMC_MODE_ALL "
                                       "set mixing them in user mode)");
    if (pr.config_counters != d->config_counters) {
        char have[DOC_COUNTERS_LEN];
        doc_counters_str(pr.config_counters, have);
        fprintf(f, "%sconfigurable counters given: %u of %u (%s)\n", indent, kpmc_popcount32(pr.config_counters),
                kpmc_popcount32(d->config_counters), have);
    }
    fprintf(f, "%swhen kpmc started: force_all_ctrs %d, counting 0x%x, thread counting 0x%x", indent,
            pr.force_found, (unsigned)pr.counting_found, (unsigned)pr.thread_counting_found);
    if (pr.force_found)
        fputs(";\n" "                another client held all counters (or the kernel has no power manager)", f);
    if (pr.counting_found || pr.thread_counting_found)
        fputs(";\n" "                another client was counting (or one that crashed: 'kpmc reset' stops it)", f);
    if (!pr.force_found && !pr.counting_found && !pr.thread_counting_found)
        fputs(" (nobody else)", f);
    fputc('\n', f);
}

/* Open a session, probe its kernel, close: the "Counting:" line. */
static int counting_lines(FILE *f, kpmc_session *s, int rc)
{
    if (rc != 0) {
        fprintf(f, "Counting:       not possible now: %s\n", s ? kpmc_session_error(s) : kpmc_strerror(rc));
        return EXIT_CANNOT_COUNT;
    }
    if (kpmc_session_privileged(s) == 0) {
        fprintf(f,
                "Counting:       cycles and instructions only: without root kpmc counts each thread's\n"
                "                own (thread_selfcounts, user and kernel mode together); every\n"
                "                other event needs root: %s\n",
                kpmc_session_error(s));
        return EXIT_CANNOT_COUNT;
    }
    kpmc_db_info d = {.size = sizeof d};
    kpmc_db_get(kpmc_session_db(s), &d);
    kernel_lines(f, s, &d);
    fputs("Counting:       possible: kpmc opened a session and forced all counters, then\n"
          "                closed it and restored the kernel's state\n",
          f);
    return 0;
}

/* Through the library $KPMC_KPERF_PATH names, on any OS. */
static int info_kperf(FILE *f, const char *path)
{
    fprintf(f, "kperf:          %s ($KPMC_KPERF_PATH)\n", path);
    kpmc_session *s = NULL;
    int rc = kpmc_open(&s, NULL);
    if (s && kpmc_session_cpu(s)[0])
        fprintf(f, "CPU:            %s\n", kpmc_session_cpu(s));
    const kpmc_db *db = kpmc_session_db(s);
    if (db) {
        kpmc_db_info d = {.size = sizeof d};
        kpmc_db_get(db, &d);
        fprintf(f, "Database:       %s (%s, %s)\nCounters:       ", d.name, d.marketing_name, d.architecture);
        counters_line(f, &d);
        fputc('\n', f);
    }
    int st = counting_lines(f, s, rc);
    kpmc_close(s);
    if (rc == KPMC_E_NODB)
        return EXIT_NO_DB;
    return st;
}

#if defined(__APPLE__)
/* The kernel's kpc.force_all_ctrs, or -1 when it cannot be read (it needs
 * root). */
static int force_all_state(void)
{
    int v = 0;
    size_t len = sizeof v;
    if (sysctlbyname("kpc.force_all_ctrs", &v, &len, NULL, 0) != 0)
        return -1;
    return v;
}

static int info_mac(FILE *f, const char *cpu)
{
    unsigned type = 0, subtype = 0, family = 0;
    sscanf(cpu, "cpu_%x_%x_%x", &type, &subtype, &family);
    fprintf(f, "CPU:            %s (cputype 0x%x, cpusubtype %u, cpufamily 0x%x)\n", cpu, type, subtype, family);
    const kpmc_db *host = kpmc_db_for_cpu_string(cpu);
    const char *env = getenv("KPMC_DB");
    const kpmc_db *db = host;
    if (env && *env) {
        db = kpmc_db_find(env);
        if (!db)
            return cli_usage_error("info", "$KPMC_DB names no database: '%s'", env);
    }
    if (!db) {
        fprintf(f, "Database:       none: the catalog has no database for family 0x%x.\n"
                   "                Rebuild kpmc from this Mac's own databases:\n"
                   "                cmake -DKPMC_KPEP_DIR=/usr/share/kpep ...\n",
                family);
        return EXIT_NO_DB;
    }
    kpmc_db_info d = {.size = sizeof d};
    kpmc_db_get(db, &d);
    char label[DOC_LABEL_LEN];
    doc_db_label(&d, label);
    fprintf(f, "Database:       %s (%s, %s)", d.name, label, d.architecture);
    if (db != host)
        fprintf(f, ", chosen by $KPMC_DB; this CPU's is %s", host ? kpmc_db_name(host) : "unknown");
    fprintf(f, "\nCounters:       ");
    counters_line(f, &d);
    fprintf(f, "\nRoot:           %s\n", geteuid() == 0 ? "yes" : "no (counting needs root)");
    int forced = force_all_state();
    if (forced < 0)
        fputs("force_all_ctrs: unknown (reading it needs root)\n", f);
    else
        fprintf(f, "force_all_ctrs: %d (%s)\n", forced,
                forced ? "some client holds all counters"
                       : "the power manager keeps its counters");

    kpmc_session *s = NULL;
    int rc = kpmc_open(&s, NULL);
    int st = counting_lines(f, s, rc);
    kpmc_close(s);
    return st;
}
#endif

int kpmc_cmd_info(int argc, char **argv)
{
    const struct cli_option opts[] = {{NULL, NULL, NULL}};
    int st = cli_parse("info", argc, argv, opts, usage, NULL, 0, NULL);
    if (st >= 0)
        return st;
    FILE *f = stdout;
    char cpu[64];
    int status;
    const char *kperf = getenv("KPMC_KPERF_PATH");
    if (kpmc_host_cpu_string(cpu, sizeof cpu) != 0 && kperf && *kperf) {
        status = info_kperf(f, kperf);
    } else if (kpmc_host_cpu_string(cpu, sizeof cpu) != 0) {
        fputs("This machine is not a Mac (or its CPU cannot be read): kpmc can describe\n"
              "events here but not count them.\n\n",
              f);
        list_databases(f);
        status = EXIT_NOT_MAC;
    } else {
#if defined(__APPLE__)
        status = info_mac(f, cpu);
#else
        status = EXIT_NOT_MAC;
#endif
    }
    if (fflush(f) || ferror(f))
        return cli_error("info", "cannot write the output");
    return status;
}
