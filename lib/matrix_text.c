/*
 * matrix_text.c: the matrix as Markdown, for a pull-request comment, and
 * as CSV (RFC 4180, UTF-8), for a spreadsheet or an eQMS import.
 */
#include "matrix.h"

#include <string.h>

#include "domain.h"
#include "util.h"

static const char *str(const json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));

    return s ? s : "";
}

/* Appends a JSON list of strings joined by sep. */
static void add_list(struct strbuf *sb, const json_t *list, const char *sep)
{
    size_t i;
    json_t *v;

    json_array_foreach(list, i, v)
    {
        if (i)
            sb_adds(sb, sep);
        sb_adds(sb, json_string_value(v));
    }
}

static const char *result_symbol(const char *result)
{
    if (!strcmp(result, "passed"))
        return "✓";
    if (!strcmp(result, "failed"))
        return "✗";
    if (!strcmp(result, "error"))
        return "!";
    if (!strcmp(result, "skipped"))
        return "–";
    return "○";
}

/* One test in words: "✓ test_x (passed, reaches the code, 1.2 ms)". */
static void add_test(struct strbuf *sb, const json_t *t)
{
    const char *reach = str(t, "reaches");
    json_t *duration = json_object_get(t, "duration");
    json_int_t runs = json_integer_value(json_object_get(t, "runs"));

    sb_addf(sb, "%s %s (%s", result_symbol(str(t, "result")), str(t, "id"),
            strcmp(str(t, "result"), "not-run") ? str(t, "result") : "not run");
    if (!strcmp(reach, "no"))
        sb_adds(sb, ", does not reach the code");
    else if (!strcmp(reach, "unverified"))
        sb_adds(sb, ", reach unverified");
    if (json_is_real(duration))
        sb_addf(sb, ", %.3f s", json_real_value(duration));
    if (runs > 1)
        sb_addf(sb, ", latest of %lld runs", (long long)runs);
    if (json_is_true(json_object_get(t, "declared")))
        sb_adds(sb, ", declared in the model");
    sb_addf(sb, "; %s:%lld)", str(t, "file"),
            (long long)json_integer_value(json_object_get(t, "line")));
}

/* A cell's text, before escaping for the format. */
static void tests_cell(struct strbuf *sb, const json_t *mit, const char *kind,
                       const char *sep)
{
    const json_t *list = json_object_get(json_object_get(mit, "tests"), kind);
    size_t i;
    json_t *t;

    if (!json_array_size(list))
        sb_adds(sb, "missing");
    json_array_foreach(list, i, t)
    {
        if (i)
            sb_adds(sb, sep);
        add_test(sb, t);
    }
}

static void code_cell(struct strbuf *sb, const json_t *mit, const char *sep)
{
    size_t i;
    json_t *c;

    json_array_foreach(json_object_get(mit, "code"), i, c)
    {
        if (i)
            sb_adds(sb, sep);
        sb_addf(sb, "%s (%s:%lld%s)", str(c, "function"), str(c, "file"),
                (long long)json_integer_value(json_object_get(c, "line")),
                json_is_null(json_object_get(c, "binding"))
                        ? ""
                        : ", implemented_by");
    }
}

static void reach_cell(struct strbuf *sb, const json_t *mit, const char *key,
                       const char *sep)
{
    size_t i;
    json_t *o;

    json_array_foreach(json_object_get(mit, key), i, o)
    {
        if (i)
            sb_adds(sb, sep);
        if (!strcmp(key, "suppressions"))
            sb_addf(sb, "%s in %s: %s", str(o, "rule"), str(o, "function"),
                    str(o, "justification"));
        else
            sb_addf(sb, "%s: %s (%s:%lld)", str(o, "rule"), str(o, "message"),
                    str(o, "file"),
                    (long long)json_integer_value(json_object_get(o, "line")));
    }
}

static void threat_cell(struct strbuf *sb, const json_t *threat)
{
    sb_addf(sb, "%s %s", str(threat, "id"), str(threat, "title"));
}

static void acceptance_cell(struct strbuf *sb, const json_t *threat)
{
    const json_t *acc = json_object_get(threat, "accepted");

    if (json_is_null(acc))
        return;
    sb_addf(sb, "accepted by %s until %s%s: %s", str(acc, "by"),
            str(acc, "until"),
            json_is_true(json_object_get(acc, "expired")) ? " (expired)" : "",
            str(acc, "rationale"));
}

/* Markdown */

