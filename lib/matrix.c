/*
 * matrix.c: the matrix document: rows, report metadata and totals.
 */
#include "matrix.h"

#include <dirent.h>
#include <mitigate.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The first line of a small file, without its newline; NULL if none. */
static char *first_line(const char *path)
{
    struct mt_errors errs = MT_ERRORS_INIT;
    char *text = read_regular_file(path, 4096, NULL, &errs);

    mt_errors_release(&errs);
    if (text)
        text[strcspn(text, "\r\n")] = '\0';
    return text;
}

/*
 * Whether name is a branch or tag that HEAD may point to: below refs/,
 * with no "." or ".." component that would lead out of .git.
 */
MITIGATES("M-URI-PATHS")
static int ref_name_ok(const char *name)
{
    if (!starts_with(name, "refs/"))
        return 0;
    for (const char *p = name; *p; p++)
        if (*p == '.' && (p == name || p[-1] == '/') &&
            (p[1] == '/' || p[1] == '\0' ||
             (p[1] == '.' && (p[2] == '/' || p[2] == '\0'))))
            return 0;
    return 1;
}

/* Whether text is a full commit name: 40 lowercase hex digits. */
static int is_commit_name(const char *text)
{
    return strlen(text) == 40 && strspn(text, "0123456789abcdef") == 40;
}

/*
 * The commit checked out in root's git repository, read from .git
 * without running git; NULL when root is not a plain checkout.
 *
 * Limitation: a checkout whose .git is a file (git worktree, a
 * submodule) is not followed, so its revision is not recorded.
 */
static char *git_revision(const char *root)
{
    struct strbuf path = STRBUF_INIT;
    char *head, *rev = NULL;

    sb_addf(&path, "%s/.git/HEAD", root);
    head = first_line(path.buf);
    if (head && starts_with(head, "ref: ") && !ref_name_ok(head + 5)) {
        free(head);
        head = NULL;
    }
    if (head && starts_with(head, "ref: ")) {
        path.len = 0;
        sb_addf(&path, "%s/.git/%s", root, head + 5);
        rev = first_line(path.buf);
        if (!rev) { /* the ref may be packed */
            char *packed, *at;

            path.len = 0;
            sb_addf(&path, "%s/.git/packed-refs", root);
            struct mt_errors errs = MT_ERRORS_INIT;

            packed = read_regular_file(path.buf, 16u << 20, NULL, &errs);
            mt_errors_release(&errs);
            at = packed ? strstr(packed, head + 5) : NULL;
            if (at && at - packed >= 41 && at[strlen(head + 5)] == '\n')
                rev = xstrndup(at - 41, 40);
            free(packed);
        }
    } else if (head) {
        rev = xstrdup(head);
    }
    free(head);
    sb_release(&path);
    if (rev && !is_commit_name(rev)) {
        free(rev);
        rev = NULL;
    }
    return rev;
}

/* The build identifier from the CI's environment, or NULL. */
static const char *build_id(void)
{
    static const char *const vars[] = {"MITIGATE_BUILD_ID", "GITHUB_RUN_ID",
                                       "CI_PIPELINE_ID", "BUILD_NUMBER",
                                       "BUILD_BUILDID"};

    for (size_t i = 0; i < sizeof(vars) / sizeof(*vars); i++)
        if (getenv(vars[i]) && *getenv(vars[i]))
            return getenv(vars[i]);
    return NULL;
}

static json_t *relative(const char *root, const char *path)
{
    size_t len = strlen(root);

    if (strncmp(path, root, len) == 0 && path[len] == '/')
        return json_string(path + len + 1);
    return json_string(path);
}

static void add_input(json_t *inputs, const char *root, const char *path)
{
    char abs[4096], hex[65];

    if (!realpath(path, abs) || sha256_file(abs, hex) < 0)
        return;
    json_array_append_new(inputs,
                          json_pack("{s:o, s:s}", "path", relative(root, abs),
                                    "sha256", hex));
}

static json_t *inputs_json(const struct matrix_meta *meta,
                           const struct facts_set *facts)
{
    json_t *inputs = json_array();

    for (size_t i = 0; i < meta->input_count; i++)
        add_input(inputs, meta->root, meta->inputs[i]);
    for (size_t i = 0; i < facts->count; i++)
        add_input(inputs, meta->root, facts->units[i]->path);
    return inputs;
}

