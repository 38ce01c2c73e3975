/*
 * mitigate.h: tie C functions to the mitigations of a threat model.
 *
 * This is the only header that code under analysis includes. Each macro
 * goes in front of a function declaration or definition:
 *
 *   MITIGATES("M-AUTH-1")
 *   int pin_verify(struct session *s, const char *pin);
 *
 *   MITIGATION_TEST("M-AUTH-1", THWART)
 *   void test_pin_lockout_survives_reboot(void);
 *
 *   MITIGATE_ALLOW("MB1001", "length is checked against dst_size above")
 *   static void copy_name(char *dst, size_t dst_size, const char *src);
 *
 * Under clang each macro becomes an `annotate` attribute that the
 * mitigate plugin and `mitigate scan` read. Under any other compiler
 * the macros expand to nothing, so the same sources build with GCC or a
 * vendor compiler. The test kind is checked by the preprocessor under
 * every compiler: a misspelt kind leaves an undeclared identifier
 * named after it, which is a compile error everywhere (clang names the
 * identifier; GCC reports a syntax error at the declaration).
 *
 * The macros expand only to attributes. Under clang an annotated
 * function is recorded in the module's annotation table, which keeps it
 * in the object even where every call to it was inlined; building with
 * or without the plugin gives the same object.
 */
#ifndef MITIGATE_H
#define MITIGATE_H

#define MITIGATE_H_VERSION 1

/* The three kinds of test that IEC 81001-5-1 clause 5.7.2 asks for. */
#define MITIGATE_KIND_EFFECTIVENESS_
#define MITIGATE_KIND_THWART_
#define MITIGATE_KIND_SIDE_EFFECT_

/*
 * Expands to nothing for a valid kind; otherwise leaves the identifier
 * MITIGATE_KIND_<kind>_ in front of the declaration, which no compiler
 * accepts.
 */
#define MITIGATE_CHECK_KIND_(kind) MITIGATE_KIND_##kind##_

#if defined(__clang__) && !defined(MITIGATE_DISABLE)
#define MITIGATE_ANNOTATE_(text) __attribute__((annotate(text)))
#define MITIGATES(id) MITIGATE_ANNOTATE_("mitigate:mitigates:" id)
#define MITIGATION_TEST(id, kind)                                              \
    MITIGATE_CHECK_KIND_(kind)                                                 \
    MITIGATE_ANNOTATE_("mitigate:test:" #kind ":" id)
#define MITIGATE_ALLOW(rule, justification)                                    \
    MITIGATE_ANNOTATE_("mitigate:allow:" rule ":" justification)
#else
#define MITIGATES(id)
#define MITIGATION_TEST(id, kind) MITIGATE_CHECK_KIND_(kind)
#define MITIGATE_ALLOW(rule, justification)
#endif

#endif /* MITIGATE_H */
