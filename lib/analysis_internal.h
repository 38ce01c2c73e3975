/*
 * analysis_internal.h: what analysis.c (traceability) and reach.c
 * (banned patterns in a mitigation's reach) share while they run.
 */
#ifndef MITIGATE_ANALYSIS_INTERNAL_H
#define MITIGATE_ANALYSIS_INTERNAL_H

#include "analysis.h"
#include "strindex.h"

/* One function across all units. */
struct merged_fn {
    const char *key;
    const char *name;
    int defined;
    const struct facts_loc *loc; /* the definition when there is one */
    const struct facts_annotation **anns;
    size_t ann_count;
    size_t ann_alloc;
    /* Every unit's record of it, the defining one first (a slice of
       the join's parts). */
    const struct facts_function *const *parts;
    size_t part_count;
};

/* A test function that MITIGATION_TEST links to a mitigation. */
struct test_link {
    const struct merged_fn *fn;
    const struct facts_annotation *ann;
};

/* What the facts say about one mitigation of the model. */
struct trace {
    struct test_link *links; /* defined test functions, every kind */
    size_t link_count;
    size_t link_alloc;
    const struct merged_fn **impl; /* defined functions with MITIGATES */
    size_t impl_count;
    size_t impl_alloc;
    const struct merged_fn *declared_only; /* MITIGATES, never defined */
    const struct merged_fn *bound;         /* implemented_by, when defined */
    const struct facts_loc *binding; /* where an implemented_by was found */
    size_t tests[TEST_KIND_COUNT];
};

/* The call graph in compressed rows: node i calls target[first[i]..]. */
struct graph {
    size_t *first;
    size_t *target;
    const struct facts_loc **via; /* the call site of each edge */
};

/* How one test of a mitigation stands: its result and its reach. */
struct verdict {
    size_t mitigation;
    enum test_kind kind;
    const struct merged_fn *fn;        /* or NULL for a model test */
    const struct model_test *declared; /* or NULL for a test function */
    const struct facts_loc *loc;       /* the annotation, or NULL */
    const struct test_result *result;  /* latest, or NULL: not run */
    size_t runs;
    enum reach_state reach;
};

struct join {
    const struct analysis_input *in;
    struct graph graph;
    struct verdict *verdicts; /* mitigation order, then kind */
    size_t verdict_count;
    size_t verdict_alloc;
    /* Mitigation m's verdicts are first_verdict[m] to first_verdict[m+1]. */
    size_t *first_verdict;
    struct merged_fn *fns; /* sorted by key */
    size_t fn_count;
    struct str_index fn_index;           /* key to index into fns */
    const struct facts_function **parts; /* every unit's, sorted by key */
    struct str_index mitigation_index;   /* ID to index in the model */
    struct trace *traces;                /* one per model mitigation */
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

/* The index in the model of the mitigation with this ID, or -1. */
long find_mitigation(const struct join *j, const char *id);

/* Builds j->graph from the call edges of every unit. */
void graph_build(struct join *j);
void graph_free(struct graph *g);

/* Banned-pattern findings in reach, on changed lines, or everywhere. */
void analysis_reach(struct join *j);

/* Test results and whether tests reach their mitigation (MR rules). */
void analysis_verify(struct join *j);

/* The rows of the matrix, from the join and its findings. */
json_t *matrix_rows(const struct join *j, const struct findings *findings);

#endif /* MITIGATE_ANALYSIS_INTERNAL_H */
