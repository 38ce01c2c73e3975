/* matrix_html_table.c: the rows of the HTML matrix, cell by cell. */
#include "matrix_html_internal.h"

#include <string.h>

/* Statuses */

/*
 * The status a row is filtered by: an accepted threat's rows are
 * "accepted" whatever their mitigation; otherwise a row is as its
 * mitigation is ("verified" or "gaps"), and a row without one takes
 * the threat's status ("not-mitigated").
 */
static const char *row_status(const json_t *row)
{
    const json_t *threat = json_object_get(row, "threat");
    const json_t *mitigation = json_object_get(row, "mitigation");
    const char *status = mh_str(threat, "status");

    if (status && !strcmp(status, "accepted"))
        return status;
    if (json_is_object(mitigation) && mh_str(mitigation, "status"))
        return mh_str(mitigation, "status");
    return status ? status : "not-mitigated";
}

void mh_add_status_badge(struct strbuf *sb, const char *status)
{
    const char *symbol = "\xe2\x9c\x97";
    const char *label = status;

    if (!strcmp(status, "verified"))
        symbol = "\xe2\x9c\x93";
    else if (!strcmp(status, "accepted"))
        symbol = "\xe2\x97\x87";
    else if (!strcmp(status, "not-mitigated"))
        label = "not mitigated";
    sb_adds(sb, "<span class=\"badge s-");
    mh_escape(sb, status);
    sb_addf(sb, "\">%s ", symbol);
    mh_escape(sb, label);
    sb_adds(sb, "</span>");
}

/* Cells of the table */

/* Appends the strings of a JSON array, escaped, joined by sep. */
static void add_joined(struct strbuf *sb, const json_t *array, const char *sep)
{
    for (size_t i = 0; i < json_array_size(array); i++) {
        if (i)
            sb_adds(sb, sep);
        mh_escape(sb, json_string_value(json_array_get(array, i)));
    }
}

/* Appends "<div><dt>name</dt><dd>a, b</dd></div>" unless array is empty. */
static void add_fact(struct strbuf *sb, const char *name, const json_t *array)
{
    if (!json_array_size(array))
        return;
    sb_addf(sb, "<div><dt>%s</dt><dd>", name);
    add_joined(sb, array, ", ");
    sb_adds(sb, "</dd></div>");
}

/* Appends "<td data-sort=\"key\"" without closing the tag. */
static void open_cell(struct strbuf *sb, const char *key)
{
    sb_adds(sb, "<td data-sort=\"");
    mh_escape(sb, key);
    sb_adds(sb, "\"");
}

/* The threat: ID (linked to the model), title, STRIDE, CWE, assets. */
static void add_threat_cell(struct strbuf *sb, const char *base,
                            const json_t *threat)
{
    const json_t *loc = json_object_get(threat, "location");

    open_cell(sb, mh_str(threat, "id"));
    sb_adds(sb, "><div class=\"id\">");
    mh_add_location_link(sb, base, loc, mh_str(threat, "id"));
    sb_adds(sb, "</div><div>");
    mh_escape(sb, mh_str(threat, "title"));
    sb_adds(sb, "</div><dl class=\"facts\">");
    add_fact(sb, "STRIDE", json_object_get(threat, "stride"));
    add_fact(sb, "CWE", json_object_get(threat, "cwe"));
    add_fact(sb, "CAPEC", json_object_get(threat, "capec"));
    add_fact(sb, "Assets", json_object_get(threat, "assets"));
    sb_adds(sb, "</dl></td>");
}

/*
 * The sort key of a risk level: its rank on the usual word scale, or
 * the value itself (a CVSS score sorts as a number).
 */
static const char *risk_key(const char *level)
{
    static const char *const scale[] = {"none", "low", "medium", "high",
                                        "critical"};
    static const char *const ranks[] = {"0", "1", "2", "3", "4"};

    for (size_t i = 0; level && i < sizeof(scale) / sizeof(*scale); i++)
        if (!strcmp(level, scale[i]))
            return ranks[i];
    return level;
}

