/* Writing measurement results as JSON and CSV, into the caller's buffer
 * (snprintf's contract) or FILE *. */
#include <kpmc/measure.h>

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "counts.h"
#include "json.h"

/* Where the text goes: a FILE *, else a buffer that counts what did not
 * fit. */
struct out {
    FILE *f;
    int failed;
    char *buf;
    size_t len, pos;
};

static void put_raw(struct out *o, const char *s, size_t n)
{
    if (o->f) {
        if (n && fwrite(s, 1, n, o->f) != n)
            o->failed = 1;
        return;
    }
    if (o->pos < o->len) {
        size_t room = o->len - 1 - o->pos; /* one byte for the NUL */
        size_t k = n < room ? n : room;
        memcpy(o->buf + o->pos, s, k);
        o->buf[o->pos + k] = '\0';
    }
    o->pos += n;
}

static void put(struct out *o, const char *s)
{
    put_raw(o, s, strlen(s));
}

/* A number: the shortest of %.15g and %.17g that reads back exactly;
 * `none` when it is not finite. */
static void put_num(struct out *o, double x, const char *none)
{
    if (!isfinite(x)) {
        put(o, none);
        return;
    }
    char text[32];
    snprintf(text, sizeof text, "%.15g", x);
    if (strtod(text, NULL) != x)
        snprintf(text, sizeof text, "%.17g", x);
    put(o, text);
}

static void put_uint(struct out *o, unsigned long long x)
{
    char text[24];
    snprintf(text, sizeof text, "%llu", x);
    put(o, text);
}

static void json_put(void *o, const char *p, size_t n)
{
    put_raw(o, p, n);
}

static void put_json_str(struct out *o, const char *s)
{
    kpmc_json_string(s, json_put, o);
}

/* A member of a JSON object with a string value: what goes before it ("{",
 * ","), "key": and s. */
static void put_json_member(struct out *o, const char *before, const char *key, const char *s)
{
    put(o, before);
    put_raw(o, "\"", 1);
    put(o, key);
    put(o, "\":");
    put_json_str(o, s);
}

/* Text inside a CSV field; quotes doubled when the field is quoted. */
static void put_csv_part(struct out *o, const char *s, int quoted)
{
    for (const char *q; quoted && (q = strchr(s, '"')); s = q + 1) {
        put_raw(o, s, (size_t)(q - s + 1));
        put_raw(o, "\"", 1);
    }
    put(o, s);
}

/* A CSV field holding a, or a "/" b when b is not NULL; quoted (RFC 4180)
 * when needed. */
static void put_csv_str(struct out *o, const char *a, const char *b)
{
    int quote = a[strcspn(a, ",\"\r\n")] || (b && b[strcspn(b, ",\"\r\n")]);
    if (quote)
        put_raw(o, "\"", 1);
    put_csv_part(o, a, quote);
    if (b) {
        put_raw(o, "/", 1);
        put_csv_part(o, b, quote);
    }
    if (quote)
        put_raw(o, "\"", 1);
}

/* KPMC_COUNTS_* as `kpmc check --kernel` names them. */
static const char *pinned_word(int pinned)
{
    return pinned > 0 ? "yes" : pinned == 0 ? "no" : pinned == KPMC_E_UNSUPPORTED ? "unsupported" : "refused";
}

static void put_json_stats(struct out *o, const kpmc_stats *st)
{
    static const char *const keys[] = {",\"min\":", ",\"median\":", ",\"mean\":", ",\"stddev\":", ",\"mad\":"};
    const double values[] = {st->min, st->median, st->mean, st->stddev, st->mad};
    put(o, "\"n\":");
    put_uint(o, st->n);
    for (size_t i = 0; i < 5; i++) {
        put(o, keys[i]);
        put_num(o, values[i], "null");
    }
}

