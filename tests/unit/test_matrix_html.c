/*
 * test_matrix_html.c: the matrix document rendered as an HTML page.
 *
 * The fixture tests/fixtures/matrix/sample.json holds a verified row, a
 * row with gaps and an accepted threat without mitigation; its system
 * name and one threat title carry markup, quotes and ampersands, which
 * must come out as text. Variants of it are made in the tests.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <mitigate.h>
#include <openssl/evp.h>

#include "matrix_html.h"
#include "util.h"

#define SAMPLE MATRIX_FIXTURES_DIR "/sample.json"
#define LINK_BASE "https://git.example.org/pump/blob/3f1c/"

/* The sample document, freshly loaded. */
static json_t *load_sample(void)
{
    json_error_t err;
    json_t *doc = json_load_file(SAMPLE, 0, &err);

    if (!doc)
        fail_msg("%s:%d: %s", SAMPLE, err.line, err.text);
    return doc;
}

/* The sample with report.link_base set to base. */
static json_t *load_sample_linked(const char *base)
{
    json_t *doc = load_sample();

    json_object_set_new(json_object_get(doc, "report"), "link_base",
                        json_string(base));
    return doc;
}

static size_t count(const char *haystack, const char *needle)
{
    size_t n = 0;

    for (const char *p = haystack; (p = strstr(p, needle)); p++)
        n++;
    return n;
}

static void expect_has(const char *html, const char *part)
{
    if (!strstr(html, part))
        fail_msg("page lacks '%s'", part);
}

/* The text between the first open and the close after it. */
static char *between(const char *html, const char *open, const char *close)
{
    const char *start = strstr(html, open);
    const char *end;

    assert_non_null(start);
    start += strlen(open);
    end = strstr(start, close);
    assert_non_null(end);
    return xstrndup(start, (size_t)(end - start));
}

/* The CSP source a browser computes for an inline text. */
static char *csp_hash(const char *text)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned char b64[64];
    unsigned len = 0;
    struct strbuf sb = STRBUF_INIT;

    EVP_Digest(text, strlen(text), digest, &len, EVP_sha256(), NULL);
    EVP_EncodeBlock(b64, digest, (int)len);
    sb_addf(&sb, "'sha256-%s'", (const char *)b64);
    return sb_detach(&sb);
}

/* Markup, quotes and ampersands of the document come out as text. */
MITIGATION_TEST("M-HTML-ESCAPE", EFFECTIVENESS)
static void test_escapes_document_text(void **state)
{
    json_t *doc = load_sample();
    char *html = matrix_render_html(doc);

    (void)state;
    expect_has(html, "Clinician PIN guessed &quot;quickly&quot; "
                     "&lt;script&gt;alert(1)&lt;/script&gt;");
    expect_has(html, "Example &lt;b&gt;syringe&lt;/b&gt; pump &amp; co");
    assert_null(strstr(html, "<script>alert(1)"));
    assert_null(strstr(html, "<b>syringe"));
    /* The page's own script is the only one. */
    assert_int_equal(count(html, "<script"), 1);
    free(html);
    json_decref(doc);
}

/* Apostrophes and control characters are escaped too. */
MITIGATION_TEST("M-HTML-ESCAPE", THWART)
static void test_escapes_quotes_and_controls(void **state)
{
    json_t *doc = load_sample();
    json_t *system = json_object_get(json_object_get(doc, "report"), "system");
    char *html;

    (void)state;
    json_object_set_new(system, "name", json_string("O'Brien\x01 pump"));
    html = matrix_render_html(doc);
    expect_has(html, "O&#39;Brien\xef\xbf\xbd pump");
    assert_null(strstr(html, "\x01"));
    free(html);
    json_decref(doc);
}

/* The table body has one <tr> per row of the document, gaps included. */
static void test_one_tr_per_row(void **state)
{
    json_t *doc = load_sample();
    char *html = matrix_render_html(doc);
    char *table = between(html, "<table id=\"matrix\">", "</table>");
    char *body = between(table, "<tbody>", "</tbody>");

    (void)state;
    assert_int_equal(count(body, "<tr"),
                     json_array_size(json_object_get(doc, "rows")));
    assert_int_equal(count(body, "<tr data-status=\"verified\""), 1);
    assert_int_equal(count(body, "<tr data-status=\"gaps\""), 1);
    assert_int_equal(count(body, "<tr data-status=\"accepted\""), 1);
    /* Every row has as many cells as the header has columns. */
    assert_int_equal(count(body, "<td"),
                     count(table, "<th scope=\"col\"") * count(body, "<tr"));
    free(body);
    free(table);
    free(html);
    json_decref(doc);
}

