/* rules.c: `mitigate rules`: list the rules in force, as text, md or json. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "policy.h"

static const char rules_usage[] =
        "usage: mitigate rules [--policy policy.yaml] [--format text|md|json]\n"
        "\n"
        "Lists the rules in force: the built-in rules with the policy's\n"
        "changes, then the policy's own rules. text (the default) is a\n"
        "table, md a Markdown document with a section per rule, json an\n"
        "array of objects (see docs/rules.md). Exits 0, or 2 when the\n"
        "policy is not valid.\n";

enum format { FORMAT_TEXT, FORMAT_MD, FORMAT_JSON };
static const char *const format_names[] = {"text", "md", "json"};

/* Scope words, by bit: scope 1 << i is scope_words[i]. */
static const char *const scope_words[] = {"mitigation", "changed",
                                          "everywhere"};

/* Whether a rule is found in code, and so has scopes and patterns. */
static int is_pattern_rule(const struct policy_rule *r)
{
    return r->desc.match != MATCH_NONE;
}

/* Whether patterns of this kind name the argument the check reads. */
static int kind_reads_argument(enum match_kind kind)
{
    return kind == MATCH_FORMAT || kind == MATCH_SCANF ||
           kind == MATCH_COPY_SIZE;
}

/* Appends r's scopes to sb, separated by sep; "-" for rules without. */
static void add_scopes(struct strbuf *sb, const struct policy_rule *r,
                       const char *sep)
{
    size_t before = sb->len;

    if (!is_pattern_rule(r)) {
        sb_adds(sb, "-");
        return;
    }
    for (size_t i = 0; i < sizeof(scope_words) / sizeof(*scope_words); i++) {
        if (r->scopes & (1u << i))
            sb_addf(sb, "%s%s", sb->len > before ? sep : "", scope_words[i]);
    }
}

/* Appends pattern p of r to sb, with ":N" where the kind reads an arg. */
static void add_pattern(struct strbuf *sb, const struct policy_rule *r,
                        const struct policy_pattern *p)
{
    sb_adds(sb, p->name);
    if (kind_reads_argument(r->desc.match))
        sb_addf(sb, ":%d", p->arg);
}

/* The level a rule is reported at, or "off" when it is disabled. */
static const char *effective_level(const struct policy_rule *r)
{
    return r->enabled ? level_name(r->level) : "off";
}

/* Text */

/*
 * Prints the rules as a table: ID, level, scope, name and the short
 * description, the columns aligned to their widest cell.
 */
static void print_text(const struct policy *policy)
{
    size_t level_w = strlen("LEVEL"), scope_w = strlen("SCOPE");
    size_t id_w = strlen("ID"), name_w = strlen("NAME");
    struct strbuf scope = STRBUF_INIT;

    for (size_t i = 0; i < policy->count; i++) {
        const struct policy_rule *r = policy_rule_at(policy, i);

        scope.len = 0;
        add_scopes(&scope, r, ",");
        if (strlen(r->desc.id) > id_w)
            id_w = strlen(r->desc.id);
        if (strlen(effective_level(r)) > level_w)
            level_w = strlen(effective_level(r));
        if (scope.len > scope_w)
            scope_w = scope.len;
        if (strlen(r->desc.name) > name_w)
            name_w = strlen(r->desc.name);
    }
    printf("%-*s  %-*s  %-*s  %-*s  %s\n", (int)id_w, "ID", (int)level_w,
           "LEVEL", (int)scope_w, "SCOPE", (int)name_w, "NAME", "DESCRIPTION");
    for (size_t i = 0; i < policy->count; i++) {
        const struct policy_rule *r = policy_rule_at(policy, i);

        scope.len = 0;
        add_scopes(&scope, r, ",");
        printf("%-*s  %-*s  %-*s  %-*s  %s\n", (int)id_w, r->desc.id,
               (int)level_w, effective_level(r), (int)scope_w, sb_str(&scope),
               (int)name_w, r->desc.name, r->desc.short_description);
    }
    sb_release(&scope);
}

/* Markdown */

/* Prints the facts of one rule as a Markdown list. */
static void print_md_facts(const struct policy_rule *r,
                           const struct policy *policy)
{
    struct strbuf sb = STRBUF_INIT;
    const char *cwe = r->desc.cwe;

    printf("- Level: %s (default %s)\n", level_name(r->level),
           level_name(r->desc.level));
    printf("- Enabled: %s\n", r->enabled ? "yes" : "no");
    if (is_pattern_rule(r)) {
        add_scopes(&sb, r, ", ");
        printf("- Scope: %s\n", sb_str(&sb));
        printf("- Kind: %s\n", match_kind_name(r->desc.match));
    }
    if (r->pattern_count) {
        sb.len = 0;
        for (size_t p = 0; p < r->pattern_count; p++) {
            sb_adds(&sb, p ? ", `" : "`");
            add_pattern(&sb, r, &r->patterns[p]);
            sb_addc(&sb, '`');
        }
        printf("- Patterns: %s\n", sb_str(&sb));
    }
    if (cwe[0]) {
        sb.len = 0;
        while (*cwe) {
            size_t len = strcspn(cwe, ",");

            sb_addf(&sb, "%sCWE-%.*s", sb.len ? ", " : "", (int)len, cwe);
            cwe += len + (cwe[len] == ',');
        }
        printf("- CWE: %s\n", sb_str(&sb));
    }
    printf("- Precision: %s\n", r->desc.precision);
    printf("- Security severity: %s\n", r->desc.security_severity);
    if (r->custom)
        printf("- Defined by: %s, line %u\n", policy->path, r->pos.line);
    sb_release(&sb);
}

