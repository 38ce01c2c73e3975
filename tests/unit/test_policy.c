/*
 * test_policy.c: policy_load() and the suppressions file, on the
 * fixtures in tests/fixtures/policy.
 *
 * Each error fixture holds one family of mistakes; its test states the
 * exact errors, in the order of the file, with the line and column they
 * point at. The fixtures folder comes from POLICY_FIXTURES_DIR.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "policy.h"
#include "suppress.h"

#ifndef POLICY_FIXTURES_DIR
#define POLICY_FIXTURES_DIR "tests/fixtures/policy"
#endif

/* An error a loader must report. */
struct expected_error {
    unsigned line;
    unsigned column;
    const char *message;
};

/* The path of fixture name; the result lives until the next call. */
static const char *fixture(const char *name)
{
    static char path[4096];

    snprintf(path, sizeof(path), "%s/%s", POLICY_FIXTURES_DIR, name);
    return path;
}

/*
 * Checks that errs holds exactly the expected errors, in order, all in
 * file path; prints what was reported when the count differs.
 */
static void assert_errors(const struct mt_errors *errs, const char *path,
                          const struct expected_error *expected, size_t count)
{
    if (errs->count != count)
        mt_errors_print(errs, "reported");
    assert_int_equal(errs->count, count);
    for (size_t i = 0; i < count; i++) {
        assert_string_equal(errs->items[i].message, expected[i].message);
        assert_int_equal(errs->items[i].pos.line, expected[i].line);
        assert_int_equal(errs->items[i].pos.column, expected[i].column);
        assert_string_equal(errs->items[i].file, path);
    }
}

/* Loads policy fixture name, which must fail with the expected errors. */
static void expect_policy_errors(const char *name,
                                 const struct expected_error *expected,
                                 size_t count)
{
    struct mt_errors errs = MT_ERRORS_INIT;
    const char *path = fixture(name);

    assert_null(policy_load(path, &errs));
    assert_errors(&errs, path, expected, count);
    mt_errors_release(&errs);
}

#define EXPECT_POLICY_ERRORS(name, ...)                                        \
    do {                                                                       \
        static const struct expected_error want[] = {__VA_ARGS__};             \
        expect_policy_errors(name, want, sizeof(want) / sizeof(*want));        \
    } while (0)

/* Loads policy fixture name, which must be valid. */
static struct policy *load_policy(const char *name)
{
    struct mt_errors errs = MT_ERRORS_INIT;
    struct policy *policy = policy_load(fixture(name), &errs);

    if (errs.count)
        mt_errors_print(&errs, "reported");
    assert_int_equal(errs.count, 0);
    assert_non_null(policy);
    mt_errors_release(&errs);
    return policy;
}

/* The rule with this ID, which must exist. */
static const struct policy_rule *rule(const struct policy *policy,
                                      const char *id)
{
    int index = policy_find(policy, id);

    assert_true(index >= 0);
    return policy_rule_at(policy, (size_t)index);
}

/* The default policy */

static void test_default(void **state)
{
    struct policy *policy = policy_default();

    (void)state;
    assert_null(policy->path);
    assert_int_equal(policy->count, RULE_COUNT);
    for (size_t i = 0; i < policy->count; i++) {
        const struct policy_rule *r = policy_rule_at(policy, i);

        assert_true(r->enabled);
        assert_false(r->custom);
        assert_int_equal(r->level, rule_get((enum rule_id)i)->level);
        assert_int_equal(r->pos.line, 0);
    }
    assert_int_equal(rule(policy, "MB1001")->scopes,
                     SCOPE_MITIGATION | SCOPE_CHANGED);
    assert_int_equal(rule(policy, "MB1002")->scopes, SCOPE_MITIGATION);
    policy_free(policy);
}

/* The valid policy */