/* The policy allows nothing but the page's own style and script. */
MITIGATION_TEST("M-HTML-ESCAPE", THWART)
static void test_csp_allows_only_inline_assets(void **state)
{
    json_t *doc = load_sample();
    char *html = matrix_render_html(doc);
    char *csp = between(html,
                        "<meta http-equiv=\"Content-Security-Policy\" "
                        "content=\"",
                        "\">");
    char *style = between(html, "<style>", "</style>");
    char *script = between(html, "<script>", "</script>");
    char *style_hash = csp_hash(style);
    char *script_hash = csp_hash(script);
    struct strbuf want = STRBUF_INIT;

    (void)state;
    sb_addf(&want,
            "default-src 'none'; style-src %s; script-src %s; "
            "base-uri 'none'; form-action 'none'",
            style_hash, script_hash);
    assert_string_equal(csp, want.buf);
    /* It comes before anything it governs. */
    assert_true(strstr(html, "Content-Security-Policy") <
                strstr(html, "<style>"));
    sb_release(&want);
    free(script_hash);
    free(style_hash);
    free(script);
    free(style);
    free(csp);
    free(html);
    json_decref(doc);
}

/* Without a link base, files link to their path next to the report. */
MITIGATION_TEST("M-HTML-ESCAPE", SIDE_EFFECT)
static void test_relative_links(void **state)
{
    json_t *doc = load_sample();
    char *html = matrix_render_html(doc);

    (void)state;
    expect_has(html, "<a href=\"src/pin.c\">src/<wbr>pin.c:17</a>");
    expect_has(html, "<a href=\"src/radio.c\">src/<wbr>radio.c:88</a>");
    expect_has(html, "<a href=\"tests/test_pin.c\">"
                     "tests/<wbr>test_<wbr>pin.c:30</a>");
    expect_has(html, "<a href=\"build/junit-rerun.xml\">"
                     "build/<wbr>junit-rerun.xml:9</a>");
    expect_has(html, "<a href=\"src/util.c\">src/<wbr>util.c:14</a>");
    expect_has(html, "<a href=\"src/util.c\">src/<wbr>util.c:8</a>");
    expect_has(html, "<a href=\"threats.yaml\">T-PIN</a>");
    expect_has(html, "<a href=\"threats.yaml\">M-FRESH</a>");
    expect_has(html, "latest of 2 runs");
    /* Names and paths may wrap between their parts, in text only. */
    expect_has(html, "<code>test_<wbr>");
    for (const char *p = html; (p = strstr(p, "href=\"")); p++) {
        const char *end = strchr(p + 6, '"');

        assert_non_null(end);
        assert_false(memchr(p, '<', (size_t)(end - p)));
    }
    /* Nothing refers to the network. */
    assert_null(strstr(html, "http://"));
    assert_null(strstr(html, "https://"));
    free(html);
    json_decref(doc);
}

/* With a link base, files link to base + path + "#L" + line. */
static void test_link_base(void **state)
{
    json_t *doc = load_sample_linked(LINK_BASE);
    char *html = matrix_render_html(doc);

    (void)state;
    expect_has(html, "<a href=\"" LINK_BASE "src/pin.c#L17\">src/<wbr>pin.c:17"
                     "</a>");
    expect_has(html, "<a href=\"" LINK_BASE "threats.yaml#L14\">T-REPLAY"
                     "</a>");
    /* The base is the only address of the network in the page. */
    assert_null(strstr(html, "http://"));
    for (const char *p = html; (p = strstr(p, "https://")); p++)
        if (strncmp(p, LINK_BASE, strlen(LINK_BASE)))
            fail_msg("address other than the link base: %.40s", p);
    free(html);
    json_decref(doc);
}

/* A link base of another scheme is not used; links stay relative. */
MITIGATION_TEST("M-HTML-ESCAPE", THWART)
static void test_link_base_of_other_scheme(void **state)
{
    json_t *doc = load_sample_linked("javascript:alert(1)//");
    char *html = matrix_render_html(doc);

    (void)state;
    assert_null(strstr(html, "href=\"javascript"));
    expect_has(html, "<a href=\"src/pin.c\">src/<wbr>pin.c:17</a>");
    expect_has(html, "The link base <code>javascript:alert(1)//</code> is "
                     "not used");
    free(html);
    json_decref(doc);
}

/* Paths are percent-encoded in links and escaped in text. */
MITIGATION_TEST("M-HTML-ESCAPE", THWART)
static void test_paths_are_encoded(void **state)
{
    json_t *doc = load_sample();
    json_t *rows = json_object_get(doc, "rows");
    json_t *m = json_object_get(json_array_get(rows, 1), "mitigation");
    json_t *code = json_object_get(m, "code");
    char *html;

    (void)state;
    json_object_set_new(json_array_get(code, 0), "file",
                        json_string("src/a b#\"<c>.c"));
    json_object_set_new(json_array_get(code, 1), "file",
                        json_string("//host/radio.c"));
    html = matrix_render_html(doc);
    expect_has(html, "<a href=\"src/a%20b%23%22%3Cc%3E.c\">"
                     "src/<wbr>a b#&quot;&lt;c&gt;.c:5</a>");
    /* "//host" would name a host; the link is a path on this one. */
    expect_has(html, "<a href=\"/host/radio.c\">"
                     "/<wbr>/<wbr>host/<wbr>radio.c:88</a>");
    free(html);
    json_decref(doc);
}

