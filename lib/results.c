/* results.c: JUnit XML reader (libxml2 SAX2, no tree) and result lookup. */
#include "results.h"

#include <limits.h>
#include <mitigate.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlversion.h>

/* The largest results file read. */
#define RESULTS_MAX_SIZE ((size_t)64 << 20)

/* Deeper nesting is refused; JUnit XML needs four or five levels. */
#define RESULTS_MAX_DEPTH 256

/* A result's message is cut to this many bytes. */
#define RESULTS_MAX_MESSAGE 512

/* Text of a <failure>, <error> or <skipped> kept to find its first line. */
#define RESULTS_MAX_TEXT 4096

/* Errors reported per file before the reader gives up. */
#define RESULTS_MAX_ERRORS 20

/* libxml2 2.12 made the structured error handler take a const error. */
#if LIBXML_VERSION >= 21200
typedef const xmlError *xml_error_arg;
#else
typedef xmlError *xml_error_arg;
#endif

enum kind {
    K_OTHER,    /* an element this reader ignores, and its content */
    K_SUITES,   /* <testsuites> */
    K_SUITE,    /* <testsuite> */
    K_CASE,     /* <testcase> */
    K_FAILURE,  /* <failure> in a testcase */
    K_ERROR,    /* <error> in a testcase */
    K_SKIPPED,  /* <skipped> in a testcase */
    K_CASE_SKIP /* a testcase not recorded (it had an error) */
};

struct frame {
    enum kind kind;
    char *name;      /* testsuite@name, for K_SUITE */
    char *timestamp; /* @timestamp, for K_SUITES and K_SUITE */
};

struct reader {
    const char *name;
    unsigned order;
    struct results *out;
    struct mt_errors *errs;
    xmlParserCtxtPtr ctxt;

    struct frame stack[RESULTS_MAX_DEPTH + 1]; /* stack[0]: the document */
    unsigned depth;
    int failed;          /* an error was added: the file is refused */
    unsigned errors;     /* how many errors were added */
    size_t case_item;    /* the open testcase's index in out->items */
    unsigned collecting; /* depth of the child whose text may become the
                            message, or 0 */
    struct strbuf text;

    /* libxml2's first complaint, reported if the reader has none. */
    char *xml_message;
    unsigned xml_line, xml_column;
};

const char *test_outcome_name(enum test_outcome outcome)
{
    switch (outcome) {
    case OUTCOME_PASSED:
        return "passed";
    case OUTCOME_FAILED:
        return "failed";
    case OUTCOME_ERROR:
        return "error";
    case OUTCOME_SKIPPED:
        return "skipped";
    }
    return "unknown";
}

/* Errors */

static unsigned current_line(const struct reader *rd)
{
    int line = xmlSAX2GetLineNumber(rd->ctxt);

    return line > 0 ? (unsigned)line : 0;
}

/*
 * Adds an error at line; with stop, also halts the parser. Past
 * RESULTS_MAX_ERRORS errors the parser halts and the rest are dropped.
 */
static void reader_error(struct reader *rd, unsigned line, int stop,
                         const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));

static void reader_error(struct reader *rd, unsigned line, int stop,
                         const char *fmt, ...)
{
    struct mt_pos pos = {line, 0, 0, 0};
    struct strbuf msg = STRBUF_INIT;
    va_list ap;

    rd->failed = 1;
    if (rd->errors++ < RESULTS_MAX_ERRORS) {
        va_start(ap, fmt);
        sb_vaddf(&msg, fmt, ap);
        va_end(ap);
        mt_error_add(rd->errs, rd->name, &pos, "%s", msg.buf);
        sb_release(&msg);
    }
    if (rd->ctxt && (stop || rd->errors >= RESULTS_MAX_ERRORS))
        xmlStopParser(rd->ctxt);
}

