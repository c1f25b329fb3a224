/* kpmc-gen: reading XML property lists (see plist.h). */
#include "plist.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlversion.h>

#include "util.h"

static const char *const kind_names[] = {
    [PL_BAD] = "unknown element", [PL_DICT] = "dict",       [PL_ARRAY] = "array", [PL_STRING] = "string",
    [PL_INTEGER] = "integer",     [PL_REAL] = "real",       [PL_TRUE] = "true",   [PL_FALSE] = "false",
    [PL_DATA] = "data",           [PL_DATE] = "date",       [PL_KEY] = "key",     [PL_PLIST] = "plist",
};

/* The element called name, found by its first letters and confirmed by
 * comparing the whole name.  Each letter is read only after the one before
 * it proved not to be the terminating NUL. */
static enum pl_kind kind_of(const char *name)
{
    enum pl_kind k;
    switch (name[0]) {
    case 'a': k = PL_ARRAY; break;
    case 'd':
        k = name[1] == 'i' ? PL_DICT : name[1] == 'a' && name[2] == 't' && name[3] == 'a' ? PL_DATA : PL_DATE;
        break;
    case 'f': k = PL_FALSE; break;
    case 'i': k = PL_INTEGER; break;
    case 'k': k = PL_KEY; break;
    case 'p': k = PL_PLIST; break;
    case 'r': k = PL_REAL; break;
    case 's': k = PL_STRING; break;
    case 't': k = PL_TRUE; break;
    default: return PL_BAD;
    }
    return strcmp(name, kind_names[k]) ? PL_BAD : k;
}

static int is_container(enum pl_kind k)
{
    return k == PL_DICT || k == PL_ARRAY || k == PL_PLIST;
}

/* ---- SAX: build the tree ---- */

#define MAX_DEPTH 512 /* above libxml2's own limit */

struct builder {
    xmlParserCtxtPtr ctxt;
    const char *file;
    int failed;            /* an error was reported */
    struct pl_node *top;   /* the <plist> element */
    struct pl_node *stack[MAX_DEPTH];
    struct pl_node *last[MAX_DEPTH]; /* last child of each open element */
    int depth;
    struct buf text;       /* text of the open leaf element */
};

/* The line the parser stands on (0 when it has no input). */
static long cur_line(struct builder *b)
{
    return xmlSAX2GetLineNumber(b->ctxt);
}

/* Report the first error only, and stop the parser. */
static int first_failure(struct builder *b)
{
    if (b->failed)
        return 0;
    b->failed = 1;
    xmlStopParser(b->ctxt);
    return 1;
}

static void on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri,
                     int nb_namespaces, const xmlChar **namespaces, int nb_attributes, int nb_defaulted,
                     const xmlChar **attributes)
{
    (void)prefix, (void)uri, (void)nb_namespaces, (void)namespaces, (void)nb_attributes, (void)nb_defaulted,
        (void)attributes;
    struct builder *b = ctx;
    if (b->failed)
        return;
    const char *name = (const char *)localname;
    long line = cur_line(b);
    if (b->depth == MAX_DEPTH) {
        if (first_failure(b))
            gen_error(b->file, line, "elements nested too deeply");
        return;
    }
    struct pl_node *parent = b->depth ? b->stack[b->depth - 1] : NULL;
    if (!parent && strcmp(name, "plist")) {
        if (first_failure(b))
            gen_error(b->file, line, "the root element is <%s>, not <plist>", name);
        return;
    }
    if (parent && !is_container(parent->kind)) {
        if (first_failure(b))
            gen_error(b->file, line, "unexpected element <%s> inside a value", name);
        return;
    }
    struct pl_node *n = gen_alloc(sizeof *n);
    n->kind = kind_of(name);
    n->name = n->kind == PL_BAD ? gen_strdup(name) : kind_names[n->kind];
    n->line = line;
    if (parent) {
        if (b->last[b->depth - 1])
            b->last[b->depth - 1]->next = n;
        else
            parent->first = n;
        b->last[b->depth - 1] = n;
    } else {
        b->top = n;
    }
    b->stack[b->depth] = n;
    b->last[b->depth] = NULL;
    b->depth++;
    b->text.len = 0;
}

static void on_end(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri)
{
    (void)localname, (void)prefix, (void)uri;
    struct builder *b = ctx;
    if (b->failed || !b->depth)
        return;
    struct pl_node *n = b->stack[--b->depth];
    if (!is_container(n->kind))
        n->text = gen_strndup(b->text.data ? b->text.data : "", b->text.len);
    b->text.len = 0;
}

