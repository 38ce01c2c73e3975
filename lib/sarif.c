/* sarif.c: the SARIF 2.1.0 writer, on jansson. */
#include "sarif.h"
#include "linehash.h"
#include "untrusted.h"

#include <jansson.h>
#include <mitigate.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TOOL_URI "https://github.com/mitigate-tool/mitigate"

/* Rules */

static json_t *rule_tags(const struct rule *r)
{
    json_t *tags = json_pack("[s, s]", "security", "traceability");
    const char *p = r->cwe;

    while (*p) {
        size_t len = strcspn(p, ",");
        struct strbuf tag = STRBUF_INIT;

        sb_adds(&tag, "external/cwe/cwe-");
        sb_add(&tag, p, len);
        json_array_append_new(tags, json_string(tag.buf));
        sb_release(&tag);
        p += len + (p[len] == ',');
    }
    return tags;
}

static char *rule_markdown(const struct rule *r)
{
    struct strbuf md = STRBUF_INIT;

    sb_addf(&md, "## %s: %s\n\n%s\n\n### How to fix\n\n%s\n", r->id, r->name,
            r->full_description, r->help);
    return sb_detach(&md);
}

static json_t *rule_to_json(const struct policy_rule *pr)
{
    const struct rule *r = &pr->desc;
    char *md = rule_markdown(r);
    json_t *j =
            json_pack("{s:s, s:s, s:{s:s}, s:{s:s}, s:{s:s, s:s}, s:{s:s}, "
                      "s:{s:o, s:s, s:s}}",
                      "id", r->id, "name", r->name, "shortDescription", "text",
                      r->short_description, "fullDescription", "text",
                      r->full_description, "help", "text", r->help, "markdown",
                      md, "defaultConfiguration", "level", level_name(r->level),
                      "properties", "tags", rule_tags(r), "security-severity",
                      r->security_severity, "precision", r->precision);

    free(md);
    if (!pr->enabled)
        json_object_set_new(json_object_get(j, "defaultConfiguration"),
                            "enabled", json_false());
    return j;
}

/* Locations */

/* Percent-encodes a path for a URI, keeping '/' and unreserved bytes. */
static void add_uri_path(struct strbuf *uri, const char *path)
{
    static const char hex[] = "0123456789ABCDEF";

    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
            (*p >= '0' && *p <= '9') || strchr("/-._~", *p)) {
            sb_addc(uri, (char)*p);
            continue;
        }
        sb_addc(uri, '%');
        sb_addc(uri, hex[*p >> 4]);
        sb_addc(uri, hex[*p & 15]);
    }
}

/*
 * The artifactLocation of a file: relative to the root when under it,
 * else an absolute file URI. Relative paths are taken from the current
 * folder.
 */
MITIGATES("M-URI-PATHS")
static json_t *artifact_location(const char *file, const char *root)
{
    struct strbuf uri = STRBUF_INIT;
    char *abs = path_absolute(file);
    const char *below = path_below(abs, root);
    json_t *j;

    if (below) {
        add_uri_path(&uri, below);
        j = json_pack("{s:s, s:s}", "uri", uri.buf, "uriBaseId",
                      SARIF_ROOT_BASE_ID);
    } else {
        sb_adds(&uri, "file://");
        add_uri_path(&uri, abs);
        j = json_pack("{s:s}", "uri", uri.buf);
    }
    sb_release(&uri);
    free(abs);
    return j;
}

static json_t *region(const struct mt_pos *pos)
{
    json_t *r = json_object();
    unsigned line = pos->line ? pos->line : 1;
    unsigned col = pos->column ? pos->column : 1;
    unsigned end_line = pos->end_line >= line ? pos->end_line : line;
    unsigned end_col = pos->end_column;

    if (end_line == line && end_col <= col)
        end_col = col + 1;
    json_object_set_new(r, "startLine", json_integer(line));
    json_object_set_new(r, "startColumn", json_integer(col));
    json_object_set_new(r, "endLine", json_integer(end_line));
    json_object_set_new(r, "endColumn", json_integer(end_col));
    return r;
}

static json_t *physical_location(const struct facts_loc *loc, const char *root)
{
    return json_pack("{s:{s:o, s:o}}", "physicalLocation", "artifactLocation",
                     artifact_location(loc->file, root), "region",
                     region(&loc->pos));
}

