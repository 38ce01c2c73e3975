/*
 * test_import.c: the mapping rules of `mitigate import`, each where it
 * applies and where it does not: statuses, generated and derived IDs,
 * dropped values, control inference, risk levels, risk tracking and the
 * helpers for titles, STRIDE words and CWE IDs.
 *
 * The sources are written inline, small, so that each test shows the
 * input next to what it must give.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "import_internal.h"

/* Warnings of the last import, kept for the checks that follow it. */
static struct mt_errors warnings = MT_ERRORS_INIT;

/* Imports text, which must succeed. */
static struct model *import_ok(enum import_format format, const char *text)
{
    struct mt_errors errs = MT_ERRORS_INIT;
    struct model *model;

    mt_errors_release(&warnings);
    model = import_parse(format, text, strlen(text), "in", &warnings, &errs);
    if (errs.count)
        mt_errors_print(&errs, "reported");
    assert_non_null(model);
    mt_errors_release(&errs);
    return model;
}

/* A Threat Dragon model with one cell holding threats (JSON objects). */
static struct model *dragon(const char *threats)
{
    struct strbuf sb = STRBUF_INIT;
    struct model *model;

    sb_addf(&sb,
            "{\"summary\": {\"title\": \"S\"}, \"detail\": {\"diagrams\": "
            "[{\"cells\": [{\"id\": \"cell-1\", \"data\": {\"name\": "
            "\"Pump\", \"threats\": [%s]}}]}]}}",
            threats);
    model = import_ok(IMPORT_THREAT_DRAGON, sb.buf);
    sb_release(&sb);
    return model;
}

/* The number of warnings that contain text. */
static size_t warnings_with(const char *text)
{
    size_t n = 0;

    for (size_t i = 0; i < warnings.count; i++)
        n += strstr(warnings.items[i].message, text) != NULL;
    return n;
}

static const struct model_threat *threat(const struct model *m, const char *id)
{
    for (size_t i = 0; i < m->threat_count; i++) {
        if (strcmp(m->threats[i].id, id) == 0)
            return &m->threats[i];
    }
    fail_msg("no threat '%s'", id);
    return NULL;
}

static const struct model_mitigation *mitigation(const struct model *m,
                                                 const char *id)
{
    const struct model_mitigation *mit = model_find_mitigation(m, id);

    if (!mit)
        fail_msg("no mitigation '%s'", id);
    return mit;
}

/* Threat Dragon statuses: Open, Mitigated, NA, and a word it lacks. */
static void test_dragon_status(void **state)
{
    struct model *m = dragon(
            "{\"id\": \"open\", \"title\": \"O\", \"status\": \"Open\", "
            "\"type\": \"Spoofing\", \"mitigation\": \"Lock out.\"},"
            "{\"id\": \"done\", \"title\": \"D\", \"status\": \"Mitigated\", "
            "\"type\": \"Spoofing\", \"mitigation\": \"Bond.\"},"
            "{\"id\": \"bare\", \"title\": \"B\", \"status\": \"Mitigated\", "
            "\"type\": \"Spoofing\", \"mitigation\": \"  \"},"
            "{\"id\": \"na\", \"title\": \"N\", \"status\": \"NA\", "
            "\"type\": \"Spoofing\", \"mitigation\": \"No PIN here.\"},"
            "{\"id\": \"na2\", \"title\": \"N2\", \"status\": \"N/A\"},"
            "{\"id\": \"odd\", \"title\": \"X\", \"status\": \"Doing\", "
            "\"mitigation\": \"Later.\"}");

    (void)state;
    assert_int_equal(threat(m, "open")->mitigations.count, 1);
    assert_null(threat(m, "open")->accepted);
    assert_string_equal(threat(m, "done")->mitigations.items[0], "M-done");
    assert_null(threat(m, "done")->accepted);
    assert_int_equal(threat(m, "bare")->mitigations.count, 0);
    assert_null(threat(m, "bare")->accepted);
    assert_int_equal(warnings_with("threat 'bare' is marked 'Mitigated'"), 1);
    assert_int_equal(warnings_with("MT0006"), 1);

    assert_int_equal(threat(m, "na")->mitigations.count, 0);
    assert_string_equal(threat(m, "na")->accepted->rationale, "No PIN here.");
    assert_string_equal(threat(m, "na")->accepted->by, "unassigned");
    assert_string_equal(threat(m, "na")->accepted->until, "1970-01-01");
    assert_null(model_find_mitigation(m, "M-na"));
    assert_string_equal(threat(m, "na2")->accepted->rationale,
                        "Marked 'N/A' in Threat Dragon.");
    assert_int_equal(warnings_with("MT0007"), 2);

    assert_null(threat(m, "odd")->accepted);
    assert_int_equal(threat(m, "odd")->mitigations.count, 1);
    assert_int_equal(warnings_with("unknown status 'Doing'"), 1);
    assert_int_equal(warnings_with("'M-odd' has no STRIDE category"), 1);
    assert_int_equal(warnings.count, 5);
    model_free(m);
}