/* Risk before and after mitigation, "high → low". */
static void add_risk_cell(struct strbuf *sb, const json_t *threat)
{
    const json_t *risk = json_object_get(threat, "risk");

    open_cell(sb, risk_key(mh_str(risk, "before")));
    sb_adds(sb, ">");
    mh_escape(sb, mh_str(risk, "before"));
    sb_adds(sb, " \xe2\x86\x92 ");
    mh_escape(sb, mh_str(risk, "after"));
    sb_adds(sb, "</td>");
}

/* The threat's status; an accepted risk with its owner and review. */
static void add_threat_status_cell(struct strbuf *sb, const json_t *threat)
{
    const char *status = mh_str(threat, "status");
    const json_t *accepted = json_object_get(threat, "accepted");

    open_cell(sb, status);
    sb_adds(sb, ">");
    mh_add_status_badge(sb, status ? status : "not-mitigated");
    if (json_is_object(accepted)) {
        sb_adds(sb, "<div class=\"meta\">by ");
        mh_escape(sb, mh_str(accepted, "by"));
        sb_adds(sb, ", until ");
        mh_escape(sb, mh_str(accepted, "until"));
        if (json_is_true(json_object_get(accepted, "expired")))
            sb_adds(sb, " <span class=\"warn\">(expired)</span>");
        sb_adds(sb, "</div><div>");
        mh_escape(sb, mh_str(accepted, "rationale"));
        sb_adds(sb, "</div>");
    }
    sb_adds(sb, "</td>");
}

/* The mitigation: ID (linked), title, control and requirements. */
static void add_mitigation_cell(struct strbuf *sb, const char *base,
                                const json_t *m)
{
    const json_t *loc = json_object_get(m, "location");
    const json_t *control = json_object_get(m, "control");
    json_t *controls =
            json_is_string(control) ? json_pack("[O]", control) : json_array();

    open_cell(sb, mh_str(m, "id"));
    sb_adds(sb, "><div class=\"id\">");
    mh_add_location_link(sb, base, loc, mh_str(m, "id"));
    sb_adds(sb, "</div><div>");
    mh_escape(sb, mh_str(m, "title"));
    sb_adds(sb, "</div><dl class=\"facts\">");
    add_fact(sb, "Control", controls);
    add_fact(sb, "Requirements", json_object_get(m, "requirements"));
    sb_adds(sb, "</dl></td>");
    json_decref(controls);
}

/* A "– none" mark, for a list that should not be empty. */
static void add_missing(struct strbuf *sb, const char *what)
{
    sb_addf(sb, "<span class=\"badge r-missing\">\xe2\x80\x93 %s</span>", what);
}

/* The implementing code: each function and where it is. */
static void add_code_cell(struct strbuf *sb, const char *base, const json_t *m)
{
    const json_t *code = json_object_get(m, "code");

    sb_addf(sb, "<td data-sort=\"%zu\">", json_array_size(code));
    if (!json_array_size(code)) {
        add_missing(sb, "none");
        sb_adds(sb, "</td>");
        return;
    }
    sb_adds(sb, "<ul class=\"items\">");
    for (size_t i = 0; i < json_array_size(code); i++) {
        const json_t *c = json_array_get(code, i);

        sb_adds(sb, "<li><code>");
        mh_escape_name(sb, mh_str(c, "function"));
        sb_adds(sb, "</code><div class=\"meta\">");
        mh_add_location_link(sb, base, c, NULL);
        if (mh_str(c, "binding")) {
            /* Kept on one line: the key would break before ")". */
            sb_adds(sb, "<br>named in the model <span class=\"key\">(");
            mh_escape(sb, mh_str(c, "binding"));
            sb_adds(sb, ")</span>");
        }
        sb_adds(sb, "</div></li>");
    }
    sb_adds(sb, "</ul></td>");
}

/*
 * Appends a duration in seconds for a reader, without the locale's
 * decimal point: "850 µs", "1.2 ms", "500 ms", "2.50 s", "4 h 0 min".
 * Zero is "under 1 ms": most runners record milliseconds only.
 */
