/* matrix_html.c: the HTML matrix page: head, report header, table. */
#include "matrix_html.h"
#include "matrix_html_assets.h"
#include "matrix_html_internal.h"

#include <mitigate.h>
#include <openssl/evp.h>
#include <string.h>

/* Reading the document */

const char *const mh_kind_keys[MH_KIND_COUNT] = {"effectiveness", "thwart",
                                                 "side-effect"};
const char *const mh_kind_labels[MH_KIND_COUNT] = {"a \xc2\xb7 Effectiveness",
                                                   "b \xc2\xb7 Thwart",
                                                   "c \xc2\xb7 Side effect"};

static const struct {
    const char *name; /* in the document */
    const char *symbol;
    const char *label;
    const char *css;
} results[MH_RESULT_COUNT] = {
        [MH_MISSING] = {"missing", "\xe2\x80\x93", "missing", "missing"},
        [MH_NOT_RUN] = {"not-run", "\xe2\x97\x8b", "not run", "not-run"},
        [MH_SKIPPED] = {"skipped", "\xe2\x97\x8b", "skipped", "skipped"},
        [MH_ERROR] = {"error", "!", "error", "error"},
        [MH_FAILED] = {"failed", "\xe2\x9c\x97", "failed", "failed"},
        [MH_PASSED] = {"passed", "\xe2\x9c\x93", "passed", "passed"},
};

const char *mh_str(const json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

/*
 * Appends s escaped for element content and quoted attribute values
 * alike. C0 control characters, which HTML does not allow, become
 * U+FFFD; jansson has already checked that s is valid UTF-8.
 */
MITIGATES("M-HTML-ESCAPE")
void mh_escape(struct strbuf *sb, const char *s)
{
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;

        if (c == '&')
            sb_adds(sb, "&amp;");
        else if (c == '<')
            sb_adds(sb, "&lt;");
        else if (c == '>')
            sb_adds(sb, "&gt;");
        else if (c == '"')
            sb_adds(sb, "&quot;");
        else if (c == '\'')
            sb_adds(sb, "&#39;");
        else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
            sb_adds(sb, "\xef\xbf\xbd");
        else
            sb_addc(sb, (char)c);
    }
}

void mh_escape_name(struct strbuf *sb, const char *s)
{
    for (; s && *s; s++) {
        char one[2] = {*s, '\0'};

        mh_escape(sb, one);
        if ((*s == '/' || *s == '_') && s[1])
            sb_adds(sb, "<wbr>");
    }
}

enum mh_result mh_result_parse(const char *name)
{
    for (int r = MH_NOT_RUN; name && r < MH_RESULT_COUNT; r++)
        if (!strcmp(name, results[r].name))
            return (enum mh_result)r;
    return MH_NOT_RUN;
}

enum mh_result mh_best_result(const json_t *tests)
{
    enum mh_result best = MH_MISSING;

    for (size_t i = 0; i < json_array_size(tests); i++) {
        const json_t *t = json_array_get(tests, i);
        enum mh_result r = mh_result_parse(mh_str(t, "result"));

        if (r > best)
            best = r;
    }
    return best;
}

const char *mh_result_symbol(enum mh_result r)
{
    return results[r].symbol;
}

const char *mh_result_label(enum mh_result r)
{
    return results[r].label;
}

const char *mh_result_class(enum mh_result r)
{
    return results[r].css;
}

/* Links to files */

/*
 * Only a base without a scheme or with http, https or file makes links;
 * any other scheme could run or fetch something when a reader clicks.
 */
const char *mh_link_base(const json_t *report)
{
    const char *base = mh_str(report, "link_base");
    size_t scheme = base ? strcspn(base, ":/?#") : 0;

    if (!base || !*base)
        return NULL;
    if (base[scheme] != ':')
        return base;
    if ((scheme == 4 && !strncmp(base, "http", 4)) ||
        (scheme == 5 && !strncmp(base, "https", 5)) ||
        (scheme == 4 && !strncmp(base, "file", 4)))
        return base;
    return NULL;
}