/* IDs: kept, taken from threatId, derived, and derived from invalid. */
static void test_dragon_ids(void **state)
{
    static const char long_id[] =
            "a234567890123456789012345678901234567890123456789012345678901234";
    struct strbuf doc = STRBUF_INIT;
    struct model *m, *again, *renamed;
    const char *derived;

    (void)state;
    sb_addf(&doc,
            "{\"id\": \"kept-1\", \"title\": \"K\", \"status\": \"Open\"},"
            "{\"threatId\": \"older-2\", \"title\": \"O\", \"status\": "
            "\"Open\"},"
            "{\"title\": \"No ID\", \"status\": \"Open\", \"mitigation\": "
            "\"M\"},"
            "{\"id\": \"has space\", \"title\": \"S\", \"status\": \"Open\"},"
            "{\"id\": \"%s\", \"title\": \"L\", \"status\": \"Open\", "
            "\"mitigation\": \"Long.\"}",
            long_id);
    m = dragon(doc.buf);
    assert_string_equal(m->threats[0].id, "kept-1");
    assert_string_equal(m->threats[0].origin.id, "kept-1");
    assert_null(m->threats[0].origin.note);
    assert_string_equal(m->threats[1].id, "older-2");

    derived = m->threats[2].id;
    assert_int_equal(strlen(derived), 14);
    assert_memory_equal(derived, "T-", 2);
    assert_null(m->threats[2].origin.id);
    assert_non_null(strstr(m->threats[2].origin.note, "has no ID"));
    assert_memory_equal(m->threats[2].mitigations.items[0], "M-", 2);
    assert_string_equal(m->threats[2].mitigations.items[0] + 2, derived);

    assert_memory_equal(m->threats[3].id, "has-space-", 10);
    assert_int_equal(strlen(m->threats[3].id), 18);
    assert_string_equal(m->threats[3].origin.id, "has space");
    assert_non_null(strstr(m->threats[3].origin.note, "not a valid"));

    /* "M-" and 64 characters is too long: the mitigation ID is hashed. */
    assert_string_equal(m->threats[4].id, long_id);
    assert_int_equal(strlen(m->threats[4].mitigations.items[0]), 14);
    assert_memory_equal(m->threats[4].mitigations.items[0], "M-", 2);

    /* The same cell and title give the same ID; another title another. */
    again = dragon("{\"title\": \"No ID\", \"status\": \"Open\"}");
    renamed = dragon("{\"title\": \"No ID!\", \"status\": \"Open\"}");
    assert_string_equal(again->threats[0].id, derived);
    assert_string_not_equal(renamed->threats[0].id, derived);
    model_free(m);
    model_free(again);
    model_free(renamed);
    sb_release(&doc);
}

/*
 * Two threats without an ID, with the same cell and title, derive the
 * same ID: an error that names both, not a silent merge.
 */
static void test_dragon_derived_collision(void **state)
{
    static const char doc[] =
            "{\"summary\": {\"title\": \"S\"}, \"detail\": {\"diagrams\": "
            "[{\"cells\": [{\"id\": \"c\", \"data\": {\"threats\": ["
            "{\"title\": \"Twin\", \"status\": \"Open\"},"
            "{\"title\": \"Twin\", \"status\": \"Open\"}]}}]}]}}";
    struct mt_errors errs = MT_ERRORS_INIT;
    struct mt_errors warns = MT_ERRORS_INIT;

    (void)state;
    assert_null(
            import_threat_dragon_parse(doc, strlen(doc), "in", &warns, &errs));
    assert_int_equal(errs.count, 1);
    assert_non_null(strstr(errs.items[0].message,
                           "derived here is also the ID of the threat at "
                           ".detail.diagrams[0].cells[0].data.threats[0]"));
    mt_errors_release(&errs);
    mt_errors_release(&warns);
}