/* Results */

/* A location with a message, as related locations and flows carry. */
static json_t *message_location(const struct facts_loc *loc,
                                const char *message, const char *root)
{
    json_t *l = physical_location(loc, root);

    json_object_set_new(l, "message", json_pack("{s:s}", "text", message));
    return l;
}

static json_t *code_flow(const struct finding *f, const char *root)
{
    json_t *steps = json_array();

    for (size_t i = 0; i < f->flow_count; i++)
        json_array_append_new(
                steps, json_pack("{s:o}", "location",
                                 message_location(&f->flow[i].loc,
                                                  f->flow[i].message, root)));
    return json_pack("[{s:[{s:o}]}]", "threadFlows", "locations", steps);
}

static json_t *suppressions(const struct finding *f)
{
    return json_pack("[{s:s, s:s, s:s}]", "kind",
                     f->suppression == SUPPRESSION_IN_SOURCE ? "inSource"
                                                             : "external",
                     "status", "accepted", "justification",
                     f->justification ? f->justification : "");
}

static json_t *result_to_json(const struct finding *f,
                              const struct sarif_options *opts)
{
    const struct rule *r = &policy_rule_at(opts->policy, f->rule)->desc;
    json_t *res, *loc, *related, *prints;

    loc = physical_location(&f->loc, opts->root);
    if (f->function)
        json_object_set_new(loc, "logicalLocations",
                            json_pack("[{s:s, s:s}]", "fullyQualifiedName",
                                      f->function, "kind", "function"));
    res = json_pack("{s:s, s:i, s:s, s:{s:s}, s:[o]}", "ruleId", r->id,
                    "ruleIndex", (int)f->rule, "level", level_name(f->level),
                    "message", "text", f->message, "locations", loc);

    if (f->related_count) {
        related = json_array();
        for (size_t i = 0; i < f->related_count; i++) {
            json_t *rl = message_location(&f->related[i].loc,
                                          f->related[i].message, opts->root);

            json_object_set_new(rl, "id", json_integer((json_int_t)i + 1));
            json_array_append_new(related, rl);
        }
        json_object_set_new(res, "relatedLocations", related);
    }
    if (f->flow_count)
        json_object_set_new(res, "codeFlows", code_flow(f, opts->root));
    if (f->suppression != SUPPRESSION_NONE)
        json_object_set_new(res, "suppressions", suppressions(f));
    if (f->baseline_state != BASELINE_NONE)
        json_object_set_new(
                res, "baselineState",
                json_string(baseline_state_name(f->baseline_state)));

    prints = json_pack("{s:s}", "mitigateIdentity/v1", f->fingerprint);
    if (f->line_hash[0])
        json_object_set_new(prints, "primaryLocationLineHash",
                            json_string(f->line_hash));
    json_object_set_new(res, "partialFingerprints", prints);
    return res;
}

static const struct findings *sorting; /* for cmp_by_file */

static int cmp_by_file(const void *pa, const void *pb)
{
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    int c = strcmp(sorting->items[a].loc.file, sorting->items[b].loc.file);

    if (c)
        return c;
    return (a > b) - (a < b);
}

/*
 * Fills the line hashes of the count findings in which, which are all
 * in one file; leaves "\001" when the file cannot be read.
 */
static void hash_lines_of_file(struct findings *findings, const size_t *which,
                               size_t count)
{
    unsigned *lines = xcalloc(count, sizeof(*lines));
    char(*hashes)[LINE_HASH_SIZE] = xcalloc(count, sizeof(*hashes));
    const char *file = findings->items[which[0]].loc.file;

    for (size_t k = 0; k < count; k++)
        lines[k] = findings->items[which[k]].loc.pos.line;
    if (line_hashes(file, lines, count, hashes) == 0)
        for (size_t k = 0; k < count; k++)
            memcpy(findings->items[which[k]].line_hash, hashes[k],
                   LINE_HASH_SIZE);
    else
        for (size_t k = 0; k < count; k++)
            findings->items[which[k]].line_hash[0] = '\001';
    free(hashes);
    free(lines);
}