/* Keeps libxml2's first error (not warnings) instead of printing it. */
static void on_xml_error(void *user, xml_error_arg error)
{
    struct reader *rd = ((xmlParserCtxtPtr)user)->_private;
    size_t len;

    if (!error || error->level < XML_ERR_ERROR || rd->xml_message)
        return;
    rd->xml_message = xstrdup(error->message ? error->message : "unknown");
    len = strlen(rd->xml_message);
    while (len && (rd->xml_message[len - 1] == '\n' ||
                   rd->xml_message[len - 1] == ' '))
        rd->xml_message[--len] = '\0';
    /* One line, so that the message reads as one error. */
    for (char *nl = strchr(rd->xml_message, '\n'); nl; nl = strchr(nl, '\n'))
        *nl = ' ';
    if (rd->xml_message[0] >= 'A' && rd->xml_message[0] <= 'Z' &&
        !(rd->xml_message[1] >= 'A' && rd->xml_message[1] <= 'Z'))
        rd->xml_message[0] = (char)(rd->xml_message[0] - 'A' + 'a');
    rd->xml_line = error->line > 0 ? (unsigned)error->line : 0;
    rd->xml_column = error->int2 > 0 ? (unsigned)error->int2 : 0;
}

/* Drops messages libxml2 sends to its generic channel (out of memory). */
static void silent(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

/* Entities: none but XML's five predefined ones are allowed. */

MITIGATES("M-XML-NO-ENTITIES")
static void on_entity_decl(void *user, const xmlChar *name, int type,
                           const xmlChar *public_id, const xmlChar *system_id,
                           xmlChar *content)
{
    struct reader *rd = ((xmlParserCtxtPtr)user)->_private;

    (void)type;
    (void)public_id;
    (void)system_id;
    (void)content;
    reader_error(rd, current_line(rd), 1,
                 "the document declares the entity '%s'; JUnit XML needs "
                 "no entities, and they are refused as unsafe (remove the "
                 "DOCTYPE)",
                 (const char *)name);
}

static void on_unparsed_entity_decl(void *user, const xmlChar *name,
                                    const xmlChar *public_id,
                                    const xmlChar *system_id,
                                    const xmlChar *notation)
{
    (void)public_id;
    (void)system_id;
    (void)notation;
    on_entity_decl(user, name, 0, NULL, NULL, NULL);
}

/*
 * libxml2 resolves &lt; &gt; &amp; &apos; &quot; itself and asks for
 * any other entity here: every such reference is refused.
 */
MITIGATES("M-XML-NO-ENTITIES")
static xmlEntityPtr on_get_entity(void *user, const xmlChar *name)
{
    struct reader *rd = ((xmlParserCtxtPtr)user)->_private;

    if (!rd->failed)
        reader_error(rd, current_line(rd), 1,
                     "reference to the entity '%s', which XML does not "
                     "predefine; only &lt; &gt; &amp; &apos; &quot; and "
                     "character references are allowed",
                     (const char *)name);
    return NULL;
}

/* Attributes */

/*
 * The value of attribute local of the element, as a new string, or NULL
 * when absent. attrs is SAX2's array of five pointers per attribute.
 * Without entity substitution libxml2 hands over an escaped ampersand
 * as "&#38;", and every ampersand in that form: it is decoded here.
 */
static char *attr(const xmlChar **attrs, int count, const char *local)
{
    for (int i = 0; i < count; i++) {
        const char *value = (const char *)attrs[i * 5 + 3];
        const char *end = (const char *)attrs[i * 5 + 4];
        struct strbuf sb = STRBUF_INIT;

        if (strcmp((const char *)attrs[i * 5], local) != 0)
            continue;
        while (value < end) {
            size_t n = (size_t)(end - value);

            if (n >= 5 && memcmp(value, "&#38;", 5) == 0) {
                sb_addc(&sb, '&');
                value += 5;
            } else {
                sb_addc(&sb, *value++);
            }
        }
        return sb_detach(&sb);
    }
    return NULL;
}

/* Like attr(), but NULL also for an empty value. */
static char *attr_nonempty(const xmlChar **attrs, int count, const char *local)
{
    char *v = attr(attrs, count, local);

    if (v && !*v) {
        free(v);
        return NULL;
    }
    return v;
}

/*
 * Reads a duration in seconds: digits with an optional fraction after
 * "." or "," and an optional exponent ("0.25", "0,25", "1.5e-05").
 * With both marks, "," groups thousands ("1,234.5"). Locale-independent.
 * Returns 0, or -1 if s is not a finite number of seconds.
 */
static int parse_seconds(const char *s, double *out)
{
    int has_dot = strchr(s, '.') != NULL;
    int commas = 0, digits = 0, point = 0, exp = 0, exp_sign = 1;
    double v = 0, scale = 1;

    for (const char *p = s; *p; p++)
        commas += *p == ',';
    while (*s == ' ')
        s++;
    for (; (*s >= '0' && *s <= '9') || *s == '.' || *s == ','; s++) {
        if (*s == ',' && (has_dot || commas > 1))
            continue; /* a thousands separator */
        if (*s == '.' || *s == ',') {
            if (point++)
                return -1;
            continue;
        }
        v = v * 10 + (*s - '0');
        if (point)
            scale *= 10;
        digits++;
    }
    if (!digits || v > 1e300)
        return -1;
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '-' || *s == '+')
            exp_sign = *s++ == '-' ? -1 : 1;
        if (!(*s >= '0' && *s <= '9'))
            return -1;
        for (; *s >= '0' && *s <= '9'; s++)
            if (exp < 1000)
                exp = exp * 10 + (*s - '0');
        if (exp > 300)
            return -1;
    }
    while (*s == ' ')
        s++;
    if (*s)
        return -1;
    v /= scale;
    for (; exp > 0; exp--)
        v = exp_sign > 0 ? v * 10 : v / 10;
    if (v > 1e300)
        return -1;
    *out = v;
    return 0;
}