static json_t *clang_versions(const struct facts_set *facts)
{
    json_t *list = json_array();

    for (size_t i = 0; i < facts->count; i++) {
        const char *v = facts->units[i]->clang_version;
        size_t k;

        for (k = 0; k < json_array_size(list); k++)
            if (strcmp(json_string_value(json_array_get(list, k)), v) == 0)
                break;
        if (k == json_array_size(list))
            json_array_append_new(list, json_string(v));
    }
    return list;
}

static void count(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);

    json_object_set_new(obj, key, json_integer(json_integer_value(v) + 1));
}

/*
 * Totals over the rows: threat statuses, and a/b/c coverage and test
 * results counted once for each mitigation, however many threats (and
 * so rows) name it.
 */
static json_t *totals_json(const json_t *rows, const struct model *model)
{
    json_t *status = json_pack("{s:i, s:i, s:i, s:i}", "verified", 0, "gaps", 0,
                               "accepted", 0, "not-mitigated", 0);
    json_t *coverage = json_pack("{s:i, s:i, s:i}", "effectiveness", 0,
                                 "thwart", 0, "side-effect", 0);
    json_t *tests =
            json_pack("{s:i, s:i, s:i, s:i, s:i}", "passed", 0, "failed", 0,
                      "error", 0, "skipped", 0, "not-run", 0);
    json_t *seen = json_object();
    const char *last_threat = "";
    size_t i;
    json_t *row;

    json_array_foreach(rows, i, row)
    {
        json_t *threat = json_object_get(row, "threat");
        json_t *mit = json_object_get(row, "mitigation");
        const char *kind, *mit_id;
        json_t *list;

        if (strcmp(json_string_value(json_object_get(threat, "id")),
                   last_threat) != 0)
            count(status, json_string_value(json_object_get(threat, "status")));
        last_threat = json_string_value(json_object_get(threat, "id"));
        if (json_is_null(mit))
            continue;
        mit_id = json_string_value(json_object_get(mit, "id"));
        if (json_object_get(seen, mit_id))
            continue;
        json_object_set_new(seen, mit_id, json_true());
        json_object_foreach(json_object_get(mit, "tests"), kind, list)
        {
            size_t k, passed = 0;
            json_t *test;

            json_array_foreach(list, k, test)
            {
                const char *r =
                        json_string_value(json_object_get(test, "result"));

                count(tests, r);
                passed |= strcmp(r, "passed") == 0;
            }
            if (passed)
                count(coverage, kind);
        }
    }
    json_decref(seen);
    return json_pack("{s:I, s:I, s:I, s:o, s:o, s:o}", "threats",
                     (json_int_t)model->threat_count, "mitigations",
                     (json_int_t)model->mitigation_count, "rows",
                     (json_int_t)json_array_size(rows), "threat_status", status,
                     "coverage", coverage, "tests", tests);
}

json_t *matrix_document(json_t *rows, const struct model *model,
                        const struct facts_set *facts,
                        const struct matrix_meta *meta)
{
    json_t *options = json_array(), *report;
    char *rev = git_revision(meta->root);
    time_t t = (time_t)meta->timestamp;
    char date[32];
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", &tm);
    /* Where the report is written is not part of how it was made. */
    for (int i = 0; i < meta->argc; i++) {
        const char *a = meta->argv[i];

        if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            i++;
            continue;
        }
        if (starts_with(a, "--output=") ||
            (starts_with(a, "-o") && a[2] != '\0'))
            continue;
        json_array_append_new(options, json_string(a));
    }
    report = json_pack(
            "{s:{s:s, s:s}, s:o, s:o, s:o, s:o, s:s, s:{s:o, s:o}, s:o, "
            "s:o, s:o}",
            "tool", "name", "mitigate", "version", MITIGATE_VERSION, "clang",
            clang_versions(facts), "options", options, "revision",
            rev ? json_string(rev) : json_null(), "build",
            build_id() ? json_string(build_id()) : json_null(), "date", date,
            "system", "name",
            model->system_name ? json_string(model->system_name) : json_null(),
            "version",
            model->system_version ? json_string(model->system_version)
                                  : json_null(),
            "link_base",
            meta->link_base ? json_string(meta->link_base) : json_null(),
            "inputs", inputs_json(meta, facts), "totals",
            totals_json(rows, model));
    free(rev);
    return json_pack("{s:i, s:o, s:o}", "mitigate_matrix",
                     MATRIX_SCHEMA_VERSION, "report", report, "rows", rows);
}

char *matrix_render_json(const json_t *doc)
{
    struct strbuf out = STRBUF_INIT;
    char *text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                                         JSON_REAL_PRECISION(6));

    sb_adds(&out, text ? text : "{}");
    sb_addc(&out, '\n');
    free(text);
    return sb_detach(&out);
}