/* Values the model has no key for are warned about; others are not. */
static void test_dragon_dropped(void **state)
{
    struct model *m =
            dragon("{\"id\": \"a\", \"title\": \"A\", \"status\": \"Open\", "
                   "\"severity\": \"High\", \"type\": \"Tampering\", "
                   "\"modelType\": \"STRIDE\", \"score\": \"\"},"
                   "{\"id\": \"b\", \"title\": \"B\", \"status\": \"Open\", "
                   "\"severity\": \"Severe\", \"type\": \"Linking\", "
                   "\"modelType\": \"LINDDUN\", \"score\": \"9\"},"
                   "{\"id\": \"c\", \"title\": \"C\", \"status\": \"Open\", "
                   "\"severity\": \"TBD\", \"type\": \"Availability\", "
                   "\"modelType\": \"CIA\"}");

    (void)state;
    assert_string_equal(threat(m, "a")->risk_before.text, "high");
    assert_int_equal(threat(m, "a")->stride_mask, 1u << STRIDE_TAMPERING);
    assert_null(threat(m, "a")->origin.note);
    assert_null(threat(m, "b")->risk_before.text);
    assert_int_equal(threat(m, "b")->stride_mask, 0);
    assert_string_equal(threat(m, "b")->origin.note,
                        "Its LINDDUN type in Threat Dragon is 'Linking'. "
                        "Its severity in Threat Dragon is 'Severe'. Its "
                        "score in Threat Dragon is '9'.");
    assert_null(threat(m, "c")->risk_before.text);
    assert_int_equal(threat(m, "c")->stride_mask,
                     1u << STRIDE_DENIAL_OF_SERVICE);
    assert_int_equal(warnings.count, 3);
    assert_int_equal(warnings_with("'b'"), 3);
    model_free(m);
}

/* A mitigation's control follows its threats' STRIDE category. */
static void test_control_inference(void **state)
{
    static const struct {
        const char *type;
        enum control control;
    } cases[] = {
            {"Spoofing", CONTROL_AUTHENTICATION},
            {"Tampering", CONTROL_INTEGRITY},
            {"Repudiation", CONTROL_LOGGING},
            {"Information disclosure", CONTROL_CONFIDENTIALITY},
            {"Denial of service", CONTROL_RESILIENCY},
            {"Elevation of privilege", CONTROL_AUTHORIZATION},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        struct strbuf doc = STRBUF_INIT;
        struct model *m;

        sb_addf(&doc,
                "{\"id\": \"t\", \"title\": \"T\", \"status\": \"Open\", "
                "\"type\": \"%s\", \"mitigation\": \"Do it.\"}",
                cases[i].type);
        m = dragon(doc.buf);
        assert_int_equal(mitigation(m, "M-t")->control, cases[i].control);
        assert_non_null(strstr(mitigation(m, "M-t")->origin.note,
                               "was inferred from the STRIDE category"));
        assert_int_equal(warnings.count, 0);
        model_free(m);
        sb_release(&doc);
    }
}

/* Without a STRIDE category, integrity, with a warning to choose. */
static void test_control_unknown(void **state)
{
    struct model *m = dragon("{\"id\": \"t\", \"title\": \"T\", \"status\": "
                             "\"Open\", \"mitigation\": \"Do it.\"}");

    (void)state;
    assert_int_equal(mitigation(m, "M-t")->control, CONTROL_INTEGRITY);
    assert_int_equal(warnings_with("no STRIDE category to infer"), 1);
    assert_int_equal(warnings.count, 1);
    model_free(m);
}

/* An OTM model with the given threats, mitigations and components. */
static struct model *otm(const char *threats, const char *mitigations,
                         const char *components)
{
    struct strbuf sb = STRBUF_INIT;
    struct model *model;

    sb_addf(&sb,
            "{\"otmVersion\": \"0.1.0\", \"project\": {\"name\": \"P\", "
            "\"id\": \"p\"}, \"threats\": [%s], \"mitigations\": [%s], "
            "\"components\": [%s]}",
            threats, mitigations, components);
    model = import_ok(IMPORT_OTM, sb.buf);
    sb_release(&sb);
    return model;
}

