/*
 * analysis_internal.h: what analysis.c (traceability) and reach.c
 * (banned patterns in a mitigation's reach) share while they run.
 */
#ifndef MITIGATE_ANALYSIS_INTERNAL_H
#define MITIGATE_ANALYSIS_INTERNAL_H

#include "analysis.h"

/* One function across all units. */
struct merged_fn {
    const char *key;
    const char *name;
    int defined;
    const struct facts_loc *loc; /* the definition when there is one */
    const struct facts_annotation **anns;
    size_t ann_count;
    size_t ann_alloc;
    /* Every unit's record of it, the defining one first. */
    const struct facts_function **parts;
    size_t part_count;
    size_t part_alloc;
};

/* What the facts say about one mitigation of the model. */
struct trace {
    const struct merged_fn **impl; /* defined functions with MITIGATES */
    size_t impl_count;
    size_t impl_alloc;
    const struct merged_fn *declared_only; /* MITIGATES, never defined */
    const struct merged_fn *bound;         /* implemented_by, when defined */
    const struct facts_loc *binding; /* where an implemented_by was found */
    size_t tests[TEST_KIND_COUNT];
};

struct join {
    const struct analysis_input *in;
    struct merged_fn *fns; /* sorted by key */
    size_t fn_count;
    struct trace *traces; /* one per model mitigation */
    struct findings *out;
};

struct finding *add_finding(struct join *j, enum rule_id rule, const char *file,
                            const struct mt_pos *pos, const char *function,
                            const char *identity, const char *fmt, ...)
        __attribute__((format(printf, 7, 8)));
/* As add_finding, for any rule of the policy, by index. */
struct finding *add_finding_at(struct join *j, size_t rule, const char *file,
                               const struct mt_pos *pos, const char *function,
                               const char *identity, const char *message);
void add_related(struct finding *f, const struct facts_loc *loc,
                 const char *message);
void add_flow_step(struct finding *f, const struct facts_loc *loc,
                   const char *message);

/* The merged function with this key, or NULL. */
const struct merged_fn *find_fn(const struct join *j, const char *key);

/* Banned-pattern findings in reach, on changed lines, or everywhere. */
void analysis_reach(struct join *j);

#endif /* MITIGATE_ANALYSIS_INTERNAL_H */