static void add_duration(struct strbuf *sb, double seconds)
{
    long long us = (long long)(seconds * 1e6 + 0.5);

    if (us == 0)
        sb_adds(sb, "under 1 ms");
    else if (us >= 3600000000LL)
        sb_addf(sb, "%lld h %lld min", us / 3600000000LL,
                us % 3600000000LL / 60000000);
    else if (us < 1000)
        sb_addf(sb, "%lld \xc2\xb5s", us);
    else if (us < 10000)
        sb_addf(sb, "%lld.%lld ms", us / 1000, us % 1000 / 100);
    else if (us < 1000000)
        sb_addf(sb, "%lld ms", us / 1000);
    else
        sb_addf(sb, "%lld.%02lld s", us / 1000000, us % 1000000 / 10000);
}

/* One test: its result, ID, where it is, what it showed. */
static void add_test(struct strbuf *sb, const char *base, const json_t *t)
{
    enum mh_result r = mh_result_parse(mh_str(t, "result"));
    const json_t *duration = json_object_get(t, "duration");
    json_int_t runs = json_integer_value(json_object_get(t, "runs"));
    const char *reaches = mh_str(t, "reaches");

    sb_addf(sb, "<li><span class=\"badge r-%s\">%s %s</span> <code>",
            mh_result_class(r), mh_result_symbol(r), mh_result_label(r));
    mh_escape_name(sb, mh_str(t, "id"));
    sb_adds(sb, "</code>");
    if (json_is_true(json_object_get(t, "declared"))) {
        sb_adds(sb, " <span class=\"tag\">declared</span><div>");
        mh_escape(sb, mh_str(t, "title"));
        sb_adds(sb, "</div>");
    }
    sb_adds(sb, "<div class=\"meta\">");
    mh_add_location_link(sb, base, t, NULL);
    if (json_is_number(duration)) {
        sb_adds(sb, " \xc2\xb7 ");
        add_duration(sb, json_number_value(duration));
    }
    if (runs > 1)
        sb_addf(sb, " \xc2\xb7 latest of %lld runs", (long long)runs);
    if (reaches) {
        sb_adds(sb, strcmp(reaches, "no") ? "<br>reaches the code: "
                                          : "<br><span class=\"warn\">"
                                            "reaches the code: ");
        mh_escape(sb, reaches);
        sb_adds(sb, strcmp(reaches, "no") ? "" : "</span>");
    }
    if (mh_str(t, "results_file")) {
        sb_adds(sb, "<br>result in ");
        mh_add_link(sb, base, mh_str(t, "results_file"),
                    json_integer_value(json_object_get(t, "results_line")),
                    NULL);
    }
    sb_adds(sb, "</div>");
    if (mh_str(t, "message")) {
        sb_adds(sb, "<div class=\"msg\">");
        mh_escape(sb, mh_str(t, "message"));
        sb_adds(sb, "</div>");
    }
    sb_adds(sb, "</li>");
}

/* The tests of one kind; sorts by their best result. */
static void add_tests_cell(struct strbuf *sb, const char *base,
                           const json_t *tests)
{
    sb_addf(sb, "<td class=\"tests\" data-sort=\"%d\">",
            (int)mh_best_result(tests));
    if (!json_array_size(tests)) {
        add_missing(sb, "missing");
        sb_adds(sb, "</td>");
        return;
    }
    sb_adds(sb, "<ul class=\"items\">");
    for (size_t i = 0; i < json_array_size(tests); i++)
        add_test(sb, base, json_array_get(tests, i));
    sb_adds(sb, "</ul></td>");
}

/*
 * Opens a cell sorted by the length of list: "none" and closed when it
 * is empty (returns 0), else an open item list (returns 1).
 */
static int open_list_cell(struct strbuf *sb, const json_t *list)
{
    sb_addf(sb, "<td data-sort=\"%zu\">", json_array_size(list));
    if (!json_array_size(list)) {
        sb_adds(sb, "<span class=\"none\">none</span></td>");
        return 0;
    }
    sb_adds(sb, "<ul class=\"items\">");
    return 1;
}

