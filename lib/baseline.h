/*
 * baseline.h: compares the results of this run with an earlier SARIF
 * log, for `mitigate check --baseline old.sarif` and `--fail-on new`.
 *
 * A current result matches a baseline result with the same rule and the
 * same partialFingerprints["mitigateIdentity/v1"]; baseline results that
 * lack it (from another writer or an older mitigate) match by rule and
 * partialFingerprints["primaryLocationLineHash"] instead. Each baseline
 * result matches at most one current result, and results that share a
 * rule and fingerprint match one to one, in log order.
 *
 * Results the earlier log already marked "absent" are not loaded: they
 * were gone then, and carrying them forward would keep them for ever.
 *
 * Memory: a struct baseline owns the parsed log; baseline_free() frees
 * it. baseline_append_absent() appends copies the caller's array owns.
 */
#ifndef MITIGATE_BASELINE_H
#define MITIGATE_BASELINE_H

#include <jansson.h>
#include <stddef.h>

#include "util.h"

#ifdef __cplusplus
extern "C" {
#endif

enum baseline_state {
    BASELINE_NONE, /* no baseline was given */
    BASELINE_NEW,
    BASELINE_UNCHANGED,
    BASELINE_UPDATED,
    BASELINE_ABSENT
};

/*
 * The SARIF spelling of state for result.baselineState: "new",
 * "unchanged", "updated" or "absent"; NULL for BASELINE_NONE, whose
 * results carry no baselineState.
 */
const char *baseline_state_name(enum baseline_state state);

struct baseline;

/*
 * Reads the SARIF 2.1.0 log that an earlier `mitigate check` wrote to
 * path. Returns NULL after adding an error naming path and what is
 * wrong when the file cannot be read, is over 256 MiB, is not JSON, is
 * not such a log, or has a malformed result.
 */
struct baseline *baseline_load(const char *path, struct mt_errors *errs);

/*
 * Like baseline_load(), for the log in text (len bytes, need not be
 * NUL-terminated) that path names in errors.
 */
struct baseline *baseline_parse(const char *path, const char *text, size_t len,
                                struct mt_errors *errs);

/*
 * Classifies a current result by rule_id and fingerprint (its
 * mitigateIdentity/v1; line_hash, its primaryLocationLineHash, is only
 * used against baseline results without one), and marks the baseline
 * result it matches as used. The state is unchanged when the message
 * text is the same, updated when it differs (a move alone does not
 * count), and new when no unused baseline result matches. fingerprint,
 * line_hash and message may be NULL (or "" for the first two: not
 * known); b may be NULL, giving BASELINE_NONE.
 */
enum baseline_state baseline_classify(struct baseline *b, const char *rule_id,
                                      const char *fingerprint,
                                      const char *line_hash,
                                      const char *message);

/*
 * Appends to the JSON array results a copy of every baseline result that
 * no call of baseline_classify() matched, in the baseline's order, with
 * "baselineState": "absent". The copies lose "ruleIndex", which indexes
 * the rules of the earlier log, not of this one. Returns how many were
 * appended; 0 when b is NULL.
 */
size_t baseline_append_absent(const struct baseline *b, json_t *results);

void baseline_free(struct baseline *b);

#ifdef __cplusplus
}
#endif

#endif /* MITIGATE_BASELINE_H */