/* Prints the rules as a Markdown document, one section per rule. */
static void print_md(const struct policy *policy)
{
    printf("# Rules in force\n\n");
    if (policy->path)
        printf("The built-in rules as policy %s changes them, and the "
               "rules it adds.\n",
               policy->path);
    else
        printf("The built-in rules, with their default settings.\n");
    for (size_t i = 0; i < policy->count; i++) {
        const struct policy_rule *r = policy_rule_at(policy, i);

        printf("\n## %s %s\n\n%s\n\n", r->desc.id, r->desc.name,
               r->desc.short_description);
        print_md_facts(r, policy);
        printf("\n%s\n\nWhat to do: %s\n", r->desc.full_description,
               r->desc.help);
    }
}

/* JSON */

/* The JSON object describing rule r; see docs/rules.md. */
static json_t *rule_to_json(const struct policy_rule *r)
{
    json_t *scope = json_array(), *patterns = json_array();
    json_t *cwe = json_array();
    struct strbuf sb = STRBUF_INIT;
    const char *c = r->desc.cwe;

    for (size_t i = 0; is_pattern_rule(r) && i < 3; i++) {
        if (r->scopes & (1u << i))
            json_array_append_new(scope, json_string(scope_words[i]));
    }
    for (size_t p = 0; p < r->pattern_count; p++) {
        sb.len = 0;
        add_pattern(&sb, r, &r->patterns[p]);
        json_array_append_new(patterns, json_string(sb_str(&sb)));
    }
    sb_release(&sb);
    while (*c) {
        json_array_append_new(cwe, json_integer(strtol(c, NULL, 10)));
        c += strcspn(c, ",");
        c += *c == ',';
    }
    return json_pack(
            "{s:s, s:s, s:b, s:b, s:s, s:s, s:o, s:s, s:o, s:o, "
            "s:s, s:s, s:s, s:s, s:s}",
            "id", r->desc.id, "name", r->desc.name, "custom", r->custom,
            "enabled", r->enabled, "level", level_name(r->level),
            "default_level", level_name(r->desc.level), "scope", scope, "kind",
            match_kind_name(r->desc.match), "patterns", patterns, "cwe", cwe,
            "precision", r->desc.precision, "security_severity",
            r->desc.security_severity, "short_description",
            r->desc.short_description, "full_description",
            r->desc.full_description, "help", r->desc.help);
}

/* Prints the rules as a JSON array. */
static void print_json(const struct policy *policy)
{
    json_t *all = json_array();
    char *text;

    for (size_t i = 0; i < policy->count; i++)
        json_array_append_new(all, rule_to_json(policy_rule_at(policy, i)));
    text = json_dumps(all, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (!text) {
        fprintf(stderr, "mitigate rules: out of memory\n");
        exit(EXIT_USAGE);
    }
    printf("%s\n", text);
    free(text);
    json_decref(all);
}

/* The command */

/* Parses the options into *policy_path and *format; -1 after --help. */
static int parse_options(int argc, char **argv, const char **policy_path,
                         enum format *format)
{
    static const struct option longopts[] = {
            {"policy", required_argument, NULL, 'p'},
            {"format", required_argument, NULL, 'f'},
            {"help", no_argument, NULL, 'h'},
            {NULL, 0, NULL, 0},
    };
    int c;

    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        switch (c) {
        case 'p':
            *policy_path = optarg;
            break;
        case 'f':
            for (c = 0; c < 3 && strcmp(optarg, format_names[c]) != 0; c++)
                ;
            if (c == 3)
                return usage_error("rules",
                                   "--format is text, md or json, not '%s'",
                                   optarg);
            *format = (enum format)c;
            break;
        case 'h':
            fputs(rules_usage, stdout);
            return -1;
        case ':':
            return usage_error("rules", "%s needs a value", argv[optind - 1]);
        default:
            return usage_error("rules", "unknown option '%s'; see --help",
                               argv[optind - 1]);
        }
    }
    if (optind < argc)
        return usage_error("rules", "unexpected argument '%s'", argv[optind]);
    return 0;
}

int cmd_rules(int argc, char **argv)
{
    struct mt_errors errs = MT_ERRORS_INIT;
    const char *policy_path = NULL;
    enum format format = FORMAT_TEXT;
    struct policy *policy;
    int rc = parse_options(argc, argv, &policy_path, &format);

    if (rc)
        return rc < 0 ? EXIT_PASS : rc;
    policy = policy_path ? policy_load(policy_path, &errs) : policy_default();
    if (!policy) {
        mt_errors_print(&errs, "mitigate");
        mt_errors_release(&errs);
        return EXIT_USAGE;
    }
    if (format == FORMAT_TEXT)
        print_text(policy);
    else if (format == FORMAT_MD)
        print_md(policy);
    else
        print_json(policy);
    policy_free(policy);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "mitigate rules: cannot write the output\n");
        return EXIT_USAGE;
    }
    return EXIT_PASS;
}