static void write_json(const kpmc_result *r, struct out *o)
{
    put_json_member(o, "{", "db", kpmc_db_name(r->db));
    put(o, r->mode == KPMC_MODE_USER ? ",\"mode\":\"user\",\"iterations\":" : ",\"mode\":\"all\",\"iterations\":");
    put_uint(o, r->iterations);
    put(o, ",\"repetitions\":");
    put_uint(o, r->repetitions);
    put(o, ",\"warmup\":");
    put_uint(o, r->warmup);
    put(o, ",\"groups\":");
    put_uint(o, r->n_groups);
    put(o, r->calibrated ? ",\"calibrated\":true,\"pinned\":\"" : ",\"calibrated\":false,\"pinned\":\"");
    put(o, pinned_word(r->pinned));
    put(o, r->core_types ? "\",\"core_types\":true,\"migrated\":" : "\",\"core_types\":false,\"migrated\":");
    put_uint(o, r->migrated);
    put(o, ",\"events\":[");
    for (size_t e = 0; e < r->n_events; e++) {
        const kpmc_measured_event *ev = &r->events[e];
        put_json_member(o, e ? ",\n {" : "\n {", "name", ev->name);
        put_json_member(o, ",", "counted", ev->counted);
        put(o, ",\"counts\":\"");
        put(o, kpmc_counts_word(ev->counts));
        put(o, ev->anchor ? "\",\"anchor\":true,\"group\":" : "\",\"anchor\":false,\"group\":");
        put_uint(o, ev->group);
        put(o, ",");
        put_json_stats(o, &ev->stats);
        put(o, ",\"overhead\":{");
        put_json_stats(o, &ev->overhead);
        put(o, "}}");
    }
    put(o, "],\n\"metrics\":[");
    for (size_t i = 0; i < r->n_metrics; i++) {
        const kpmc_measured_metric *x = &r->metrics[i];
        put_json_member(o, i ? ",\n {" : "\n {", "name", x->name);
        put_json_member(o, ",", "description", x->description);
        put_json_member(o, ",", "numerator", r->events[x->numerator].name);
        put_json_member(o, ",", "denominator", r->events[x->denominator].name);
        put(o, ",\"value\":");
        put_num(o, x->value, "null");
        put(o, "}");
    }
    put(o, "]}\n");
}

static void write_csv(const kpmc_result *r, struct out *o)
{
    put(o, "kind,name,counted,counts,group,n,min,median,mean,stddev,mad,overhead,value\n");
    for (size_t e = 0; e < r->n_events; e++) {
        const kpmc_measured_event *ev = &r->events[e];
        const kpmc_stats *st = &ev->stats;
        put(o, "event,");
        put_csv_str(o, ev->name, NULL);
        put(o, ",");
        put_csv_str(o, ev->counted, NULL);
        put(o, ",");
        put(o, kpmc_counts_word(ev->counts));
        put(o, ",");
        put_uint(o, ev->group);
        put(o, ",");
        put_uint(o, st->n);
        const double values[] = {st->min, st->median, st->mean, st->stddev, st->mad, ev->overhead.median};
        for (size_t i = 0; i < 6; i++) {
            put(o, ",");
            put_num(o, i == 5 && !ev->overhead.n ? 0 : values[i], "");
        }
        put(o, ",\n");
    }
    for (size_t i = 0; i < r->n_metrics; i++) {
        const kpmc_measured_metric *x = &r->metrics[i];
        put(o, "metric,");
        put_csv_str(o, x->name, NULL);
        put(o, ",");
        put_csv_str(o, r->events[x->numerator].name, r->events[x->denominator].name);
        put(o, ",,,,,,,,,,");
        put_num(o, x->value, "");
        put(o, "\n");
    }
}

static size_t to_buffer(const kpmc_result *r, char *buf, size_t len, void (*write)(const kpmc_result *, struct out *))
{
    struct out o = {NULL, 0, buf, buf ? len : 0, 0};
    if (o.len)
        buf[0] = '\0';
    if (r)
        write(r, &o);
    return o.pos;
}

static int to_file(const kpmc_result *r, FILE *f, void (*write)(const kpmc_result *, struct out *))
{
    if (!r || !f)
        return KPMC_E_INVAL;
    struct out o = {f, 0, NULL, 0, 0};
    write(r, &o);
    return o.failed || ferror(f) ? KPMC_E_IO : 0;
}

size_t kpmc_result_json(const kpmc_result *r, char *buf, size_t len)
{
    return to_buffer(r, buf, len, write_json);
}

size_t kpmc_result_csv(const kpmc_result *r, char *buf, size_t len)
{
    return to_buffer(r, buf, len, write_csv);
}

int kpmc_result_write_json(const kpmc_result *r, FILE *f)
{
    return to_file(r, f, write_json);
}

int kpmc_result_write_csv(const kpmc_result *r, FILE *f)
{
    return to_file(r, f, write_csv);
}