#define OTM_THREAT(id)                                                         \
    "{\"id\": \"" id "\", \"name\": \"" id "\", \"categories\": "              \
    "[\"Tampering\"], \"risk\": {\"likelihood\": 50, \"impact\": 50}}"
#define OTM_MITIGATION(id)                                                     \
    "{\"id\": \"" id "\", \"name\": \"" id "\", \"riskReduction\": 50}"

/* Threat states combine over instances; rejected links are dropped. */
static void test_otm_states(void **state)
{
    struct model *m = otm(
            OTM_THREAT("mixed") "," OTM_THREAT("done") "," OTM_THREAT("bare") "," OTM_THREAT(
                    "acc") "," OTM_THREAT("na") "," OTM_THREAT("odd"),
            OTM_MITIGATION("M-1") "," OTM_MITIGATION("M-2") "," OTM_MITIGATION(
                    "M-X"),
            "{\"id\": \"a\", \"name\": \"A\", \"threats\": ["
            "{\"threat\": \"mixed\", \"state\": \"exposed\", \"mitigations\": "
            "[{\"mitigation\": \"M-1\", \"state\": \"required\"}]},"
            "{\"threat\": \"done\", \"state\": \"mitigated\", \"mitigations\": "
            "[{\"mitigation\": \"M-2\", \"state\": \"implemented\"}]},"
            "{\"threat\": \"bare\", \"state\": \"mitigated\", \"mitigations\": "
            "[{\"mitigation\": \"M-X\", \"state\": \"rejected\"}]},"
            "{\"threat\": \"acc\", \"state\": \"Accept\"},"
            "{\"threat\": \"na\", \"state\": \"not-applicable\"},"
            "{\"threat\": \"odd\", \"state\": \"pondering\"}]},"
            "{\"id\": \"b\", \"name\": \"B\", \"threats\": ["
            "{\"threat\": \"mixed\", \"state\": \"mitigated\", "
            "\"mitigations\": "
            "[{\"mitigation\": \"M-2\", \"state\": \"implemented\"}]}]}");

    (void)state;
    assert_int_equal(threat(m, "mixed")->mitigations.count, 2);
    assert_null(threat(m, "mixed")->accepted);
    assert_int_equal(threat(m, "mixed")->assets.count, 2);
    assert_int_equal(threat(m, "done")->mitigations.count, 1);
    assert_int_equal(threat(m, "bare")->mitigations.count, 0);
    assert_int_equal(warnings_with("threat 'bare' is marked 'mitigated'"), 1);
    assert_int_equal(warnings_with("'M-X' is 'rejected'"), 1);
    assert_int_equal(warnings_with("'M-X' is named by no threat"), 1);
    assert_null(model_find_mitigation(m, "M-X"));
    assert_int_equal(m->mitigation_count, 2);
    assert_string_equal(threat(m, "acc")->accepted->rationale,
                        "Marked 'Accept' in OTM.");
    assert_string_equal(threat(m, "na")->accepted->rationale,
                        "Marked 'not-applicable' in OTM.");
    assert_null(threat(m, "odd")->accepted);
    assert_int_equal(warnings_with("unknown state 'pondering'"), 1);
    assert_int_equal(warnings.count, 6);
    model_free(m);
}

/* OTM risk: likelihood times impact, as a level; kept in the note. */
static void test_otm_risk_levels(void **state)
{
    static const struct {
        const char *risk;
        const char *level;
    } cases[] = {
            {"\"likelihood\": 0, \"impact\": 90", "none"},
            {"\"likelihood\": 50, \"impact\": 50", "low"},
            {"\"likelihood\": 50, \"impact\": 100", "medium"},
            {"\"likelihood\": 75, \"impact\": 100", "high"},
            {"\"likelihood\": 90, \"impact\": 90", "critical"},
            {"\"likelihood\": null, \"impact\": 90", NULL},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        struct strbuf t = STRBUF_INIT;
        struct model *m;

        sb_addf(&t, "{\"id\": \"T\", \"name\": \"T\", \"risk\": {%s}}",
                cases[i].risk);
        m = otm(t.buf, "", "");
        if (cases[i].level)
            assert_string_equal(m->threats[0].risk_before.text, cases[i].level);
        else
            assert_null(m->threats[0].risk_before.text);
        assert_non_null(strstr(m->threats[0].origin.note, "Its risk in OTM"));
        model_free(m);
        sb_release(&t);
    }
}