/* Appends path percent-encoded for a URL; '/' separates segments. */
static void add_percent_encoded(struct strbuf *sb, const char *path)
{
    static const char hex[] = "0123456789ABCDEF";

    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
            (*p >= '0' && *p <= '9') || strchr("-._~/", *p)) {
            sb_addc(sb, (char)*p);
            continue;
        }
        sb_addc(sb, '%');
        sb_addc(sb, hex[*p >> 4]);
        sb_addc(sb, hex[*p & 15]);
    }
}

MITIGATES("M-HTML-ESCAPE")
void mh_add_link(struct strbuf *sb, const char *base, const char *file,
                 json_int_t line, const char *text)
{
    struct strbuf href = STRBUF_INIT;
    const char *path = file;

    if (!file || !*file) {
        mh_escape(sb, text);
        return;
    }
    while (path[0] == '/' && path[1] == '/')
        path++; /* "//host/x" would name another host */
    if (base)
        sb_adds(&href, base);
    add_percent_encoded(&href, path);
    /*
     * Limitation: without a link base a link opens the file but not at
     * its line, as a file URL has no way to name a line.
     */
    if (base && line > 0)
        sb_addf(&href, "#L%lld", (long long)line);
    sb_adds(sb, "<a href=\"");
    mh_escape(sb, href.buf);
    sb_adds(sb, "\">");
    if (text) {
        mh_escape(sb, text);
    } else {
        mh_escape_name(sb, file);
        if (line > 0)
            sb_addf(sb, ":%lld", (long long)line);
    }
    sb_adds(sb, "</a>");
    sb_release(&href);
}

void mh_add_location_link(struct strbuf *sb, const char *base,
                          const json_t *entry, const char *text)
{
    mh_add_link(sb, base, mh_str(entry, "file"),
                json_integer_value(json_object_get(entry, "line")), text);
}

/* The page around the table */

/* The value of a lowercase hex digit. */
static unsigned hex_digit(char c)
{
    return (unsigned)(c <= '9' ? c - '0' : c - 'a' + 10);
}

/* The CSP source that allows an inline text: 'sha256-<base64>'. */
static void add_csp_hash(struct strbuf *sb, const char *text)
{
    char hex[65];
    unsigned char digest[32];
    unsigned char b64[45];

    sha256_hex(text, strlen(text), hex);
    for (int i = 0; i < 32; i++)
        digest[i] = (unsigned char)(hex_digit(hex[2 * i]) << 4 |
                                    hex_digit(hex[2 * i + 1]));
    EVP_EncodeBlock(b64, digest, 32);
    sb_addf(sb, "'sha256-%s'", (const char *)b64);
}

/*
 * The head: the policy that allows no resource at all but the inline
 * style and script (by hash), then the title and the style.
 */
MITIGATES("M-HTML-ESCAPE")
static void add_head(struct strbuf *sb, const json_t *report)
{
    const json_t *system = json_object_get(report, "system");
    const json_t *tool = json_object_get(report, "tool");

    sb_adds(sb, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
                "<meta charset=\"utf-8\">\n"
                "<meta http-equiv=\"Content-Security-Policy\" content=\""
                "default-src 'none'; style-src ");
    add_csp_hash(sb, mh_style);
    sb_adds(sb, "; script-src ");
    add_csp_hash(sb, mh_script);
    sb_adds(sb, "; base-uri 'none'; form-action 'none'\">\n"
                "<meta name=\"referrer\" content=\"no-referrer\">\n"
                "<meta name=\"viewport\" content=\"width=device-width, "
                "initial-scale=1\">\n<meta name=\"generator\" content=\"");
    mh_escape(sb, mh_str(tool, "name"));
    sb_adds(sb, " ");
    mh_escape(sb, mh_str(tool, "version"));
    sb_adds(sb, "\">\n<title>Test matrix: ");
    mh_escape(sb, mh_str(system, "name"));
    sb_adds(sb, " ");
    mh_escape(sb, mh_str(system, "version"));
    sb_addf(sb, "</title>\n<style>%s</style>\n</head>\n", mh_style);
}