/* Escapes text for a GitHub Markdown table cell. */
static void md_escape(struct strbuf *out, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&':
            sb_adds(out, "&amp;");
            break;
        case '<':
            sb_adds(out, "&lt;");
            break;
        case '>':
            sb_adds(out, "&gt;");
            break;
        case '\n':
        case '\r':
            sb_addc(out, ' ');
            break;
        case '|':
        case '\\':
        case '`':
        case '*':
        case '_':
        case '[':
        case ']':
        case '#':
            sb_addc(out, '\\');
            sb_addc(out, *s);
            break;
        default:
            sb_addc(out, *s);
        }
    }
}

static void md_cell(struct strbuf *out, struct strbuf *cell)
{
    sb_adds(out, " ");
    md_escape(out, sb_str(cell));
    sb_adds(out, " |");
    cell->len = 0;
    if (cell->buf)
        cell->buf[0] = '\0';
}

static void md_header(struct strbuf *out, const json_t *report)
{
    const json_t *sys = json_object_get(report, "system");
    const json_t *tot = json_object_get(report, "totals");
    const json_t *st = json_object_get(tot, "threat_status");
    const json_t *cov = json_object_get(tot, "coverage");
    const json_t *tests = json_object_get(tot, "tests");
    struct strbuf t = STRBUF_INIT;

#define N(o, k) ((long long)json_integer_value(json_object_get(o, k)))
    sb_adds(&t, str(sys, "name"));
    sb_addf(&t, " %s", str(sys, "version"));
    sb_adds(out, "## Threat-to-mitigation test matrix: ");
    md_escape(out, t.buf);
    sb_addf(out, "\n\n%s · mitigate %s", str(report, "date"),
            str(json_object_get(report, "tool"), "version"));
    if (json_is_string(json_object_get(report, "revision")))
        sb_addf(out, " · revision `%.12s`", str(report, "revision"));
    if (json_is_string(json_object_get(report, "build"))) {
        sb_adds(out, " · build ");
        md_escape(out, str(report, "build"));
    }
    sb_addf(out,
            "\n\n**Threats:** %lld (%lld verified, %lld with gaps, %lld "
            "accepted, %lld not mitigated) · **Mitigations:** %lld · "
            "**Tested a/b/c:** %lld / %lld / %lld · **Tests:** %lld passed, "
            "%lld failed, %lld error, %lld skipped, %lld not run\n\n",
            N(tot, "threats"), N(st, "verified"), N(st, "gaps"),
            N(st, "accepted"), N(st, "not-mitigated"), N(tot, "mitigations"),
            N(cov, "effectiveness"), N(cov, "thwart"), N(cov, "side-effect"),
            N(tests, "passed"), N(tests, "failed"), N(tests, "error"),
            N(tests, "skipped"), N(tests, "not-run"));
#undef N
    sb_release(&t);
}

char *matrix_render_markdown(const json_t *doc)
{
    struct strbuf out = STRBUF_INIT, cell = STRBUF_INIT;
    const json_t *rows = json_object_get(doc, "rows");
    size_t i;
    json_t *row;

    md_header(&out, json_object_get(doc, "report"));
    sb_adds(&out, "| Threat | Risk | Status | Mitigation | Control | Code "
                  "| a) Effectiveness | b) Thwart | c) Side effect | Gaps "
                  "|\n|---|---|---|---|---|---|---|---|---|---|\n");
    json_array_foreach(rows, i, row)
    {
        const json_t *threat = json_object_get(row, "threat");
        const json_t *mit = json_object_get(row, "mitigation");
        const json_t *risk = json_object_get(threat, "risk");

        sb_adds(&out, "|");
        threat_cell(&cell, threat);
        md_cell(&out, &cell);
        sb_addf(&cell, "%s → %s", str(risk, "before"), str(risk, "after"));
        md_cell(&out, &cell);
        sb_adds(&cell, str(threat, "status"));
        md_cell(&out, &cell);
        if (json_is_null(mit)) {
            acceptance_cell(&cell, threat);
            md_cell(&out, &cell);
            sb_adds(&out, " | | | | | |\n");
            continue;
        }
        sb_addf(&cell, "%s %s", str(mit, "id"), str(mit, "title"));
        md_cell(&out, &cell);
        sb_adds(&cell, str(mit, "control"));
        md_cell(&out, &cell);
        code_cell(&cell, mit, "; ");
        md_cell(&out, &cell);
        for (int k = 0; k < TEST_KIND_COUNT; k++) {
            tests_cell(&cell, mit, test_kind_name(k), "; ");
            md_cell(&out, &cell);
        }
        add_list(&cell, json_object_get(mit, "gaps"), "; ");
        md_cell(&out, &cell);
        sb_addc(&out, '\n');
    }
    sb_release(&cell);
    return sb_detach(&out);
}