/* A Threagile model with one category and the given tracking. */
static struct model *threagile(const char *mitigation, const char *tracking)
{
    struct strbuf sb = STRBUF_INIT;
    struct model *model;

    sb_addf(&sb,
            "threagile_version: 1.0.0\n"
            "title: T\n"
            "individual_risk_categories:\n"
            "  Cat:\n"
            "    id: cat\n"
            "    description: D\n"
            "    mitigation: \"%s\"\n"
            "    stride: spoofing\n"
            "    cwe: 287\n"
            "    risks_identified:\n"
            "      Risk at <b>A</b>:\n"
            "        severity: elevated\n"
            "        most_relevant_technical_asset: a\n"
            "      Risk at B:\n"
            "        severity: low\n"
            "        most_relevant_technical_asset: b\n"
            "        most_relevant_data_asset: d\n"
            "risk_tracking:\n%s",
            mitigation, tracking);
    model = import_ok(IMPORT_THREAGILE, sb.buf);
    sb_release(&sb);
    return model;
}

/* The exact tracking entry wins over a wildcard; "*" is one part. */
static void test_threagile_tracking_match(void **state)
{
    struct model *m = threagile("Fix it.", "  cat@*:\n"
                                           "    status: accepted\n"
                                           "    justification: J\n"
                                           "    checked_by: C\n"
                                           "  cat@a:\n"
                                           "    status: in-progress\n");
    const struct model_threat *a = &m->threats[0], *b = &m->threats[1];

    (void)state;
    assert_string_equal(a->origin.id, "cat@a");
    assert_string_equal(a->title, "Risk at A");
    assert_null(a->accepted);
    assert_int_equal(a->mitigations.count, 1);
    assert_string_equal(a->risk_before.text, "high");
    assert_string_equal(a->cwe.items[0], "CWE-287");
    /* "cat@*" has two parts; "cat@b@d" three: no match, untracked. */
    assert_string_equal(b->origin.id, "cat@b@d");
    assert_null(b->accepted);
    assert_non_null(strstr(b->origin.note, "unchecked"));
    /* cat@* matched nothing, so it is a threat of its own. */
    assert_int_equal(m->threat_count, 3);
    assert_string_equal(m->threats[2].origin.id, "cat@*");
    assert_string_equal(m->threats[2].accepted->rationale, "J");
    assert_string_equal(m->threats[2].accepted->by, "C");
    assert_int_equal(warnings.count, 1);
    model_free(m);
}

/* Each tracking status, on a risk whose category has a mitigation. */
static void test_threagile_statuses(void **state)
{
    static const struct {
        const char *status;
        int accepted;
        size_t warnings;
    } cases[] = {
            {"unchecked", 0, 0},   {"in-discussion", 0, 0},
            {"in-progress", 0, 0}, {"mitigated", 0, 0},
            {"accepted", 1, 1},    {"false-positive", 1, 1},
            {"nonsense", 0, 1},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        struct strbuf tracking = STRBUF_INIT;
        struct model *m;

        sb_addf(&tracking, "  \"cat@*\":\n    status: %s\n", cases[i].status);
        m = threagile("Fix it.", tracking.buf);
        assert_int_equal(m->threat_count, 2);
        assert_int_equal(m->threats[0].accepted != NULL, cases[i].accepted);
        assert_int_equal(m->threats[0].mitigations.count, 1);
        assert_int_equal(warnings.count, cases[i].warnings);
        model_free(m);
        sb_release(&tracking);
    }
}

/* Mitigated with no mitigation text: a warning, no link. */
static void test_threagile_mitigated_without(void **state)
{
    struct model *m = threagile("", "  \"cat@*\":\n    status: mitigated\n");

    (void)state;
    assert_int_equal(m->mitigation_count, 0);
    assert_int_equal(m->threats[0].mitigations.count, 0);
    assert_int_equal(warnings_with("names no mitigation"), 1);
    assert_int_equal(warnings.count, 1);
    model_free(m);
}