static void on_text(void *ctx, const xmlChar *ch, int len)
{
    struct builder *b = ctx;
    if (b->failed || !b->depth)
        return;
    struct pl_node *n = b->stack[b->depth - 1];
    if (!is_container(n->kind)) {
        buf_put(&b->text, ch, (size_t)len);
        return;
    }
    for (int i = 0; i < len; i++)
        if (ch[i] != ' ' && ch[i] != '\t' && ch[i] != '\n' && ch[i] != '\r') {
            /* The parser stands at the end of the text: count back to ch[i]. */
            long line = cur_line(b);
            for (int j = i; j < len; j++)
                line -= ch[j] == '\n';
            if (first_failure(b))
                gen_error(b->file, line, "unexpected text in <%s>", n->name);
            return;
        }
}

static void on_reference(void *ctx, const xmlChar *name)
{
    struct builder *b = ctx;
    if (first_failure(b))
        gen_error(b->file, cur_line(b), "entity reference &%s; is not supported", (const char *)name);
}

static void on_entity_decl(void *ctx, const xmlChar *name, int type, const xmlChar *public_id,
                           const xmlChar *system_id, xmlChar *content)
{
    (void)type, (void)public_id, (void)system_id, (void)content;
    struct builder *b = ctx;
    if (first_failure(b))
        gen_error(b->file, cur_line(b), "entity declarations are not supported (<!ENTITY %s>)", (const char *)name);
}

/* libxml2 2.12 made the structured error handler take a const xmlError *. */
#if LIBXML_VERSION >= 21200
typedef const xmlError *plist_xml_error;
#else
typedef xmlErrorPtr plist_xml_error;
#endif

static void on_error(void *ctx, plist_xml_error e)
{
    struct builder *b = ctx;
    if (!e || e->level < XML_ERR_ERROR || b->failed)
        return;
    /* One line: libxml2's message may hold newlines ("...!\nBytes: 0xD1"). */
    struct buf m = {0};
    buf_puts(&m, e->message ? e->message : "malformed XML");
    for (size_t i = 0; i < m.len; i++)
        if (m.data[i] == '\n' || m.data[i] == '\r')
            m.data[i] = ' ';
    while (m.len && m.data[m.len - 1] == ' ')
        m.data[--m.len] = '\0';
    b->failed = 1;
    gen_error(b->file, e->line, "XML: %s", m.data);
    buf_free(&m);
}

/* libxml2 also prints some messages outside any parser context (encoding
 * conversion failures): the parse error that follows says what failed, in
 * the file:line form, so these go nowhere. */
static void ignore_generic(void *ctx, const char *fmt, ...)
{
    (void)ctx, (void)fmt;
}

/* A parser context that reports to sax with b as its user data. */
static xmlParserCtxtPtr new_parser(const xmlSAXHandler *sax, struct builder *b)
{
#if LIBXML_VERSION >= 21100
    return xmlNewSAXParserCtxt(sax, b);
#else
    /* Before 2.11 the handler and user data are set through the context's
     * public members, the way the old xmlSAXUserParse* functions did. */
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (ctxt) {
        memcpy(ctxt->sax, sax, sizeof *sax);
        ctxt->userData = b;
    }
    return ctxt;
#endif
}

static int well_formed(xmlParserCtxtPtr ctxt)
{
#if LIBXML_VERSION >= 21400
    return !(xmlCtxtGetStatus(ctxt) & XML_STATUS_NOT_WELL_FORMED);
#else
    return ctxt->wellFormed;
#endif
}

void plist_init(void)
{
    xmlInitParser();
    xmlSetGenericErrorFunc(NULL, ignore_generic);
}