/* CSV */

/* Appends a field, quoted when it holds a comma, quote or line break. */
static void csv_field(struct strbuf *out, struct strbuf *cell, int last)
{
    const char *s = sb_str(cell);

    if (strpbrk(s, ",\"\r\n")) {
        sb_addc(out, '"');
        for (; *s; s++) {
            if (*s == '"')
                sb_addc(out, '"');
            sb_addc(out, *s);
        }
        sb_addc(out, '"');
    } else {
        sb_adds(out, s);
    }
    sb_adds(out, last ? "\r\n" : ",");
    cell->len = 0;
    if (cell->buf)
        cell->buf[0] = '\0';
}

static const char *const csv_columns[] = {
        "threat_id",
        "threat_title",
        "stride",
        "cwe",
        "capec",
        "assets",
        "risk_before",
        "risk_after",
        "threat_status",
        "acceptance",
        "mitigation_id",
        "mitigation_title",
        "control",
        "requirements",
        "mitigation_status",
        "code",
        "effectiveness_tests",
        "thwart_tests",
        "side_effect_tests",
        "suppressions",
        "findings",
        "gaps",
};

#define CSV_COLUMNS (sizeof(csv_columns) / sizeof(*csv_columns))

static void csv_threat(struct strbuf *out, struct strbuf *cell,
                       const json_t *threat)
{
    const json_t *risk = json_object_get(threat, "risk");

    sb_adds(cell, str(threat, "id"));
    csv_field(out, cell, 0);
    sb_adds(cell, str(threat, "title"));
    csv_field(out, cell, 0);
    add_list(cell, json_object_get(threat, "stride"), "; ");
    csv_field(out, cell, 0);
    add_list(cell, json_object_get(threat, "cwe"), "; ");
    csv_field(out, cell, 0);
    add_list(cell, json_object_get(threat, "capec"), "; ");
    csv_field(out, cell, 0);
    add_list(cell, json_object_get(threat, "assets"), "; ");
    csv_field(out, cell, 0);
    sb_adds(cell, str(risk, "before"));
    csv_field(out, cell, 0);
    sb_adds(cell, str(risk, "after"));
    csv_field(out, cell, 0);
    sb_adds(cell, str(threat, "status"));
    csv_field(out, cell, 0);
    acceptance_cell(cell, threat);
    csv_field(out, cell, 0);
}

static void csv_mitigation(struct strbuf *out, struct strbuf *cell,
                           const json_t *mit)
{
    if (json_is_null(mit)) {
        for (size_t i = 10; i < CSV_COLUMNS; i++)
            csv_field(out, cell, i + 1 == CSV_COLUMNS);
        return;
    }
    sb_adds(cell, str(mit, "id"));
    csv_field(out, cell, 0);
    sb_adds(cell, str(mit, "title"));
    csv_field(out, cell, 0);
    sb_adds(cell, str(mit, "control"));
    csv_field(out, cell, 0);
    add_list(cell, json_object_get(mit, "requirements"), "; ");
    csv_field(out, cell, 0);
    sb_adds(cell, str(mit, "status"));
    csv_field(out, cell, 0);
    code_cell(cell, mit, "; ");
    csv_field(out, cell, 0);
    for (int k = 0; k < TEST_KIND_COUNT; k++) {
        tests_cell(cell, mit, test_kind_name(k), "; ");
        csv_field(out, cell, 0);
    }
    reach_cell(cell, mit, "suppressions", "; ");
    csv_field(out, cell, 0);
    reach_cell(cell, mit, "findings", "; ");
    csv_field(out, cell, 0);
    add_list(cell, json_object_get(mit, "gaps"), "; ");
    csv_field(out, cell, 1);
}

char *matrix_render_csv(const json_t *doc)
{
    struct strbuf out = STRBUF_INIT, cell = STRBUF_INIT;
    size_t i;
    json_t *row;

    for (i = 0; i < CSV_COLUMNS; i++) {
        sb_adds(&cell, csv_columns[i]);
        csv_field(&out, &cell, i + 1 == CSV_COLUMNS);
    }
    json_array_foreach(json_object_get(doc, "rows"), i, row)
    {
        csv_threat(&out, &cell, json_object_get(row, "threat"));
        csv_mitigation(&out, &cell, json_object_get(row, "mitigation"));
    }
    sb_release(&cell);
    return sb_detach(&out);
}