/*
 * The first non-blank line of s (len bytes), trimmed and cut to
 * RESULTS_MAX_MESSAGE bytes at a character boundary; NULL if all blank.
 */
static char *first_line(const char *s, size_t len)
{
    const char *end = s + len, *eol;

    for (;;) {
        while (s < end && (*s == ' ' || *s == '\t' || *s == '\r'))
            s++;
        if (s == end)
            return NULL;
        if (*s != '\n')
            break;
        s++;
    }
    eol = memchr(s, '\n', (size_t)(end - s));
    if (!eol)
        eol = end;
    while (eol > s && (eol[-1] == ' ' || eol[-1] == '\t' || eol[-1] == '\r'))
        eol--;
    if ((size_t)(eol - s) > RESULTS_MAX_MESSAGE) {
        eol = s + RESULTS_MAX_MESSAGE;
        while (eol > s && ((unsigned char)*eol & 0xC0) == 0x80)
            eol--; /* back to the start of a UTF-8 sequence */
    }
    return xstrndup(s, (size_t)(eol - s));
}

/* Elements */

static enum kind kind_of(const char *local, enum kind parent)
{
    if (strcmp(local, "testsuites") == 0)
        return K_SUITES;
    if (strcmp(local, "testsuite") == 0)
        return K_SUITE;
    if (strcmp(local, "testcase") == 0)
        return K_CASE;
    if (parent != K_CASE)
        return K_OTHER;
    if (strcmp(local, "failure") == 0)
        return K_FAILURE;
    if (strcmp(local, "error") == 0)
        return K_ERROR;
    if (strcmp(local, "skipped") == 0)
        return K_SKIPPED;
    return K_OTHER;
}

/* The name of the nearest open testsuite, or NULL. */
static const char *open_suite(const struct reader *rd)
{
    for (unsigned d = rd->depth; d > 0; d--)
        if (rd->stack[d].kind == K_SUITE)
            return rd->stack[d].name;
    return NULL;
}

/* The timestamp of the nearest open testsuite(s) that has one. */
static const char *open_timestamp(const struct reader *rd)
{
    for (unsigned d = rd->depth; d > 0; d--)
        if (rd->stack[d].timestamp)
            return rd->stack[d].timestamp;
    return NULL;
}

