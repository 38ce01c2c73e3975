/*
 * inputs.h: what check and matrix read, loaded in one place.
 *
 * Every input is read and validated before any judgement is made, and
 * every problem in any of them is reported, so one run shows them all.
 */
#ifndef MITIGATE_INPUTS_H
#define MITIGATE_INPUTS_H

#include "analysis.h"
#include "baseline.h"
#include "diff.h"
#include "facts.h"
#include "model.h"
#include "policy.h"
#include "results.h"
#include "suppress.h"

struct input_options {
    const char *model;
    const char *facts;
    const char *policy;
    const char *suppressions;
    const char *baseline;
    const char *diff;
    const char *since;
    const char **results; /* --results, in the order given */
    size_t result_count;
};

struct inputs {
    struct model *model;
    struct facts_set facts;
    struct policy *policy;
    struct suppressions *suppressions;
    struct baseline *baseline;
    struct diff diff;
    int has_diff;
    struct results results;
    int has_results;
};

/*
 * The long options of the inputs, shared by check and matrix, with the
 * values getopt_long returns for them.
 */
#define INPUT_LONG_OPTIONS                                                     \
    {"model", required_argument, NULL, 'm'},                                   \
            {"facts", required_argument, NULL, 'f'},                           \
            {"results", required_argument, NULL, 'R'},                         \
            {"policy", required_argument, NULL, 'P'},                          \
    {                                                                          \
        "suppressions", required_argument, NULL, 'S'                           \
    }

/* Takes option c with value arg if it is an input's; 1 if it was. */
int inputs_option(struct input_options *o, int c, const char *arg);

/* Remembers one more --results file. */
void inputs_add_results(struct input_options *o, const char *path);

/*
 * Loads everything o names; root is where git runs for --since.
 * Returns 0, or EXIT_USAGE after printing every error.
 */
int inputs_load(const struct input_options *o, const char *root, int verbose,
                struct inputs *in);

/* Points the analysis at the loaded inputs. */
void inputs_analysis(const struct inputs *in, const char *root,
                     struct analysis_input *ai);

void inputs_release(struct inputs *in);

/* Frees the list inputs_add_results() made. */
void input_options_release(struct input_options *o);

#endif /* MITIGATE_INPUTS_H */