/* Later Threagile versions list categories in custom_risk_categories. */
static void test_threagile_category_list(void **state)
{
    struct model *m = import_ok(IMPORT_THREAGILE,
                                "threagile_version: 1.0.0\n"
                                "custom_risk_categories:\n"
                                "  - id: listed\n"
                                "    title: Listed\n"
                                "    mitigation: Fix.\n"
                                "    stride: denial-of-service\n"
                                "    risks_identified:\n"
                                "      Listed risk:\n"
                                "        severity: high\n"
                                "        most_relevant_technical_asset: x\n");
    struct mt_errors errs = MT_ERRORS_INIT;
    static const char bad[] = "threagile_version: 1.0.0\n"
                              "custom_risk_categories: [just text]\n";

    (void)state;
    assert_int_equal(m->threat_count, 1);
    assert_string_equal(m->threats[0].origin.id, "listed@x");
    assert_string_equal(m->threats[0].mitigations.items[0], "M-listed");
    assert_int_equal(m->mitigations[0].control, CONTROL_RESILIENCY);
    model_free(m);
    assert_null(
            import_threagile_parse(bad, strlen(bad), "in", &warnings, &errs));
    assert_int_equal(errs.count, 1);
    assert_string_equal(errs.items[0].message,
                        "expected a mapping for each entry of "
                        "'custom_risk_categories'");
    mt_errors_release(&errs);
}

static void test_title(void **state)
{
    char *t;

    (void)state;
    t = import_title("Short one");
    assert_string_equal(t, "Short one");
    free(t);
    t = import_title("First line  \nsecond line");
    assert_string_equal(t, "First line");
    free(t);
    t = import_title("Word word word word word word word word word word word "
                     "word word word word word word word word word word word "
                     "word");
    assert_true(strlen(t) <= IMPORT_TITLE_MAX);
    assert_string_equal(t + strlen(t) - 8, " word...");
    free(t);
}

static void test_stride_words(void **state)
{
    (void)state;
    assert_int_equal(import_stride_parse("Information disclosure"),
                     STRIDE_INFORMATION_DISCLOSURE);
    assert_int_equal(import_stride_parse("DENIAL_OF_SERVICE"),
                     STRIDE_DENIAL_OF_SERVICE);
    assert_int_equal(import_stride_parse("Elevation of Privileges"),
                     STRIDE_ELEVATION_OF_PRIVILEGE);
    assert_int_equal(import_stride_parse("spoofing"), STRIDE_SPOOFING);
    assert_int_equal(import_stride_parse("Authentication"), -1);
    assert_int_equal(import_stride_parse(""), -1);
}

static void test_cwe_words(void **state)
{
    static const char *const good[][2] = {
            {"CWE-79", "CWE-79"}, {"cwe-079", "CWE-79"}, {"79", "CWE-79"}};
    static const char *const bad[] = {"CWE-0", "CWE-", "CWE-x",
                                      "",      "79a",  "1234567890"};

    (void)state;
    for (size_t i = 0; i < sizeof(good) / sizeof(*good); i++) {
        char *cwe = import_cwe(good[i][0]);

        assert_string_equal(cwe, good[i][1]);
        free(cwe);
    }
    for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
        assert_null(import_cwe(bad[i]));
}

static int release_warnings(void **state)
{
    (void)state;
    mt_errors_release(&warnings);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_dragon_status),
            cmocka_unit_test(test_dragon_ids),
            cmocka_unit_test(test_dragon_derived_collision),
            cmocka_unit_test(test_dragon_dropped),
            cmocka_unit_test(test_control_inference),
            cmocka_unit_test(test_control_unknown),
            cmocka_unit_test(test_otm_states),
            cmocka_unit_test(test_otm_risk_levels),
            cmocka_unit_test(test_threagile_tracking_match),
            cmocka_unit_test(test_threagile_statuses),
            cmocka_unit_test(test_threagile_mitigated_without),
            cmocka_unit_test(test_threagile_category_list),
            cmocka_unit_test(test_title),
            cmocka_unit_test(test_stride_words),
            cmocka_unit_test(test_cwe_words),
    };

    return cmocka_run_group_tests(tests, NULL, release_warnings);
}