/* Appends "<div><dt>name</dt><dd>value</dd></div>"; NULL: not recorded. */
static void add_meta(struct strbuf *sb, const char *name, const char *value)
{
    sb_addf(sb, "<div><dt>%s</dt><dd>", name);
    if (value)
        mh_escape(sb, value);
    else
        sb_adds(sb, "<span class=\"none\">not recorded</span>");
    sb_adds(sb, "</dd></div>\n");
}

/*
 * Appends an argument of the command line so that a shell reads it
 * back as it was: quoted when it holds anything but plain characters.
 */
static void add_shell_word(struct strbuf *sb, const char *arg)
{
    struct strbuf quoted = STRBUF_INIT;

    if (*arg && !arg[strspn(arg, "abcdefghijklmnopqrstuvwxyz"
                                 "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                 "0123456789_./:=@%+,-")]) {
        mh_escape(sb, arg);
        return;
    }
    sb_addc(&quoted, '\'');
    for (const char *p = arg; *p; p++) {
        if (*p == '\'')
            sb_adds(&quoted, "'\\''");
        else
            sb_addc(&quoted, *p);
    }
    sb_addc(&quoted, '\'');
    mh_escape(sb, quoted.buf);
    sb_release(&quoted);
}

/* "Report details": the options, where links lead, and every input. */
static void add_details(struct strbuf *sb, const json_t *report,
                        const char *base)
{
    const json_t *options = json_object_get(report, "options");
    const json_t *inputs = json_object_get(report, "inputs");
    const char *asked = mh_str(report, "link_base");

    sb_adds(sb, "<details>\n<summary>Report details</summary>\n"
                "<h3>Options</h3>\n<p><code>");
    for (size_t i = 0; i < json_array_size(options); i++) {
        const char *arg = json_string_value(json_array_get(options, i));

        sb_adds(sb, i ? " " : "");
        add_shell_word(sb, arg ? arg : "");
    }
    sb_adds(sb, "</code></p>\n<h3>Links</h3>\n<p>");
    if (base) {
        sb_adds(sb, "Files link to <code>");
        mh_escape(sb, base);
        sb_adds(sb, "</code> followed by their path and line.");
    } else {
        sb_adds(sb, "Files link to their path relative to this report.");
    }
    if (asked && *asked && !base) {
        sb_adds(sb, " The link base <code>");
        mh_escape(sb, asked);
        sb_adds(sb, "</code> is not used: only http, https and file "
                    "links are made.");
    }
    sb_adds(sb, "</p>\n<h3>Inputs</h3>\n<table class=\"inputs\">\n<thead>"
                "<tr><th>File</th><th>SHA-256</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < json_array_size(inputs); i++) {
        const json_t *in = json_array_get(inputs, i);

        sb_adds(sb, "<tr><td>");
        mh_add_link(sb, base, mh_str(in, "path"), 0, NULL);
        sb_adds(sb, "</td><td><code>");
        mh_escape(sb, mh_str(in, "sha256"));
        sb_adds(sb, "</code></td></tr>\n");
    }
    sb_adds(sb, "</tbody>\n</table>\n</details>\n");
}

/* The header: what was tested (system, revision, build), by what, when. */
static void add_header(struct strbuf *sb, const json_t *report,
                       const char *base)
{
    const json_t *system = json_object_get(report, "system");
    const json_t *tool = json_object_get(report, "tool");
    const json_t *clang = json_object_get(report, "clang");
    struct strbuf value = STRBUF_INIT;

    sb_adds(sb, "<header>\n<p class=\"kicker\">Threat-to-mitigation test "
                "matrix \xc2\xb7 IEC 81001-5-1 5.7.2</p>\n<h1>");
    mh_escape(sb, mh_str(system, "name"));
    sb_adds(sb, " <span class=\"version\">");
    mh_escape(sb, mh_str(system, "version"));
    sb_adds(sb, "</span></h1>\n<dl class=\"report-meta\">\n");
    add_meta(sb, "Date", mh_str(report, "date"));
    sb_addf(&value, "%s %s", mh_str(tool, "name") ? mh_str(tool, "name") : "",
            mh_str(tool, "version") ? mh_str(tool, "version") : "");
    add_meta(sb, "Tool", value.buf);
    for (size_t i = 0; i < json_array_size(clang); i++)
        add_meta(sb, "Plugin clang",
                 json_string_value(json_array_get(clang, i)));
    add_meta(sb, "Revision", mh_str(report, "revision"));
    add_meta(sb, "Build", mh_str(report, "build"));
    sb_adds(sb, "</dl>\n");
    add_details(sb, report, base);
    sb_adds(sb, "</header>\n");
    sb_release(&value);
}

/* The table's header cells: each a button that sorts by its column. */
static void add_table_head(struct strbuf *sb)
{
    static const char *const columns[] = {"Threat",
                                          "Risk before \xe2\x86\x92 after",
                                          "Threat status",
                                          "Mitigation",
                                          "Implementing code",
                                          NULL,
                                          NULL,
                                          NULL,
                                          "Suppressions",
                                          "Findings",
                                          "Row status"};

    sb_adds(sb, "<thead><tr>");
    for (size_t i = 0; i < sizeof(columns) / sizeof(*columns); i++) {
        const char *name = columns[i] ? columns[i] : mh_kind_labels[i - 5];

        sb_addf(sb,
                "<th scope=\"col\"><button type=\"button\">%s</button>"
                "</th>",
                name);
    }
    sb_adds(sb, "</tr></thead>\n");
}

/* The filter controls, shown by the script, and the matrix table. */
static void add_matrix(struct strbuf *sb, const json_t *rows, const char *base)
{
    sb_adds(sb,
            "<section id=\"matrix-section\" aria-labelledby=\"matrix-h\">"
            "\n<h2 id=\"matrix-h\">Matrix</h2>\n"
            "<div id=\"controls\" class=\"controls\" hidden>\n"
            "<label>Filter <input id=\"filter-text\" type=\"search\" "
            "placeholder=\"any text: ID, file, test\xe2\x80\xa6\"></label>\n"
            "<label>Status <select id=\"filter-status\">"
            "<option value=\"all\">all</option>"
            "<option value=\"gaps\">gaps</option>"
            "<option value=\"verified\">verified</option>"
            "<option value=\"accepted\">accepted</option>"
            "<option value=\"not-mitigated\">not mitigated</option>"
            "</select></label>\n</div>\n");
    sb_addf(sb,
            "<p id=\"filter-count\" role=\"status\">Rows shown: %zu of "
            "%zu</p>\n",
            json_array_size(rows), json_array_size(rows));
    sb_adds(sb, "<div class=\"table-wrap\">\n<table id=\"matrix\">\n");
    add_table_head(sb);
    sb_adds(sb, "<tbody>\n");
    for (size_t i = 0; i < json_array_size(rows); i++)
        mh_add_row(sb, base, json_array_get(rows, i));
    sb_adds(sb, "</tbody>\n</table>\n</div>\n</section>\n");
}

char *matrix_render_html(const json_t *doc)
{
    const json_t *report = json_object_get(doc, "report");
    const char *base = mh_link_base(report);
    struct strbuf sb = STRBUF_INIT;

    add_head(&sb, report);
    sb_adds(&sb, "<body>\n");
    add_header(&sb, report, base);
    sb_adds(&sb, "<main>\n");
    mh_render_summary(&sb, doc);
    add_matrix(&sb, json_object_get(doc, "rows"), base);
    sb_addf(&sb, "</main>\n<script>%s</script>\n</body>\n</html>\n", mh_script);
    return sb_detach(&sb);
}
