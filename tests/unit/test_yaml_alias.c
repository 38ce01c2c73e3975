/*
 * test_yaml_alias.c: ynode_load_aliased(), the YAML reading that other
 * tools' files need: anchors and aliases become copies, merge keys are
 * resolved with the mapping's own keys winning, and alias bombs, deep
 * alias chains, undefined anchors and bad merge values are errors with
 * their position. ynode_load_as() still refuses anchors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model_yaml.h"

/* Loads text with aliases, which must succeed. */
static struct ynode *load(const char *text)
{
    struct mt_errors errs = MT_ERRORS_INIT;
    struct ynode *root = NULL;

    if (ynode_load_aliased("t.yaml", text, strlen(text), "test file", &errs,
                           &root) < 0)
        mt_errors_print(&errs, "reported");
    assert_non_null(root);
    mt_errors_release(&errs);
    return root;
}

/* Loads text with aliases, which must fail with message at line:column. */
static void expect_error(const char *text, unsigned line, unsigned column,
                         const char *message)
{
    struct mt_errors errs = MT_ERRORS_INIT;
    struct ynode *root = NULL;

    assert_int_equal(ynode_load_aliased("t.yaml", text, strlen(text),
                                        "test file", &errs, &root),
                     -1);
    assert_null(root);
    if (errs.count != 1)
        mt_errors_print(&errs, "reported");
    assert_int_equal(errs.count, 1);
    assert_string_equal(errs.items[0].message, message);
    assert_int_equal(errs.items[0].pos.line, line);
    assert_int_equal(errs.items[0].pos.column, column);
    mt_errors_release(&errs);
}

static const char *text_at(const struct ynode *map, const char *key)
{
    const struct ynode *v = ynode_get(map, key);

    assert_non_null(v);
    assert_int_equal(v->type, YNODE_SCALAR);
    return v->value;
}

/* An alias is a copy of its anchor's node, at the alias's position. */
static void test_alias_is_a_copy(void **state)
{
    struct ynode *root = load("base: &b {name: x, tags: [a, b]}\n"
                              "copy: *b\n");
    const struct ynode *copy = ynode_get(root, "copy");

    (void)state;
    assert_int_equal(copy->type, YNODE_MAPPING);
    assert_string_equal(text_at(copy, "name"), "x");
    assert_int_equal(ynode_get(copy, "tags")->count, 2);
    assert_ptr_not_equal(copy, ynode_get(root, "base"));
    assert_int_equal(copy->pos.line, 2);
    ynode_free(root);
}

/* Merge keys add the keys the mapping lacks; its own keys win. */
static void test_merge_keys(void **state)
{
    struct ynode *root = load("a: &a {id: a, level: low, owner: A}\n"
                              "b: &b {extra: yes}\n"
                              "one:\n"
                              "  <<: *a\n"
                              "  id: one\n"
                              "many:\n"
                              "  <<: [*b, *a]\n"
                              "  level: high\n");
    const struct ynode *one = ynode_get(root, "one");
    const struct ynode *many = ynode_get(root, "many");

    (void)state;
    assert_string_equal(text_at(one, "id"), "one");
    assert_string_equal(text_at(one, "level"), "low");
    assert_null(ynode_get(one, "<<"));
    assert_int_equal(one->count, 6);
    assert_string_equal(text_at(many, "level"), "high");
    assert_string_equal(text_at(many, "extra"), "yes");
    assert_string_equal(text_at(many, "owner"), "A");
    assert_int_equal(many->count, 8);
    ynode_free(root);
}

/* Without merge keys or anchors, nothing changes. */
static void test_plain_document(void **state)
{
    struct ynode *root = load("a: 1\nb: [x]\n");

    (void)state;
    assert_int_equal(root->count, 4);
    assert_string_equal(text_at(root, "a"), "1");
    ynode_free(root);
}

static void test_undefined_anchor(void **state)
{
    (void)state;
    expect_error("a: *nowhere\n", 1, 4,
                 "alias to an anchor that is not defined before it in a "
                 "test file");
    /* An alias inside its own anchor's node is not defined yet either. */
    expect_error("a: &x [1, *x]\n", 1, 11,
                 "alias to an anchor that is not defined before it in a "
                 "test file");
}

/* A billion laughs stops at the copy limit, with the alias's position. */
static void test_alias_bomb(void **state)
{
    struct strbuf text = STRBUF_INIT;

    (void)state;
    sb_adds(&text, "l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 9; i++)
        sb_addf(&text,
                "l%d: &l%d [*l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, "
                "*l%d, *l%d, *l%d]\n",
                i, i, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1,
                i - 1, i - 1);
    expect_error(text.buf, 6, 50,
                 "aliases expand to too many nodes in a "
                 "test file");
    sb_release(&text);
}

/* A chain of aliases cannot nest deeper than YNODE_MAX_DEPTH. */
static void test_deep_alias_chain(void **state)
{
    struct strbuf text = STRBUF_INIT;

    (void)state;
    sb_adds(&text, "a0: &a0 x\n");
    for (int i = 1; i <= YNODE_MAX_DEPTH; i++)
        sb_addf(&text, "a%d: &a%d [*a%d]\n", i, i, i - 1);
    expect_error(text.buf, YNODE_MAX_DEPTH, 12,
                 "an alias nests deeper than the supported levels in a test "
                 "file");
    sb_release(&text);
}

static void test_bad_merge_value(void **state)
{
    (void)state;
    expect_error("a:\n  <<: text\n", 2, 7,
                 "a merge key takes a mapping or a list of mappings in a "
                 "test file");
    expect_error("a:\n  <<: [text]\n", 2, 7,
                 "a merge key takes a mapping or a list of mappings in a "
                 "test file");
}

/* Tags stay refused; ynode_load_as() still refuses anchors. */
static void test_refusals_stay(void **state)
{
    struct mt_errors errs = MT_ERRORS_INIT;
    struct ynode *root = NULL;
    const char *anchored = "a: &x 1\nb: *x\n";

    (void)state;
    expect_error("a: !!str 1\n", 1, 4,
                 "tags are not supported in a test "
                 "file");
    assert_int_equal(ynode_load_as("t.yaml", anchored, strlen(anchored),
                                   "threat model", &errs, &root),
                     -1);
    assert_int_equal(errs.count, 2);
    assert_string_equal(errs.items[0].message,
                        "anchors are not supported in a threat model");
    mt_errors_release(&errs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_alias_is_a_copy),
            cmocka_unit_test(test_merge_keys),
            cmocka_unit_test(test_plain_document),
            cmocka_unit_test(test_undefined_anchor),
            cmocka_unit_test(test_alias_bomb),
            cmocka_unit_test(test_deep_alias_chain),
            cmocka_unit_test(test_bad_merge_value),
            cmocka_unit_test(test_refusals_stay),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
