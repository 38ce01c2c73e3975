/* rules.c: the catalog of findings, in one table. */
#include "rules.h"

#include <string.h>

static const char *const level_names[] = {"none", "note", "warning", "error"};

const char *level_name(enum level level)
{
    return level_names[level];
}

int level_parse(const char *word)
{
    for (int i = 0; i < 4; i++)
        if (strcmp(word, level_names[i]) == 0)
            return i;
    return -1;
}

static const struct rule rules[RULE_COUNT] = {
        [RULE_UNKNOWN_MITIGATION] =
                {
                        .id = "MT0001",
                        .name = "UnknownMitigation",
                        .level = LEVEL_ERROR,
                        .short_description = "An annotation names a mitigation "
                                             "that the threat model lacks.",
                        .full_description = "A MITIGATES or MITIGATION_TEST "
                                            "annotation names a mitigation "
                                            "ID that is not in the threat "
                                            "model. The code or the test is "
                                            "then traced to nothing, and the "
                                            "mitigation it was meant for "
                                            "looks unimplemented or untested.",
                        .help = "Correct the ID in the annotation, or add the "
                                "mitigation "
                                "to threats.yaml if it is new.",
                        .security_severity = "5.0",
                        .precision = "very-high",
                },
        [RULE_MITIGATION_NOT_IMPLEMENTED] =
                {
                        .id = "MT0002",
                        .name = "MitigationNotImplemented",
                        .level = LEVEL_ERROR,
                        .short_description = "No function implements a "
                                             "mitigation of the threat model.",
                        .full_description = "No defined function carries "
                                            "MITIGATES for this mitigation, "
                                            "and none of the symbols in its "
                                            "implemented_by list was "
                                            "found in the build. The chain "
                                            "from threat to code is "
                                            "broken.",
                        .help = "Annotate the function that implements the "
                                "mitigation "
                                "with MITIGATES(\"ID\"), or list code that "
                                "cannot be "
                                "annotated under implemented_by in "
                                "threats.yaml.",
                        .security_severity = "8.0",
                        .precision = "high",
                },
        [RULE_MISSING_EFFECTIVENESS_TEST] =
                {
                        .id = "MT0003",
                        .name = "MissingEffectivenessTest",
                        .level = LEVEL_ERROR,
                        .short_description = "A mitigation has no test that it "
                                             "works as designed.",
                        .full_description = "IEC 81001-5-1 clause 5.7.2 a) "
                                            "asks for a test that each "
                                            "mitigation works as designed. No "
                                            "MITIGATION_TEST of kind "
                                            "EFFECTIVENESS, and no test of "
                                            "kind effectiveness in the "
                                            "model, names this mitigation.",
                        .help = "Write a test that shows the mitigation doing "
                                "its job and "
                                "mark it MITIGATION_TEST(\"ID\", "
                                "EFFECTIVENESS).",
                        .security_severity = "7.0",
                        .precision = "very-high",
                },
        [RULE_MISSING_THWART_TEST] =
                {
                        .id = "MT0004",
                        .name = "MissingThwartTest",
                        .level = LEVEL_ERROR,
                        .short_description =
                                "A mitigation has no test that tries to "
                                "thwart or bypass it.",
                        .full_description = "IEC 81001-5-1 clause 5.7.2 b) "
                                            "asks that attempts to thwart "
                                            "or bypass each mitigation are "
                                            "planned and run. No "
                                            "MITIGATION_TEST of kind THWART, "
                                            "and no test of kind thwart "
                                            "in the model, names this "
                                            "mitigation. Reviewers treat a "
                                            "mitigation that was never "
                                            "attacked as a major gap.",
                        .help = "Write a test that attacks the mitigation "
                                "(brute force, "
                                "replay, malformed input, rollback) and mark "
                                "it "
                                "MITIGATION_TEST(\"ID\", THWART), or declare a "
                                "manual test "
                                "such as a penetration test under the "
                                "mitigation's tests "
                                "in threats.yaml.",
                        .security_severity = "7.5",
                        .precision = "very-high",
                },
        [RULE_MISSING_SIDE_EFFECT_CHECK] =
                {
                        .id = "MT0005",
                        .name = "MissingSideEffectCheck",
                        .level = LEVEL_ERROR,
                        .short_description =
                                "A mitigation has no check that it adds no "
                                "new vulnerability.",
                        .full_description = "IEC 81001-5-1 clause 5.7.2 c) "
                                            "asks for a check that each "
                                            "mitigation introduces no new "
                                            "vulnerability. No "
                                            "MITIGATION_TEST of kind "
                                            "SIDE_EFFECT, and no test of kind "
                                            "side-effect in the model, names "
                                            "this mitigation.",
                        .help = "Write a test that the mitigation cannot be "
                                "turned against "
                                "the device (for example a lockout used to "
                                "deny service) "
                                "and mark it MITIGATION_TEST(\"ID\", "
                                "SIDE_EFFECT).",
                        .security_severity = "6.0",
                        .precision = "very-high",
                },
        [RULE_THREAT_NOT_MITIGATED] =
                {
                        .id = "MT0006",
                        .name = "ThreatNotMitigated",
                        .level = LEVEL_ERROR,
                        .short_description =
                                "A threat has neither a mitigation nor a risk "
                                "acceptance.",
                        .full_description = "Every threat in the model must be "
                                            "either mitigated or "
                                            "accepted with a rationale, an "
                                            "owner and a review date. This "
                                            "one has neither, so its risk is "
                                            "not controlled.",
                        .help = "List the mitigations that address the threat "
                                "under "
                                "mitigations, or record a decision under "
                                "accepted with "
                                "rationale, by and until.",
                        .security_severity = "8.5",
                        .precision = "very-high",
                },
        [RULE_ACCEPTANCE_EXPIRED] =
                {
                        .id = "MT0007",
                        .name = "AcceptanceExpired",
                        .level = LEVEL_ERROR,
                        .short_description =
                                "A risk acceptance is past its review date.",
                        .full_description = "The threat's risk was accepted "
                                            "until a date that has passed. "
                                            "An acceptance is a decision with "
                                            "an owner and a review date; "
                                            "after that date it no longer "
                                            "stands as evidence.",
                        .help = "Review the risk with its owner: mitigate the "
                                "threat, or "
                                "renew the acceptance with a new until date "
                                "and rationale.",
                        .security_severity = "5.5",
                        .precision = "very-high",
                },
        [RULE_MALFORMED_ANNOTATION] =
                {
                        .id = "MT0008",
                        .name = "MalformedAnnotation",
                        .level = LEVEL_ERROR,
                        .short_description =
                                "A mitigate annotation cannot be read.",
                        .full_description = "An annotation in the source has "
                                            "the mitigate prefix but not "
                                            "the form mitigate.h writes: an "
                                            "invalid ID, a missing "
                                            "justification, or an annotation "
                                            "on something that is not "
                                            "a function. It is ignored, so "
                                            "whatever it was meant to "
                                            "trace is not traced.",
                        .help = "Use the macros of mitigate.h on function "
                                "declarations: "
                                "MITIGATES(\"ID\"), MITIGATION_TEST(\"ID\", "
                                "KIND), "
                                "MITIGATE_ALLOW(\"RULE\", \"justification\").",
                        .security_severity = "4.0",
                        .precision = "very-high",
                },
};

const struct rule *rule_get(enum rule_id id)
{
    return &rules[id];
}

const struct rule *rule_find(const char *id)
{
    for (size_t i = 0; i < RULE_COUNT; i++)
        if (strcmp(rules[i].id, id) == 0)
            return &rules[i];
    return NULL;
}