/* The changes of 'rules' arrive, and the rest stays at its default. */
static void test_valid_overrides(void **state)
{
    struct policy *policy = load_policy("valid.yaml");
    struct policy *defaults = policy_default();
    const struct policy_rule *r;

    (void)state;
    assert_string_equal(policy->path, fixture("valid.yaml"));

    r = rule(policy, "MB1002");
    assert_int_equal(r->level, LEVEL_ERROR);
    assert_int_equal(r->desc.level, LEVEL_WARNING);
    /* A new level without a scope takes that level's default scopes. */
    assert_int_equal(r->scopes, SCOPE_MITIGATION | SCOPE_CHANGED);
    assert_int_equal(r->pos.line, 4);
    assert_int_equal(r->pos.column, 3);

    assert_false(rule(policy, "MB1009")->enabled);
    r = rule(policy, "MB1007");
    assert_int_equal(r->level, LEVEL_WARNING);
    assert_int_equal(r->scopes, SCOPE_MITIGATION | SCOPE_CHANGED);
    r = rule(policy, "MB1019");
    assert_int_equal(r->level, LEVEL_WARNING);
    assert_int_equal(r->scopes, SCOPE_EVERYWHERE);
    assert_int_equal(rule(policy, "MT0007")->level, LEVEL_WARNING);
    assert_int_equal(rule(policy, "MT0008")->level, LEVEL_NOTE);
    assert_true(rule(policy, "MT0008")->enabled);

    r = rule(policy, "MB1001");
    assert_true(r->enabled);
    assert_int_equal(r->level, LEVEL_ERROR);
    assert_int_equal(r->pos.line, 0);

    /* MB1009 is disabled and custom rules match: the hash changes. */
    assert_string_not_equal(policy->match_hash, defaults->match_hash);
    policy_free(defaults);
    policy_free(policy);
}

/* Every key of a custom rule arrives in its descriptor. */
static void test_valid_custom(void **state)
{
    struct policy *policy = load_policy("valid.yaml");
    const struct policy_rule *r;

    (void)state;
    assert_int_equal(policy->count, RULE_COUNT + 3);

    r = policy_rule_at(policy, RULE_COUNT);
    assert_true(r->custom);
    assert_true(r->enabled);
    assert_string_equal(r->desc.id, "MB2001");
    assert_string_equal(r->desc.name, "VendorUnsafeCopy");
    assert_int_equal(r->desc.match, MATCH_CALL);
    assert_int_equal(r->level, LEVEL_WARNING);
    assert_int_equal(r->desc.level, LEVEL_WARNING);
    assert_int_equal(r->scopes, SCOPE_MITIGATION);
    assert_string_equal(r->desc.cwe, "120");
    assert_string_equal(r->desc.security_severity, "5.5");
    assert_string_equal(r->desc.precision, "high");
    assert_string_equal(r->desc.short_description,
                        "A vendor copy without a bound is called.");
    assert_string_equal(r->desc.full_description,
                        "The vendor's unchecked copy writes as much as it "
                        "is told to.");
    assert_string_equal(r->desc.help,
                        "Call vendor_memcpy_checked with the destination "
                        "size.");
    assert_string_equal(r->desc.patterns, "vendor_memcpy_unchecked,legacy_*");
    assert_int_equal(r->pattern_count, 2);
    assert_string_equal(r->patterns[1].name, "legacy_*");
    assert_int_equal(r->pos.line, 11);
    assert_int_equal(r->pos.column, 9);

    /* Defaults: scopes and severity by level, full from short. */
    r = policy_rule_at(policy, RULE_COUNT + 1);
    assert_string_equal(r->desc.id, "MB2002");
    assert_int_equal(r->desc.match, MATCH_FORMAT);
    assert_int_equal(r->scopes, SCOPE_MITIGATION | SCOPE_CHANGED);
    assert_string_equal(r->desc.security_severity, "7.0");
    assert_string_equal(r->desc.cwe, "");
    assert_string_equal(r->desc.full_description, r->desc.short_description);
    assert_int_equal(r->pattern_count, 2);
    assert_string_equal(r->patterns[0].name, "vendor_log");
    assert_int_equal(r->patterns[0].arg, 1);
    assert_int_equal(r->patterns[1].arg, 2);

    /* One pattern, one CWE and a severity written as a number. */
    r = policy_rule_at(policy, RULE_COUNT + 2);
    assert_string_equal(r->desc.id, "MB2003");
    assert_int_equal(r->desc.match, MATCH_MACRO);
    assert_int_equal(r->level, LEVEL_NOTE);
    assert_string_equal(r->desc.cwe, "676");
    assert_string_equal(r->desc.security_severity, "10.0");
    assert_string_equal(r->desc.precision, "very-high");
    assert_int_equal(r->pattern_count, 1);
    assert_int_equal(policy_find(policy, "MB2003"), RULE_COUNT + 2);
    policy_free(policy);
}

/* Invalid policies */

static void test_unknown_keys(void **state)
{
    (void)state;
    EXPECT_POLICY_ERRORS(
            "unknown_keys.yaml",
            {2, 1, "unknown key 'rule' in policy file (did you mean 'rules'?)"},
            {5, 12,
             "unknown key 'levle' in rule 'MB1002' (expected one of: level, "
             "enabled, scope)"},
            {6, 3, "unknown rule 'MB1102' in 'rules' (did you mean 'MB1002'?)"},
            {7, 3,
             "unknown rule 'XYZ' in 'rules' (run 'mitigate rules' to list "
             "the rules)"},
            {9, 5, "missing required key 'patterns' in custom rule 'MB2001'"},
            {12, 5,
             "unknown key 'pattern' in custom rule 'MB2001' (did you mean "
             "'patterns'?)"});
}

