// MB1019 (EnvironmentInput) holds mitigation code to taking its
// settings from protected configuration, not from the environment of
// whoever starts the process: getenv and secure_getenv are reported as
// remarks (the rule's level is note) in a function that carries
// MITIGATES, called directly, through a macro (named at the expansion)
// or with their address taken. Reading configuration stays quiet, and
// so do names that merely contain getenv; the same calls outside
// mitigation code are left to `mitigate check`, and
// MITIGATE_ALLOW("MB1019", ...) silences the rule. -verify fails on any
// diagnostic not expected below.
//
// RUN: cd %S && %clang_plugin -fplugin-arg-mitigate-model=Inputs/threats.yaml \
// RUN:   -Xclang -verify -fsyntax-only %s
//
// A policy that scopes MB1019 to changed lines takes mitigation code out
// of its scope: the plugin then stays quiet, as `mitigate check` does.
// RUN: cd %S && %clang_plugin -fplugin-arg-mitigate-model=Inputs/threats.yaml \
// RUN:   -fplugin-arg-mitigate-policy=Inputs/mb1019-changed-only.yaml \
// RUN:   -Xclang -verify=scoped -fsyntax-only %s
// scoped-no-diagnostics

#define _GNU_SOURCE
#include <stdlib.h>

#include <mitigate.h>

/* The device's protected configuration store. */
const char *config_get(const char *key);
const char *config_getenv_compat(const char *key);

#define SETTING(name) getenv(name)

/* Fires: each listed function, a macro, an address. */
MITIGATES("M-AUTH")
int auth_lockout_limit(void)
{
    const char *limit = getenv("PUMP_LOCKOUT"); // expected-remark {{call to getenv in mitigation M-AUTH code [MB1019]}}
    const char *debug = secure_getenv("PUMP_DEBUG"); // expected-remark {{call to secure_getenv in mitigation M-AUTH code [MB1019]}}
    const char *mode = SETTING("PUMP_MODE"); // expected-remark {{call to getenv (through macro SETTING) in mitigation M-AUTH code [MB1019]}}
    char *(*env)(const char *) = getenv; // expected-remark {{address of getenv taken in mitigation M-AUTH code [MB1019]}}
    return (limit != 0) + (debug != 0) + (mode != 0) + (env != 0);
}

/* Must not fire: protected configuration. */
MITIGATES("M-AUTH")
int auth_lockout_limit_configured(void)
{
    const char *limit = config_get("lockout.limit");

    return (limit != 0) + (config_getenv_compat("lockout.limit") != 0);
}

/* Must not fire: the same calls outside mitigation code. */
int helper_locale(void)
{
    return (getenv("LANG") != 0) + (secure_getenv("TZ") != 0) +
           (SETTING("HOME") != 0);
}

/* Must not fire: allowed with a reason. */
MITIGATES("M-AUTH")
MITIGATE_ALLOW("MB1019", "service-tool build only; the variable is ignored in release")
int auth_lockout_limit_allowed(void)
{
    return (getenv("PUMP_LOCKOUT") != 0) + (secure_getenv("PUMP_DEBUG") != 0) +
           (SETTING("PUMP_MODE") != 0);
}
