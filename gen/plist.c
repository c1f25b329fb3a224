/* kpmc-gen: reading XML property lists with libxml2 (see plist.h). */
#include "plist.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include "util.h"

/* The first error libxml2 reported while parsing. */
static struct {
    int have;
    long line;
    char message[256];
} parse_error;

static void on_error(void *ctx, xmlErrorPtr e)
{
    (void)ctx;
    if (!e || e->level < XML_ERR_ERROR || parse_error.have)
        return;
    parse_error.have = 1;
    parse_error.line = e->line;
    const char *m = e->message ? e->message : "malformed XML";
    size_t n = strlen(m);
    while (n && (m[n - 1] == '\n' || m[n - 1] == ' '))
        n--;
    if (n >= sizeof parse_error.message)
        n = sizeof parse_error.message - 1;
    memcpy(parse_error.message, m, n);
    parse_error.message[n] = '\0';
}

void plist_init(void)
{
    xmlInitParser();
    xmlSetStructuredErrorFunc(NULL, on_error);
}

void plist_cleanup(void)
{
    xmlCleanupParser();
}

static int is_blank(const xmlChar *s)
{
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return 0;
    return 1;
}

static int element_is(xmlNodePtr n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

/* Next element child from *cur on, skipping comments and blank text;
 * NULL at the end; *bad set on any other content. */
static xmlNodePtr next_element(const struct pl_doc *d, xmlNodePtr *cur, xmlNodePtr parent, int *bad)
{
    for (xmlNodePtr n = *cur; n; n = n->next) {
        switch (n->type) {
        case XML_ELEMENT_NODE:
            *cur = n->next;
            return n;
        case XML_COMMENT_NODE:
        case XML_PI_NODE:
            continue;
        case XML_TEXT_NODE:
            if (is_blank(n->content))
                continue;
            gen_error(d->file, plist_line(parent), "unexpected text in <%s>", (const char *)parent->name);
            break;
        case XML_ENTITY_REF_NODE:
            gen_error(d->file, plist_line(parent), "entity reference &%s; is not supported",
                      (const char *)n->name);
            break;
        default:
            gen_error(d->file, plist_line(parent), "unexpected content in <%s>", (const char *)parent->name);
            break;
        }
        *bad = 1;
        *cur = NULL;
        return NULL;
    }
    *cur = NULL;
    return NULL;
}

int plist_parse(const char *file, const char *data, size_t len, struct pl_doc *out)
{
    memset(out, 0, sizeof *out);
    out->file = file;
    if (len > (size_t)0x7fffffff) {
        gen_error(file, 0, "file too large");
        return -1;
    }
    if (len >= 8 && !memcmp(data, "bplist00", 8)) {
        gen_error(file, 0, "binary property list; convert it with: plutil -convert xml1 -o OUT.plist %s", file);
        return -1;
    }
    parse_error.have = 0;
    /* No NOENT (entities are not substituted), no DTDLOAD/DTDATTR/DTDVALID
     * (no external subset), NONET; BIG_LINES for exact line numbers. */
    int options = XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOWARNING | XML_PARSE_NOERROR;
    xmlDocPtr doc = xmlReadMemory(data, (int)len, file, NULL, options);
    if (!doc || parse_error.have) {
        if (parse_error.have)
            gen_error(file, parse_error.line, "XML: %s", parse_error.message);
        else
            gen_error(file, 0, "XML: not well-formed");
        if (doc)
            xmlFreeDoc(doc);
        return -1;
    }
    out->doc = doc;
    xmlNodePtr top = xmlDocGetRootElement(doc);
    if (!element_is(top, "plist")) {
        gen_error(file, top ? plist_line(top) : 0, "the root element is not <plist>");
        plist_free(out);
        return -1;
    }
    int bad = 0;
    xmlNodePtr cur = top->children;
    xmlNodePtr v = next_element(out, &cur, top, &bad);
    if (!bad && !v)
        gen_error(file, plist_line(top), "<plist> is empty");
    if (!bad && v && next_element(out, &cur, top, &bad))
        gen_error(file, plist_line(top), "<plist> holds more than one value");
    if (bad || !v || cur) {
        plist_free(out);
        return -1;
    }
    out->root = v;
    return 0;
}

void plist_free(struct pl_doc *d)
{
    if (d->doc)
        xmlFreeDoc(d->doc);
    d->doc = NULL;
    d->root = NULL;
}

static const char *const kind_names[] = {
    [PL_BAD] = "unknown element", [PL_DICT] = "dict",   [PL_ARRAY] = "array",
    [PL_STRING] = "string",       [PL_INTEGER] = "integer", [PL_REAL] = "real",
    [PL_TRUE] = "true",           [PL_FALSE] = "false", [PL_DATA] = "data",
    [PL_DATE] = "date",
};

enum pl_kind plist_kind(xmlNodePtr n)
{
    if (!n || n->type != XML_ELEMENT_NODE)
        return PL_BAD;
    for (int k = PL_DICT; k <= PL_DATE; k++)
        if (!strcmp((const char *)n->name, kind_names[k]))
            return (enum pl_kind)k;
    return PL_BAD;
}

const char *plist_kind_name(enum pl_kind k)
{
    return kind_names[k];
}

long plist_line(xmlNodePtr n)
{
    return n ? xmlGetLineNo(n) : 0;
}

static int cmp_entry_key(const void *a, const void *b)
{
    const struct pl_entry *x = *(const struct pl_entry *const *)a, *y = *(const struct pl_entry *const *)b;
    int c = strcmp(x->key, y->key);
    if (c)
        return c;
    return (x->line > y->line) - (x->line < y->line);
}

int plist_dict(const struct pl_doc *d, xmlNodePtr dict, struct pl_entry **out, size_t *n)
{
    size_t count = 0, cap = 16;
    struct pl_entry *e = gen_alloc(cap * sizeof *e);
    xmlNodePtr cur = dict->children;
    int bad = 0;
    for (;;) {
        xmlNodePtr k = next_element(d, &cur, dict, &bad);
        if (bad)
            return -1;
        if (!k)
            break;
        if (!element_is(k, "key")) {
            gen_error(d->file, plist_line(k), "expected <key> in <dict>, found <%s>", (const char *)k->name);
            return -1;
        }
        xmlNodePtr v = next_element(d, &cur, dict, &bad);
        if (bad)
            return -1;
        if (!v) {
            gen_error(d->file, plist_line(k), "<key> without a value at the end of <dict>");
            return -1;
        }
        if (element_is(v, "key")) {
            gen_error(d->file, plist_line(v), "<key> follows <key> without a value");
            return -1;
        }
        if (count == cap) {
            struct pl_entry *bigger = gen_alloc(2 * cap * sizeof *e);
            memcpy(bigger, e, cap * sizeof *e);
            e = bigger;
            cap *= 2;
        }
        char *key;
        if (plist_text(d, k, &key))
            return -1;
        e[count].key = key;
        e[count].line = plist_line(k);
        e[count].value = v;
        count++;
    }
    if (count > 1) {
        const struct pl_entry **sorted = gen_alloc(count * sizeof *sorted);
        for (size_t i = 0; i < count; i++)
            sorted[i] = &e[i];
        qsort(sorted, count, sizeof *sorted, cmp_entry_key);
        for (size_t i = 1; i < count; i++)
            if (!strcmp(sorted[i]->key, sorted[i - 1]->key)) {
                gen_error(d->file, sorted[i]->line, "duplicate key '%s' (first at line %ld)",
                          sorted[i]->key, sorted[i - 1]->line);
                return -1;
            }
    }
    *out = e;
    *n = count;
    return 0;
}

int plist_array(const struct pl_doc *d, xmlNodePtr array, xmlNodePtr **out, size_t *n)
{
    size_t count = 0;
    for (xmlNodePtr c = array->children; c; c = c->next)
        count += c->type == XML_ELEMENT_NODE;
    xmlNodePtr *items = gen_alloc((count + 1) * sizeof *items);
    xmlNodePtr cur = array->children;
    int bad = 0;
    size_t i = 0;
    for (xmlNodePtr v; (v = next_element(d, &cur, array, &bad));)
        items[i++] = v;
    if (bad)
        return -1;
    *out = items;
    *n = i;
    return 0;
}

int plist_text(const struct pl_doc *d, xmlNodePtr n, char **out)
{
    struct buf b = {0};
    buf_puts(&b, "");
    for (xmlNodePtr c = n->children; c; c = c->next) {
        switch (c->type) {
        case XML_TEXT_NODE:
        case XML_CDATA_SECTION_NODE:
            buf_puts(&b, (const char *)c->content);
            break;
        case XML_COMMENT_NODE:
        case XML_PI_NODE:
            break;
        case XML_ENTITY_REF_NODE:
            gen_error(d->file, plist_line(n), "entity reference &%s; is not supported", (const char *)c->name);
            buf_free(&b);
            return -1;
        default:
            gen_error(d->file, plist_line(c), "unexpected element <%s> in <%s>", (const char *)c->name,
                      (const char *)n->name);
            buf_free(&b);
            return -1;
        }
    }
    *out = gen_strndup(b.data, b.len);
    buf_free(&b);
    return 0;
}

int plist_integer(const struct pl_doc *d, xmlNodePtr n, long long *out)
{
    char *text;
    if (plist_text(d, n, &text))
        return -1;
    const char *s = text;
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    int neg = *s == '-';
    if (*s == '-' || *s == '+')
        s++;
    int base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    int first = (unsigned char)*s;
    int digit = (first >= '0' && first <= '9') ||
                (base == 16 && ((first >= 'a' && first <= 'f') || (first >= 'A' && first <= 'F')));
    char *end = NULL;
    errno = 0;
    unsigned long long v = digit ? strtoull(s, &end, base) : 0;
    if (digit)
        while (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r')
            end++;
    if (!digit || *end) {
        gen_error(d->file, plist_line(n), "<integer> '%s' is not an integer", text);
        return -1;
    }
    if (errno == ERANGE || v > (unsigned long long)9223372036854775807LL + (unsigned long long)neg) {
        gen_error(d->file, plist_line(n), "<integer> '%s' is out of range", text);
        return -1;
    }
    *out = neg ? (long long)(0 - v) : (long long)v;
    return 0;
}
