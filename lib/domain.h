/*
 * domain.h: the vocabulary shared by the model, the facts and the
 * analysis: test kinds, FDA security control categories, STRIDE
 * categories and risk levels, each with its spelling in files.
 *
 * Every *_name() returns a static string; every *_parse() returns -1
 * for a word that is not in the vocabulary.
 */
#ifndef MITIGATE_DOMAIN_H
#define MITIGATE_DOMAIN_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The three kinds of test of IEC 81001-5-1 clause 5.7.2. */
enum test_kind {
    TEST_EFFECTIVENESS, /* a) the mitigation works as designed */
    TEST_THWART,        /* b) attempts to thwart or bypass it fail */
    TEST_SIDE_EFFECT,   /* c) it introduces no new vulnerability */
    TEST_KIND_COUNT
};

/* "effectiveness", "thwart", "side-effect": the model's spelling. */
const char *test_kind_name(enum test_kind kind);
int test_kind_parse(const char *word);
/* "EFFECTIVENESS", "THWART", "SIDE_EFFECT": the annotation's spelling. */
const char *test_kind_macro_name(enum test_kind kind);
int test_kind_parse_macro(const char *word);
/* The words test_kind_parse() accepts, for suggestions. */
extern const char *const test_kind_names[TEST_KIND_COUNT];

/* FDA premarket cybersecurity control categories. */
enum control {
    CONTROL_AUTHENTICATION,
    CONTROL_AUTHORIZATION,
    CONTROL_CRYPTOGRAPHY,
    CONTROL_INTEGRITY,
    CONTROL_CONFIDENTIALITY,
    CONTROL_LOGGING,
    CONTROL_RESILIENCY,
    CONTROL_UPDATABILITY,
    CONTROL_COUNT
};

extern const char *const control_names[CONTROL_COUNT];
int control_parse(const char *word);

/* STRIDE threat categories. */
enum stride {
    STRIDE_SPOOFING,
    STRIDE_TAMPERING,
    STRIDE_REPUDIATION,
    STRIDE_INFORMATION_DISCLOSURE,
    STRIDE_DENIAL_OF_SERVICE,
    STRIDE_ELEVATION_OF_PRIVILEGE,
    STRIDE_COUNT
};

extern const char *const stride_names[STRIDE_COUNT];
int stride_parse(const char *word);

/* Qualitative risk levels; a model may use a CVSS score instead. */
enum risk_level {
    RISK_NONE,
    RISK_LOW,
    RISK_MEDIUM,
    RISK_HIGH,
    RISK_CRITICAL,
    RISK_LEVEL_COUNT
};

extern const char *const risk_level_names[RISK_LEVEL_COUNT];
int risk_level_parse(const char *word);

/*
 * Whether s is a valid ID for a threat, mitigation or test: 1 to 64
 * characters from letters, digits, '-', '_' and '.', starting with a
 * letter or digit.
 */
int id_is_valid(const char *s);

#ifdef __cplusplus
}
#endif

#endif /* MITIGATE_DOMAIN_H */