/* Records a <testcase>, or reports why it cannot be. */
static enum kind start_case(struct reader *rd, const xmlChar **attrs, int count)
{
    struct test_result *t;
    char *name = attr_nonempty(attrs, count, "name");
    char *time = attr(attrs, count, "time");
    char *status = attr(attrs, count, "status");
    char *result = attr(attrs, count, "result");
    double seconds = -1;
    const char *ts;

    if (!name)
        reader_error(rd, current_line(rd), 0,
                     "testcase has no name; every <testcase> needs a "
                     "name attribute (check the tool that wrote the file)");
    else if (time && *time && parse_seconds(time, &seconds) < 0)
        reader_error(rd, current_line(rd), 0,
                     "testcase '%s' has time '%.40s', which is not a "
                     "number of seconds; correct it or remove the attribute",
                     name, time);
    if (!name || rd->failed) {
        free(name);
        free(time);
        free(status);
        free(result);
        return K_CASE_SKIP;
    }

    grow_array(&rd->out->items, &rd->out->alloc, rd->out->count + 1,
               sizeof(*rd->out->items));
    rd->case_item = rd->out->count++;
    t = &rd->out->items[rd->case_item];
    memset(t, 0, sizeof(*t));
    t->name = name;
    t->classname = attr_nonempty(attrs, count, "classname");
    t->suite = open_suite(rd) ? xstrdup(open_suite(rd)) : NULL;
    t->seconds = seconds;
    t->file = rd->out->files[rd->out->file_count - 1];
    t->line = current_line(rd);
    t->order = rd->order;
    t->timestamp = attr_nonempty(attrs, count, "timestamp");
    if (t->timestamp && starts_with(t->timestamp, "1970-01-01T00:00:00")) {
        /* GoogleTest's time for a test it did not run. */
        free(t->timestamp);
        t->timestamp = NULL;
    }
    ts = open_timestamp(rd);
    if (!t->timestamp && ts)
        t->timestamp = xstrdup(ts);
    /* GoogleTest's disabled and skipped tests, CTest's skipped ones. */
    if ((status && strcmp(status, "notrun") == 0) ||
        (result &&
         (strcmp(result, "skipped") == 0 || strcmp(result, "suppressed") == 0)))
        t->outcome = OUTCOME_SKIPPED;
    free(time);
    free(status);
    free(result);
    return K_CASE;
}

static int outcome_rank(enum test_outcome o)
{
    return o == OUTCOME_PASSED ? 0 : o == OUTCOME_SKIPPED ? 1 : 2;
}

/*
 * Applies a <failure>, <error> or <skipped> to the open testcase. It
 * sets the outcome when it outranks the current one; its message is the
 * message attribute, or else the first line of its text.
 */
static void start_outcome(struct reader *rd, enum kind kind,
                          const xmlChar **attrs, int count)
{
    struct test_result *t = &rd->out->items[rd->case_item];
    enum test_outcome o = kind == K_FAILURE ? OUTCOME_FAILED
                          : kind == K_ERROR ? OUTCOME_ERROR
                                            : OUTCOME_SKIPPED;
    char *message;

    if (outcome_rank(o) < outcome_rank(t->outcome) ||
        (outcome_rank(o) == outcome_rank(t->outcome) &&
         (o != t->outcome || t->message)))
        return;
    t->outcome = o;
    free(t->message);
    t->message = NULL;
    message = attr(attrs, count, "message");
    if (message)
        t->message = first_line(message, strlen(message));
    free(message);
    rd->collecting = t->message ? 0 : rd->depth;
    rd->text.len = 0;
    if (rd->text.buf)
        rd->text.buf[0] = '\0';
}

