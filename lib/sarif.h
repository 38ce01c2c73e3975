/*
 * sarif.h: findings as a SARIF 2.1.0 log, for IDEs and code review.
 *
 * The log has one run whose rules are the whole catalog of rules.h.
 * Files under the source root are written as relative URIs against the
 * base ID SRCROOT, which GitHub code scanning and the VS Code viewer
 * resolve against the checkout; files outside it as absolute file URIs.
 * Each result carries a partial fingerprint computed from the finding's
 * identity, not its line, so it survives edits elsewhere in the file.
 *
 * The same findings and options always give the same bytes.
 */
#ifndef MITIGATE_SARIF_H
#define MITIGATE_SARIF_H

#include "analysis.h"
#include "baseline.h"
#include "policy.h"
#include "util.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SARIF_SCHEMA_URI "https://json.schemastore.org/sarif-2.1.0.json"
#define SARIF_ROOT_BASE_ID "SRCROOT"

struct sarif_options {
    const struct policy *policy;     /* the rules, indexed as findings are */
    const struct baseline *baseline; /* or NULL; absent results come from it */
    const char *root;                /* absolute source root folder */
    const char *category; /* automationDetails.id prefix, "mitigate" */
    long long timestamp;  /* seconds since 1970 for the invocation */
};

/*
 * Computes each finding's fingerprints (its identity's hash, and the
 * hash of the text of its primary line) and, when a baseline is given,
 * its baseline state, marking the baseline's entries that match.
 */
void sarif_prepare(struct findings *findings, const struct policy *policy,
                   struct baseline *baseline);

/*
 * The SARIF log for findings as a NUL-terminated JSON text, ending in a
 * newline; the caller frees it.
 */
char *sarif_render(const struct findings *findings,
                   const struct sarif_options *opts);

/* Renders and writes atomically to path. Returns 0, or -1 with errors. */
int sarif_write(const char *path, const struct findings *findings,
                const struct sarif_options *opts, struct mt_errors *errs);

#ifdef __cplusplus
}
#endif

#endif /* MITIGATE_SARIF_H */