void plist_cleanup(void)
{
    xmlCleanupParser();
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
    if (len == 0) {
        gen_error(file, 0, "empty file");
        return -1;
    }
    xmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    sax.initialized = XML_SAX2_MAGIC;
    sax.startElementNs = on_start;
    sax.endElementNs = on_end;
    sax.characters = on_text;
    sax.cdataBlock = on_text;
    sax.reference = on_reference;
    sax.entityDecl = on_entity_decl;
    sax.serror = on_error;

    struct builder *b = calloc(1, sizeof *b);
    xmlParserCtxtPtr ctxt = b ? new_parser(&sax, b) : NULL;
    if (!ctxt) {
        free(b);
        gen_error(file, 0, "out of memory");
        return -1;
    }
    b->ctxt = ctxt;
    b->file = file;
    /* No NOENT (entities are not substituted), no DTDLOAD/DTDATTR/DTDVALID
     * (no external subset is read), NONET.  Our handler builds the tree;
     * libxml2 builds a document of its own only for an internal subset's
     * entity declarations, and hands it back (or frees it on failure). */
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, data, (int)len, NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOWARNING);
    if (doc)
        xmlFreeDoc(doc);
    int ok = well_formed(ctxt) && !b->failed;
    if (!b->failed && !ok)
        gen_error(file, cur_line(b), "XML: not well-formed");
    xmlFreeParserCtxt(ctxt);
    struct pl_node *top = b->top;
    buf_free(&b->text);
    free(b);
    if (!ok)
        return -1;
    if (!top) {
        gen_error(file, 0, "no <plist> element");
        return -1;
    }
    if (!top->first) {
        gen_error(file, top->line, "<plist> is empty");
        return -1;
    }
    if (top->first->next) {
        gen_error(file, top->first->next->line, "<plist> holds more than one value");
        return -1;
    }
    out->root = top->first;
    return 0;
}

/* ---- accessors ---- */

enum pl_kind plist_kind(const struct pl_node *n)
{
    return n ? (n->kind == PL_KEY || n->kind == PL_PLIST ? PL_BAD : n->kind) : PL_BAD;
}

const char *plist_kind_name(enum pl_kind k)
{
    return kind_names[k];
}

long plist_line(const struct pl_node *n)
{
    return n ? n->line : 0;
}

static int cmp_entry_key(const void *a, const void *b)
{
    const struct pl_entry *x = *(const struct pl_entry *const *)a, *y = *(const struct pl_entry *const *)b;
    int c = strcmp(x->key, y->key);
    if (c)
        return c;
    return (x->line > y->line) - (x->line < y->line);
}

int plist_dict(const struct pl_doc *d, const struct pl_node *dict, struct pl_entry **out, size_t *n)
{
    size_t count = 0;
    for (const struct pl_node *c = dict->first; c; c = c->next)
        count++;
    struct pl_entry *e = gen_alloc((count / 2 + 1) * sizeof *e);
    size_t k = 0;
    for (const struct pl_node *c = dict->first; c; c = c->next->next) {
        if (c->kind != PL_KEY) {
            gen_error(d->file, c->line, "expected <key> in <dict>, found <%s>", c->name);
            return -1;
        }
        if (!c->next) {
            gen_error(d->file, c->line, "<key> without a value at the end of <dict>");
            return -1;
        }
        if (c->next->kind == PL_KEY) {
            gen_error(d->file, c->line, "<key> %s has no value (another <key> follows)", c->text);
            return -1;
        }
        e[k].key = c->text;
        e[k].line = c->line;
        e[k].value = c->next;
        k++;
    }
    /* Duplicate keys: plists usually list keys in order, which proves there
     * are none; otherwise sort a copy. */
    size_t ordered = 1;
    while (ordered < k && strcmp(e[ordered - 1].key, e[ordered].key) < 0)
        ordered++;
    if (ordered < k) {
        const struct pl_entry **sorted = gen_alloc(k * sizeof *sorted);
        for (size_t i = 0; i < k; i++)
            sorted[i] = &e[i];
        qsort(sorted, k, sizeof *sorted, cmp_entry_key);
        for (size_t i = 1; i < k; i++)
            if (!strcmp(sorted[i]->key, sorted[i - 1]->key)) {
                gen_error(d->file, sorted[i]->line, "duplicate key '%s' (first at line %ld)", sorted[i]->key,
                          sorted[i - 1]->line);
                return -1;
            }
    }
    *out = e;
    *n = k;
    return 0;
}

int plist_array(const struct pl_doc *d, const struct pl_node *array, struct pl_node ***out, size_t *n)
{
    size_t count = 0;
    for (const struct pl_node *c = array->first; c; c = c->next)
        count++;
    struct pl_node **items = gen_alloc((count + 1) * sizeof *items);
    size_t i = 0;
    for (struct pl_node *c = array->first; c; c = c->next) {
        if (c->kind == PL_KEY) {
            gen_error(d->file, c->line, "<key> inside <array>");
            return -1;
        }
        items[i++] = c;
    }
    *out = items;
    *n = i;
    return 0;
}

int plist_text(const struct pl_doc *d, const struct pl_node *n, const char **out)
{
    if (is_container(n->kind)) {
        gen_error(d->file, n->line, "<%s> has no text", n->name);
        return -1;
    }
    *out = n->text;
    return 0;
}

int plist_integer(const struct pl_doc *d, const struct pl_node *n, long long *out)
{
    const char *text;
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