static void on_start(void *user, const xmlChar *local, const xmlChar *prefix,
                     const xmlChar *uri, int nb_namespaces,
                     const xmlChar **namespaces, int nb_attributes,
                     int nb_defaulted, const xmlChar **attrs)
{
    struct reader *rd = ((xmlParserCtxtPtr)user)->_private;
    enum kind parent = rd->stack[rd->depth].kind;
    struct frame *f;

    (void)prefix;
    (void)uri;
    (void)nb_namespaces;
    (void)namespaces;
    (void)nb_defaulted;
    if (rd->depth >= RESULTS_MAX_DEPTH) {
        reader_error(rd, current_line(rd), 1,
                     "elements nest more than %d levels deep; JUnit XML "
                     "needs a handful, so this is not a results file",
                     RESULTS_MAX_DEPTH);
        return;
    }
    f = &rd->stack[++rd->depth];
    memset(f, 0, sizeof(*f));
    f->kind = kind_of((const char *)local, parent);

    if (rd->depth == 1 && f->kind != K_SUITES && f->kind != K_SUITE) {
        reader_error(rd, current_line(rd), 1,
                     "the root element is <%s>, not <testsuites> or "
                     "<testsuite>; pass a JUnit XML results file",
                     (const char *)local);
        return;
    }
    if ((parent == K_CASE || parent == K_CASE_SKIP) &&
        (f->kind == K_SUITES || f->kind == K_SUITE || f->kind == K_CASE)) {
        reader_error(rd, current_line(rd), 0,
                     "<%s> inside a <testcase>; test cases cannot nest "
                     "(check the tool that wrote the file)",
                     (const char *)local);
        f->kind = K_OTHER;
    }
    switch (f->kind) {
    case K_SUITE:
        f->name = attr_nonempty(attrs, nb_attributes, "name");
        /* fall through */
    case K_SUITES:
        f->timestamp = attr_nonempty(attrs, nb_attributes, "timestamp");
        break;
    case K_CASE:
        f->kind = start_case(rd, attrs, nb_attributes);
        break;
    case K_FAILURE:
    case K_ERROR:
    case K_SKIPPED:
        if (parent == K_CASE)
            start_outcome(rd, f->kind, attrs, nb_attributes);
        break;
    default:
        break;
    }
}

static void on_end(void *user, const xmlChar *local, const xmlChar *prefix,
                   const xmlChar *uri)
{
    struct reader *rd = ((xmlParserCtxtPtr)user)->_private;
    struct frame *f = &rd->stack[rd->depth];

    (void)local;
    (void)prefix;
    (void)uri;
    if (!rd->depth)
        return;
    if (rd->collecting == rd->depth) {
        struct test_result *t = &rd->out->items[rd->case_item];

        t->message = first_line(sb_str(&rd->text), rd->text.len);
        rd->collecting = 0;
    }
    free(f->name);
    free(f->timestamp);
    rd->depth--;
}

/* Keeps the start of a failure's text, which may become its message. */
static void on_text(void *user, const xmlChar *text, int len)
{
    struct reader *rd = ((xmlParserCtxtPtr)user)->_private;
    size_t room = RESULTS_MAX_TEXT - rd->text.len;

    if (!rd->collecting || len <= 0 || !room)
        return;
    sb_add(&rd->text, (const char *)text,
           (size_t)len < room ? (size_t)len : room);
}

/* Parsing */

/* Frees what the reader still holds after the parser stopped early. */
static void reader_release(struct reader *rd)
{
    for (; rd->depth > 0; rd->depth--) {
        free(rd->stack[rd->depth].name);
        free(rd->stack[rd->depth].timestamp);
    }
    sb_release(&rd->text);
    free(rd->xml_message);
}

/* Frees the results from index first on. */
static void drop_items(struct results *r, size_t first)
{
    for (size_t i = first; i < r->count; i++) {
        struct test_result *t = &r->items[i];

        free(t->name);
        free(t->classname);
        free(t->suite);
        free(t->message);
        free(t->timestamp);
    }
    r->count = first;
}

/*
 * Runs libxml2's SAX2 parser over text with handlers that build results
 * and refuse entities. No tree is built, so line numbers stay exact in
 * files of any length. Returns 0 when the document is well-formed and
 * the reader added no error.
 */