static void test_bad_values(void **state)
{
    (void)state;
    EXPECT_POLICY_ERRORS(
            "bad_values.yaml",
            {3, 19,
             "unknown level 'fatal' in rule 'MB1001' (expected one of: note, "
             "warning, error)"},
            {4, 19,
             "unknown level 'eror' in rule 'MB1002' (did you mean 'error'?)"},
            {5, 21,
             "expected true or false for 'enabled' in rule 'MB1003', found "
             "'yes'"},
            {6, 20,
             "unknown scope 'mitigaton' in rule 'MB1004' (did you mean "
             "'mitigation'?)"},
            {7, 19,
             "'scope' of rule 'MB1005' is empty; name at least one of "
             "mitigation, changed, everywhere"},
            {8, 11,
             "expected a mapping for rule 'MB1006' in 'rules', found a "
             "string (such as {level: warning})"},
            {9, 29,
             "scope 'changed' is listed twice in rule 'MB1007'; remove one"},
            {10, 12,
             "rule 'MT0007' is not a banned-pattern rule and has no scope; "
             "set only 'level' or 'enabled' for it"},
            {11, 3,
             "rule 'MB1002' is set twice in 'rules' (first at line 4, "
             "column 3)"});
}

static void test_custom_errors(void **state)
{
    (void)state;
    EXPECT_POLICY_ERRORS(
            "custom_errors.yaml",
            {3, 9,
             "custom rule ID 'MB1001' is the built-in rule UnboundedCopy; "
             "choose an unused ID from MB2000 to MB9999"},
            {10, 9,
             "invalid custom rule ID 'X1' (expected MB and four digits from "
             "2000 to 9999, such as MB2001)"},
            {11, 11,
             "invalid name 'lowerCase' for custom rule 'X1' (expected "
             "PascalCase, such as VendorUnsafeCopy)"},
            {12, 11,
             "unknown kind 'function' in custom rule 'X1' (expected one of: "
             "call, macro, format)"},
            {20, 16,
             "format pattern 'vendor_log' in custom rule 'MB2001' needs the "
             "index of the format argument, 0 to 31, such as "
             "'vendor_log:1'"},
            {20, 28,
             "format pattern 'vendor_vlog:x' in custom rule 'MB2001' needs "
             "the index of the format argument, 0 to 31, such as "
             "'vendor_vlog:1'"},
            {20, 45,
             "pattern '*' in custom rule 'MB2001' matches every name; spell "
             "out part of the name"},
            {24, 9,
             "duplicate custom rule ID 'MB2001' (first defined at line 17, "
             "column 9)"},
            {25, 11,
             "name 'UnboundedCopy' of custom rule 'MB2001' is already the "
             "name of rule MB1001; choose another"},
            {27, 16,
             "pattern 'my_copy:1' in custom rule 'MB2001' names an argument, "
             "which only kind 'format' takes; remove ':1'"},
            {27, 29,
             "invalid pattern 'my copy' in custom rule 'MB2001' (expected a "
             "function or macro name, where '*' matches any run of "
             "characters)"},
            {28, 12,
             "unknown level 'critical' in custom rule 'MB2001' (expected one "
             "of: note, warning, error)"},
            {29, 11,
             "expected a CWE number such as 120 in 'cwe' of custom rule "
             "'MB2001', found 'CWE-120'"},
            {30, 15,
             "expected a security severity from 0.0 to 10.0 for 'severity' "
             "in custom rule 'MB2001', found '11'"},
            {31, 16,
             "unknown precision 'exact' in custom rule 'MB2001' (expected "
             "one of: very-high, high, medium, low)"},
            {34, 5, "missing required key 'name' in custom rule 'MB2002'"},
            {34, 5, "missing required key 'kind' in custom rule 'MB2002'"},
            {34, 5, "missing required key 'patterns' in custom rule 'MB2002'"},
            {34, 5, "missing required key 'level' in custom rule 'MB2002'"},
            {34, 5, "missing required key 'short' in custom rule 'MB2002'"},
            {34, 5, "missing required key 'help' in custom rule 'MB2002'"},
            {35, 5,
             "expected a mapping for each entry of 'custom', found a "
             "string"});
}