/* The same document gives the same bytes, from an equal copy too. */
static void test_deterministic(void **state)
{
    json_t *doc = load_sample();
    json_t *copy = json_deep_copy(doc);
    char *first = matrix_render_html(doc);
    char *second = matrix_render_html(doc);
    char *third = matrix_render_html(copy);

    (void)state;
    assert_string_equal(first, second);
    assert_string_equal(first, third);
    free(third);
    free(second);
    free(first);
    json_decref(copy);
    json_decref(doc);
}

/* The summary charts hold a symbol in every coloured mark. */
static void test_summary_chart(void **state)
{
    json_t *doc = load_sample();
    char *html = matrix_render_html(doc);
    char *chart = between(html, "<svg id=\"coverage-chart\"", "</svg>");
    char *bar = between(html, "<svg id=\"results-chart\"", "</svg>");

    (void)state;
    /* Two mitigations, three cells each. */
    assert_int_equal(count(chart, "<g class=\"tile\">"), 2);
    assert_int_equal(count(chart, "<rect x="), 6);
    /* M-FRESH: failed, no thwart test, side-effect test not run. */
    expect_has(chart, "M-FRESH b \xc2\xb7 Thwart: missing");
    expect_has(chart, ">\xe2\x9c\x97</text>");
    expect_has(chart, ">\xe2\x80\x93</text>");
    expect_has(chart, ">\xe2\x97\x8b</text>");
    expect_has(bar, ">\xe2\x9c\x93 4</text>");
    free(bar);
    free(chart);
    free(html);
    json_decref(doc);
}

/* The mitigation of row i gets the ID id. */
static void rename_mitigation(json_t *doc, size_t i, const char *id)
{
    json_t *m = json_object_get(json_array_get(json_object_get(doc, "rows"), i),
                                "mitigation");

    json_object_set_new(m, "id", json_string(id));
}

/*
 * The grid's label column grows to the longest ID, up to 32 characters;
 * a longer ID is cut there, and wider tiles mean fewer on a line.
 */
static void test_summary_chart_long_ids(void **state)
{
    json_t *doc = load_sample();
    char *html, *chart;

    (void)state;
    /* 18 characters: whole; a 16-character column would cut it. */
    rename_mitigation(doc, 0, "M-PLUGIN-CONTAINED");
    html = matrix_render_html(doc);
    chart = between(html, "<svg id=\"coverage-chart\"", "</svg>");
    expect_has(chart, "</title>M-PLUGIN-CONTAINED</text>");
    /* The cells start after 18 characters: 18 * 7.5 + 4 pixels. */
    expect_has(chart, "<rect x=\"139\" y=\"20\"");
    free(chart);
    free(html);

    /* 40 characters: cut to 32, with the whole ID in the tooltip. */
    rename_mitigation(doc, 1, "M-A-VERY-LONG-MITIGATION-ID-OF-40-CHARS!");
    html = matrix_render_html(doc);
    chart = between(html, "<svg id=\"coverage-chart\"", "</svg>");
    expect_has(chart, "<title>M-A-VERY-LONG-MITIGATION-ID-OF-40-CHARS!</title>"
                      "M-A-VERY-LONG-MITIGATION-ID-OF-4\xe2\x80\xa6</text>");
    /* Tiles of 244 + 120 pixels: two fit on a line of 976. */
    expect_has(chart, "width=\"728\" height=\"50\"");
    free(chart);
    free(html);
    json_decref(doc);
}

/* A document without anything still renders a whole, empty page. */
static void test_empty_document(void **state)
{
    json_t *doc = json_object();
    char *html = matrix_render_html(doc);

    (void)state;
    expect_has(html, "<tbody>\n</tbody>");
    expect_has(html, "No mitigation in the model.");
    expect_has(html, "</html>\n");
    free(html);
    json_decref(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_escapes_document_text),
            cmocka_unit_test(test_escapes_quotes_and_controls),
            cmocka_unit_test(test_one_tr_per_row),
            cmocka_unit_test(test_csp_allows_only_inline_assets),
            cmocka_unit_test(test_relative_links),
            cmocka_unit_test(test_link_base),
            cmocka_unit_test(test_link_base_of_other_scheme),
            cmocka_unit_test(test_paths_are_encoded),
            cmocka_unit_test(test_deterministic),
            cmocka_unit_test(test_summary_chart),
            cmocka_unit_test(test_summary_chart_long_ids),
            cmocka_unit_test(test_empty_document),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