/* Fills the line hashes of the findings that have none, file by file. */
static void hash_lines(struct findings *findings)
{
    size_t *which = xcalloc(findings->count, sizeof(*which));
    size_t n = 0;

    for (size_t i = 0; i < findings->count; i++)
        if (!findings->items[i].line_hash[0])
            which[n++] = i;
    sorting = findings;
    qsort(which, n, sizeof(*which), cmp_by_file);
    sorting = NULL;
    for (size_t start = 0, end; start < n; start = end) {
        const char *file = findings->items[which[start]].loc.file;

        for (end = start + 1;
             end < n && strcmp(findings->items[which[end]].loc.file, file) == 0;
             end++)
            ;
        hash_lines_of_file(findings, which + start, end - start);
    }
    free(which);
}

void sarif_prepare(struct findings *findings, const struct policy *policy,
                   struct baseline *baseline)
{
    for (size_t i = 0; i < findings->count; i++) {
        struct finding *f = &findings->items[i];
        struct strbuf key = STRBUF_INIT;
        char hash[65];

        sb_addf(&key, "%s|%s", policy_rule_at(policy, f->rule)->desc.id,
                f->identity);
        sha256_hex(key.buf, key.len, hash);
        memcpy(f->fingerprint, hash, 32);
        f->fingerprint[32] = '\0';
        sb_release(&key);
    }
    hash_lines(findings);
    for (size_t i = 0; i < findings->count; i++) {
        struct finding *f = &findings->items[i];

        if (f->line_hash[0] == '\001')
            f->line_hash[0] = '\0'; /* unreadable file: no line hash */
        if (baseline)
            f->baseline_state = baseline_classify(
                    baseline, policy_rule_at(policy, f->rule)->desc.id,
                    f->fingerprint, f->line_hash, f->message);
    }
}

static void format_utc(long long epoch, char out[32])
{
    time_t t = (time_t)epoch;
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static json_t *run_to_json(const struct findings *findings,
                           const struct sarif_options *opts)
{
    json_t *rules = json_array(), *results = json_array();
    struct strbuf root_uri = STRBUF_INIT, automation = STRBUF_INIT;
    char when[32];
    json_t *run;

    for (size_t i = 0; i < opts->policy->count; i++)
        json_array_append_new(rules,
                              rule_to_json(policy_rule_at(opts->policy, i)));
    for (size_t i = 0; i < findings->count; i++)
        json_array_append_new(results,
                              result_to_json(&findings->items[i], opts));
    if (opts->baseline)
        baseline_append_absent(opts->baseline, results);

    sb_adds(&root_uri, "file://");
    add_uri_path(&root_uri, opts->root);
    sb_addc(&root_uri, '/');
    sb_addf(&automation, "%s/", opts->category ? opts->category : "mitigate");
    format_utc(opts->timestamp, when);

    run = json_pack("{s:{s:{s:s, s:s, s:s, s:s, s:o}}, s:{s:s}, s:{s:{s:s}}, "
                    "s:[{s:b, s:s}], s:o}",
                    "tool", "driver", "name", "mitigate", "version",
                    MITIGATE_VERSION, "semanticVersion", MITIGATE_VERSION,
                    "informationUri", TOOL_URI, "rules", rules,
                    "automationDetails", "id", automation.buf,
                    "originalUriBaseIds", SARIF_ROOT_BASE_ID, "uri",
                    root_uri.buf, "invocations", "executionSuccessful", 1,
                    "endTimeUtc", when, "results", results);
    sb_release(&root_uri);
    sb_release(&automation);
    return run;
}

char *sarif_render(const struct findings *findings,
                   const struct sarif_options *opts)
{
    json_t *log =
            json_pack("{s:s, s:s, s:[o]}", "$schema", SARIF_SCHEMA_URI,
                      "version", "2.1.0", "runs", run_to_json(findings, opts));
    struct strbuf out = STRBUF_INIT;
    char *text = json_dumps(log, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

    json_decref(log);
    sb_adds(&out, text ? text : "{}");
    sb_addc(&out, '\n');
    free(text);
    return sb_detach(&out);
}

int sarif_write(const char *path, const struct findings *findings,
                const struct sarif_options *opts, struct mt_errors *errs)
{
    char *text = sarif_render(findings, opts);
    int rc = write_file_atomic(path, text, strlen(text), errs);

    free(text);
    return rc;
}
