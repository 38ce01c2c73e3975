/* sarif.c: the SARIF 2.1.0 writer, on jansson. */
#include "sarif.h"

#include <jansson.h>
#include <limits.h>
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

static json_t *rule_to_json(const struct rule *r)
{
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
static json_t *artifact_location(const char *file, const char *root)
{
    struct strbuf uri = STRBUF_INIT;
    char abs[PATH_MAX];
    size_t rlen = strlen(root);
    json_t *j;

    if (!realpath(file, abs)) {
        snprintf(abs, sizeof(abs), "%s", file);
    }
    if (strncmp(abs, root, rlen) == 0 && abs[rlen] == '/') {
        add_uri_path(&uri, abs + rlen + 1);
        j = json_pack("{s:s, s:s}", "uri", uri.buf, "uriBaseId",
                      SARIF_ROOT_BASE_ID);
    } else {
        sb_adds(&uri, "file://");
        add_uri_path(&uri, abs);
        j = json_pack("{s:s}", "uri", uri.buf);
    }
    sb_release(&uri);
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

static json_t *result_to_json(const struct finding *f,
                              const struct sarif_options *opts)
{
    const struct rule *r = rule_get(f->rule);
    struct strbuf key = STRBUF_INIT;
    json_t *res, *loc, *related;
    char hash[65];

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
            json_t *rl = physical_location(&f->related[i].loc, opts->root);

            json_object_set_new(rl, "id", json_integer((json_int_t)i + 1));
            json_object_set_new(
                    rl, "message",
                    json_pack("{s:s}", "text", f->related[i].message));
            json_array_append_new(related, rl);
        }
        json_object_set_new(res, "relatedLocations", related);
    }

    sb_addf(&key, "%s|%s", r->id, f->identity);
    sha256_hex(key.buf, key.len, hash);
    hash[32] = '\0';
    json_object_set_new(res, "partialFingerprints",
                        json_pack("{s:s}", "mitigateIdentity/v1", hash));
    sb_release(&key);
    return res;
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

    for (int i = 0; i < RULE_COUNT; i++)
        json_array_append_new(rules, rule_to_json(rule_get(i)));
    for (size_t i = 0; i < findings->count; i++)
        json_array_append_new(results,
                              result_to_json(&findings->items[i], opts));

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