static void test_document_errors(void **state)
{
    (void)state;
    EXPECT_POLICY_ERRORS("version_2.yaml",
                         {1, 18,
                          "unsupported schema version 2 (this mitigate reads "
                          "version 1)"});
    EXPECT_POLICY_ERRORS("alias.yaml",
                         {3, 11, "anchors are not supported in a policy file"},
                         {4, 11, "aliases are not supported in a policy file"});
    EXPECT_POLICY_ERRORS("not_a_policy.yaml",
                         {1, 1,
                          "missing required key 'mitigate-policy' in policy "
                          "file (start the file with 'mitigate-policy: 1')"});
    EXPECT_POLICY_ERRORS("rules_refers_custom.yaml",
                         {3, 3,
                          "rule 'MB2001' is defined under 'custom'; set its "
                          "level and scope there"});
    EXPECT_POLICY_ERRORS("empty.yaml",
                         {0, 0,
                          "the policy file is empty; start it with "
                          "'mitigate-policy: 1'"});
}

static void test_missing_file(void **state)
{
    struct mt_errors errs = MT_ERRORS_INIT;

    (void)state;
    assert_null(policy_load(fixture("no-such-policy.yaml"), &errs));
    assert_int_equal(errs.count, 1);
    assert_string_equal(errs.items[0].message,
                        "cannot open: No such file or directory");
    mt_errors_release(&errs);
}

/* Suppressions */

/* Loads suppressions fixture name, which must be valid. */
static struct suppressions *load_suppressions(const char *name,
                                              const struct policy *policy)
{
    struct mt_errors errs = MT_ERRORS_INIT;
    struct suppressions *set = suppressions_load(fixture(name), policy, &errs);

    if (errs.count)
        mt_errors_print(&errs, "reported");
    assert_int_equal(errs.count, 0);
    assert_non_null(set);
    mt_errors_release(&errs);
    return set;
}

static void test_suppressions_valid(void **state)
{
    struct suppressions *set = load_suppressions("suppressions.yaml", NULL);
    const struct suppression *s = &set->items[0];

    (void)state;
    assert_string_equal(set->path, fixture("suppressions.yaml"));
    assert_int_equal(set->count, 4);
    assert_string_equal(s->rule, "MB1001");
    assert_string_equal(s->function, "copy_name");
    assert_null(s->file);
    assert_string_equal(s->justification,
                        "length checked against dst_size by the caller");
    assert_string_equal(s->owner, "J. Doe");
    assert_string_equal(s->until, "2027-06-30");
    assert_int_equal(s->until_days, 20999);
    assert_int_equal(s->pos.line, 4);
    assert_int_equal(s->pos.column, 5);
    assert_int_equal(s->until_pos.line, 8);
    s = &set->items[2];
    assert_null(s->function);
    assert_string_equal(s->file, "third_party/*");
    assert_null(s->until);
    assert_int_equal(s->until_days, -1);
    suppressions_free(set);
}

/* Which findings each entry of suppressions.yaml suppresses. */
static void test_suppressions_find(void **state)
{
    struct suppressions *set = load_suppressions("suppressions.yaml", NULL);
    long today = 20454; /* 2026-01-01 */
    long later = 21000; /* 2027-07-01 */

    (void)state;
    /* A plain name: that function in any file, static or not. */
    assert_ptr_equal(
            suppressions_find(set, "MB1001", "copy_name", "a.c", today),
            &set->items[0]);
    assert_ptr_equal(suppressions_find(set, "MB1001", "src/x.c:copy_name",
                                       "src/x.c", today),
                     &set->items[0]);
    assert_null(suppressions_find(set, "MB1002", "copy_name", "a.c", today));
    assert_null(suppressions_find(set, "MB1001", "copy_names", "a.c", today));
    assert_null(suppressions_find(set, "MB1001", NULL, "a.c", today));
    /* On its until date it still holds; the day after it does not. */
    assert_non_null(suppressions_find(set, "MB1001", "copy_name", NULL, 20999));
    assert_null(suppressions_find(set, "MB1001", "copy_name", NULL, later));
    assert_true(suppression_expired(&set->items[0], later));
    assert_false(suppression_expired(&set->items[2], later));

    /* A static key: that file, or a path that ends with it. */
    assert_ptr_equal(suppressions_find(set, "MB1018", "src/ble/pair.c:copy_key",
                                       NULL, today),
                     &set->items[1]);
    assert_non_null(suppressions_find(set, "MB1018",
                                      "/home/ci/pump/src/ble/pair.c:copy_key",
                                      NULL, today));
    assert_null(suppressions_find(set, "MB1018", "mysrc/ble/pair.c:copy_key",
                                  NULL, today));
    assert_null(suppressions_find(set, "MB1018", "copy_key", NULL, today));
    assert_null(suppressions_find(set, "MB1018", "src/ble/other.c:copy_key",
                                  NULL, today));

    /* A file glob: '*' crosses folders. */
    assert_ptr_equal(suppressions_find(set, "MB1007", NULL,
                                       "third_party/zlib/inflate.c", today),
                     &set->items[2]);
    assert_null(
            suppressions_find(set, "MB1007", NULL, "src/third_party.c", today));
    assert_null(suppressions_find(set, "MB1007", "atoi_user", NULL, today));
    /* Expired before the test's today. */
    assert_null(
            suppressions_find(set, "MB1012", NULL, "src/sim/noise.c", today));
    assert_non_null(
            suppressions_find(set, "MB1012", NULL, "src/sim/noise.c", 20453));
    assert_null(suppressions_find(NULL, "MB1012", NULL, "x.c", today));
    suppressions_free(set);
}