/* Suppressions in the mitigation's code, each with its justification. */
static void add_suppressions_cell(struct strbuf *sb, const char *base,
                                  const json_t *m)
{
    const json_t *list = json_object_get(m, "suppressions");

    if (!open_list_cell(sb, list))
        return;
    for (size_t i = 0; i < json_array_size(list); i++) {
        const json_t *s = json_array_get(list, i);

        sb_adds(sb, "<li><code>");
        mh_escape(sb, mh_str(s, "rule"));
        sb_adds(sb, "</code> in <code>");
        mh_escape(sb, mh_str(s, "function"));
        sb_adds(sb, "</code><div>\xe2\x80\x9c");
        mh_escape(sb, mh_str(s, "justification"));
        sb_adds(sb, "\xe2\x80\x9d</div><div class=\"meta\">");
        mh_add_location_link(sb, base, s, NULL);
        sb_adds(sb, "</div></li>");
    }
    sb_adds(sb, "</ul></td>");
}

/* Banned-pattern findings in the mitigation's reach. */
static void add_findings_cell(struct strbuf *sb, const char *base,
                              const json_t *m)
{
    const json_t *list = json_object_get(m, "findings");

    if (!open_list_cell(sb, list))
        return;
    for (size_t i = 0; i < json_array_size(list); i++) {
        const json_t *f = json_array_get(list, i);

        sb_adds(sb, "<li><code>");
        mh_escape(sb, mh_str(f, "rule"));
        sb_adds(sb, "</code> <span class=\"tag\">");
        mh_escape(sb, mh_str(f, "level"));
        sb_adds(sb, "</span><div>");
        mh_escape(sb, mh_str(f, "message"));
        sb_adds(sb, "</div><div class=\"meta\">");
        mh_add_location_link(sb, base, f, NULL);
        sb_adds(sb, "</div></li>");
    }
    sb_adds(sb, "</ul></td>");
}

/* The row's status and, for a mitigation with gaps, each gap. */
static void add_row_status_cell(struct strbuf *sb, const char *status,
                                const json_t *m)
{
    const json_t *gaps = json_object_get(m, "gaps");

    open_cell(sb, status);
    sb_adds(sb, ">");
    mh_add_status_badge(sb, status);
    if (json_array_size(gaps)) {
        sb_adds(sb, "<ul class=\"gaps\"><li>");
        add_joined(sb, gaps, "</li><li>");
        sb_adds(sb, "</li></ul>");
    }
    sb_adds(sb, "</td>");
}

void mh_add_row(struct strbuf *sb, const char *base, const json_t *row)
{
    const json_t *threat = json_object_get(row, "threat");
    const json_t *m = json_object_get(row, "mitigation");
    const json_t *tests = json_object_get(m, "tests");
    const char *status = row_status(row);

    sb_adds(sb, "<tr data-status=\"");
    mh_escape(sb, status);
    sb_adds(sb, "\">");
    add_threat_cell(sb, base, threat);
    add_risk_cell(sb, threat);
    add_threat_status_cell(sb, threat);
    if (!json_is_object(m)) {
        sb_adds(sb, "<td data-sort=\"\"><span class=\"none\">no "
                    "mitigation</span></td>");
        /* Code, the tests of each kind, suppressions and findings. */
        for (int i = 0; i < MH_KIND_COUNT + 3; i++)
            sb_adds(sb, "<td data-sort=\"\"></td>");
        add_row_status_cell(sb, status, m);
        sb_adds(sb, "</tr>\n");
        return;
    }
    add_mitigation_cell(sb, base, m);
    add_code_cell(sb, base, m);
    for (int k = 0; k < MH_KIND_COUNT; k++)
        add_tests_cell(sb, base, json_object_get(tests, mh_kind_keys[k]));
    add_suppressions_cell(sb, base, m);
    add_findings_cell(sb, base, m);
    add_row_status_cell(sb, status, m);
    sb_adds(sb, "</tr>\n");
}
