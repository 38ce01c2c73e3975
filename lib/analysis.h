/*
 * analysis.h: joins the threat model with the facts of every
 * translation unit and produces findings.
 *
 * This is where every judgement across translation units is made; the
 * front ends only record what one unit says. The analysis reads its
 * inputs and never changes them.
 *
 * A findings list owns its strings; findings_release() frees them. The
 * order of findings depends only on the inputs (rule, then file and
 * position, then message), never on the order files were read in.
 */
#ifndef MITIGATE_ANALYSIS_H
#define MITIGATE_ANALYSIS_H

#include <jansson.h>
#include <stddef.h>

#include "diff.h"
#include "facts.h"
#include "model.h"
#include "policy.h"
#include "results.h"
#include "rules.h"
#include "suppress.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A place that explains a finding: an implementing function, say. */
struct related_location {
    struct facts_loc loc;
    char *message;
};

/* One step of the call path from a mitigation to a finding. */
struct flow_step {
    struct facts_loc loc;
    char *message;
};

enum suppression_kind {
    SUPPRESSION_NONE,
    SUPPRESSION_IN_SOURCE,
    SUPPRESSION_EXTERNAL
};

struct finding {
    size_t rule; /* index into the policy's rules */
    enum level level;
    char *message;
    struct facts_loc loc; /* file as given: absolute, or the model path */
    char *function;       /* the function it is about, or NULL */
    /*
     * What makes this finding the same finding across runs and edits:
     * rule and the IDs or names involved, never a line number.
     */
    char *identity;
    struct related_location *related;
    size_t related_count;
    size_t related_alloc;
    /* For banned patterns in a mitigation's reach: the call path. */
    struct flow_step *flow;
    size_t flow_count;
    size_t flow_alloc;
    long mitigation; /* index of the mitigation whose reach it is in,
                        or -1 */
    enum suppression_kind suppression;
    char *justification; /* why it is suppressed, and by whom */
    /* Filled by sarif_prepare(): */
    char fingerprint[33]; /* from the identity: survives edits */
    char line_hash[32];   /* the primary line's text, or "" */
    int baseline_state;   /* enum baseline_state */
};

struct findings {
    struct finding *items;
    size_t count;
    size_t alloc;
};

/* Whether a test is shown to run the code of its mitigation. */
enum reach_state { REACH_NA, REACH_YES, REACH_NO, REACH_UNVERIFIED };

/* A unit the build compiles, from its compilation database. */
struct build_unit {
    const char *file;             /* absolute, symbolic links resolved */
    const char *arguments_sha256; /* of its compile command */
};

struct analysis_input {
    const struct model *model;
    const struct facts_set *facts;
    const struct results *results; /* or NULL when none were given */
    const struct policy *policy;
    const struct diff *diff;                 /* or NULL */
    const struct suppressions *suppressions; /* or NULL */
    const char *root; /* absolute source root: diff paths are under it */
    long today;       /* days since 1970-01-01, for expiry */
    /* The build's units when its compilation database was given (check
       -p): each must have fresh facts. NULL when not given. */
    const struct build_unit *units;
    size_t unit_count;
};

/*
 * Appends the findings for input to out, sorted. When matrix is not
 * NULL, also sets it to the rows of the threat-to-mitigation matrix as
 * a JSON array (see docs/matrix.md); the caller owns it.
 */
void analysis_run(const struct analysis_input *input, struct findings *out,
                  json_t **matrix);

void findings_release(struct findings *findings);

/* How many unsuppressed findings are at level or above. */
size_t findings_at_least(const struct findings *findings, enum level level);

#ifdef __cplusplus
}
#endif

#endif /* MITIGATE_ANALYSIS_H */