MITIGATES("M-XML-NO-ENTITIES")
static int run_parser(struct reader *rd, const char *text, size_t len)
{
    xmlSAXHandler sax;
    xmlSAXHandlerPtr old_sax;
    xmlGenericErrorFunc old_generic = xmlGenericError;
    void *old_generic_ctx = xmlGenericErrorContext;
    int well_formed;

    /* No XML_PARSE_NOENT, DTDLOAD, DTDATTR or HUGE: none is wanted. */
    rd->ctxt = xmlCreateMemoryParserCtxt(text, (int)len);
    if (!rd->ctxt) {
        reader_error(rd, 1, 0, "cannot start the XML parser; out of memory");
        return -1;
    }
    xmlCtxtUseOptions(rd->ctxt, XML_PARSE_NONET);

    memset(&sax, 0, sizeof(sax));
    sax.initialized = XML_SAX2_MAGIC;
    sax.startElementNs = on_start;
    sax.endElementNs = on_end;
    sax.characters = on_text;
    sax.cdataBlock = on_text;
    sax.entityDecl = on_entity_decl;
    sax.unparsedEntityDecl = on_unparsed_entity_decl;
    sax.getEntity = on_get_entity;
    sax.getParameterEntity = on_get_entity;
    sax.serror = on_xml_error;
    old_sax = rd->ctxt->sax;
    rd->ctxt->sax = &sax;
    rd->ctxt->userData = rd->ctxt;
    rd->ctxt->_private = rd;

    xmlSetGenericErrorFunc(NULL, silent);
    xmlParseDocument(rd->ctxt);
    xmlSetGenericErrorFunc(old_generic_ctx, old_generic);

    well_formed = rd->ctxt->wellFormed;
    rd->ctxt->sax = old_sax;
    /* libxml2 keeps declared entities in a document of its own. */
    if (rd->ctxt->myDoc)
        xmlFreeDoc(rd->ctxt->myDoc);
    rd->ctxt->myDoc = NULL;
    xmlFreeParserCtxt(rd->ctxt);
    rd->ctxt = NULL;
    if (!rd->failed && (!well_formed || rd->xml_message)) {
        struct mt_pos pos = {rd->xml_line, rd->xml_column, 0, 0};

        mt_error_add(rd->errs, rd->name, &pos,
                     "malformed XML: %s; check that the test run finished "
                     "writing the file and that it is JUnit XML",
                     rd->xml_message ? rd->xml_message : "parse failed");
        rd->failed = 1;
    }
    return rd->failed ? -1 : 0;
}

int results_parse(const char *name, const char *text, size_t len,
                  unsigned order, struct results *out, struct mt_errors *errs)
{
    struct reader *rd;
    size_t first = out->count;
    struct mt_pos top = {1, 0, 0, 0};
    int rc;

    if (len > RESULTS_MAX_SIZE || len > INT_MAX) {
        mt_error_add(errs, name, NULL,
                     "file is larger than the %zu bytes allowed; split the "
                     "test run's results into several files",
                     RESULTS_MAX_SIZE);
        return -1;
    }
    if (!len) {
        mt_error_add(errs, name, &top,
                     "file is empty; expected JUnit XML (did the test run "
                     "stop before writing it?)");
        return -1;
    }

    xmlInitParser();
    grow_array(&out->files, &out->file_alloc, out->file_count + 1,
               sizeof(*out->files));
    out->files[out->file_count++] = xstrdup(name);

    rd = xcalloc(1, sizeof(*rd));
    rd->name = name;
    rd->order = order;
    rd->out = out;
    rd->errs = errs;
    rc = run_parser(rd, text, len);
    reader_release(rd);
    free(rd);
    if (rc < 0) {
        drop_items(out, first);
        free(out->files[--out->file_count]);
    }
    return rc;
}

int results_load(const char *path, unsigned order, struct results *out,
                 struct mt_errors *errs)
{
    size_t len;
    char *text = read_file(path, RESULTS_MAX_SIZE, &len, errs);
    int rc;

    if (!text)
        return -1;
    rc = results_parse(path, text, len, order, out, errs);
    free(text);
    return rc;
}

void results_release(struct results *r)
{
    drop_items(r, 0);
    free(r->items);
    for (size_t i = 0; i < r->file_count; i++)
        free(r->files[i]);
    free(r->files);
    memset(r, 0, sizeof(*r));
}