static void test_suppressions_errors(void **state)
{
    static const struct expected_error want[] = {
            {3, 11,
             "unknown rule 'MB1101' in suppression 1 (did you mean "
             "'MB1001'?)"},
            {9, 5,
             "suppression 2 has both 'function' and 'file'; give one of "
             "them, in two entries if both are meant"},
            {12, 5,
             "suppression 3 needs 'function' or 'file' to say where the rule "
             "is suppressed"},
            {13, 20,
             "the justification of suppression 3 is blank; say why the "
             "findings are acceptable"},
            {15, 5, "missing required key 'justification' in suppression 4"},
            {15, 5,
             "suppression 4 needs 'function' or 'file' to say where the rule "
             "is suppressed"},
            {16, 5,
             "unknown key 'fucntion' in suppression 4 (did you mean "
             "'function'?)"},
            {18, 12,
             "invalid date '2027-02-30' for 'until' in suppression 4 "
             "(expected a calendar date as YYYY-MM-DD)"},
            {20, 11,
             "file '../outside.c' in suppression 5 must be a path relative "
             "to the source root, such as src/vendor/*.c"},
            {22, 12,
             "expected a string for 'owner' in suppression 5, found an "
             "empty value"},
            {23, 5,
             "suppression 6 repeats the suppression of MB1001 for function "
             "'copy_name' (first at line 7, column 5); remove one"},
            {27, 11,
             "unknown rule 'MB2001' in suppression 7 (a custom rule needs "
             "the policy that defines it)"},
            {31, 5,
             "expected a mapping for each entry of 'suppressions', found a "
             "list"},
    };
    struct mt_errors errs = MT_ERRORS_INIT;
    const char *path = fixture("suppressions_errors.yaml");

    (void)state;
    assert_null(suppressions_load(path, NULL, &errs));
    assert_errors(&errs, path, want, sizeof(want) / sizeof(*want));
    mt_errors_release(&errs);
}

/* A custom rule can be suppressed when its policy is given. */
static void test_suppressions_custom_rule(void **state)
{
    struct policy *policy = load_policy("valid.yaml");
    struct suppressions *set =
            load_suppressions("suppressions_custom.yaml", policy);
    struct mt_errors errs = MT_ERRORS_INIT;

    (void)state;
    assert_non_null(
            suppressions_find(set, "MB2001", "vendor_copy", NULL, 20454));
    suppressions_free(set);
    policy_free(policy);

    assert_null(suppressions_load(fixture("suppressions_custom.yaml"), NULL,
                                  &errs));
    assert_int_equal(errs.count, 1);
    mt_errors_release(&errs);
    assert_null(suppressions_load(fixture("valid.yaml"), NULL, &errs));
    assert_int_equal(errs.count, 1);
    assert_string_equal(errs.items[0].message,
                        "missing required key 'mitigate-suppressions' in "
                        "suppressions file (start the file with "
                        "'mitigate-suppressions: 1')");
    mt_errors_release(&errs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_default),
            cmocka_unit_test(test_valid_overrides),
            cmocka_unit_test(test_valid_custom),
            cmocka_unit_test(test_unknown_keys),
            cmocka_unit_test(test_bad_values),
            cmocka_unit_test(test_custom_errors),
            cmocka_unit_test(test_document_errors),
            cmocka_unit_test(test_missing_file),
            cmocka_unit_test(test_suppressions_valid),
            cmocka_unit_test(test_suppressions_find),
            cmocka_unit_test(test_suppressions_errors),
            cmocka_unit_test(test_suppressions_custom_rule),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
