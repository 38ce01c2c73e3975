// MB1017 (HardCodedSecret) holds mitigation code to keeping secrets out
// of the source: a non-empty string literal warns, in a function that
// carries MITIGATES whatever its control, when it initialises a local
// named like a secret, is assigned to a variable or field named like
// one, or is compared with one (strcmp(pin, "1234") is also MB1016 in
// an authentication mitigation); and each use, in such a function, of a
// global secret that a literal initialises warns at the use. It is a
// heuristic, so look-alikes stay quiet: labels, prompts, lengths and ids
// (pin_prompt, password_hint, key_len, key_id), names that only contain
// a secret word (keyboard, monkey, tokenizer, spinlock, username), the
// empty literal, and a NULL or computed value. Outside mitigation code
// it is left to `mitigate check`, and MITIGATE_ALLOW("MB1017", ...)
// silences it. It needs no model, and it does not depend on MB1016
// being enabled. -verify fails on any diagnostic not expected below: the
// `model-` expectations hold only in the run with the model.
//
// RUN: cd %S && %clang_plugin -fplugin-arg-mitigate-model=Inputs/threats.yaml \
// RUN:   -Xclang -verify=expected,model -fsyntax-only %s
// RUN: cd %S && %clang_plugin -Xclang -verify -fsyntax-only %s
// RUN: cd %S && %clang_plugin -fplugin-arg-mitigate-model=Inputs/threats.yaml \
// RUN:   -fplugin-arg-mitigate-policy=Inputs/no-mb1016.yaml \
// RUN:   -Xclang -verify -fsyntax-only %s

#include <stddef.h>
#include <string.h>

#include <mitigate.h>

struct config {
    const char *api_key;
    const char *device_token;
    const char *user;
    const char *key_path;
};

static const char master_secret[] = "s3cr3t";
static const char *const service_pin = "0000";
static const char banner_label[] = "Welcome";
static const char empty_secret[] = "";

int unlock(const char *secret);

/* Fires: literal initialisers, assignments and comparisons. */
MITIGATES("M-AUTH")
int auth_login(struct config *cfg, const char *pin, const char *input)
{
    const char *admin_password = "hunter2"; // expected-warning {{string literal used as secret 'admin_password' in mitigation M-AUTH code [MB1017]}}
    char pin_code[] = "0000"; // expected-warning {{string literal used as secret 'pin_code' in mitigation M-AUTH code [MB1017]}}
    const char *apiKey = "k-123"; // expected-warning {{string literal used as secret 'apiKey' in mitigation M-AUTH code [MB1017]}}
    const char *secret;
    int r = 0;

    cfg->api_key = "abc"; // expected-warning {{string literal used as secret 'api_key' in mitigation M-AUTH code [MB1017]}}
    cfg->device_token = "t0k3n"; // expected-warning {{string literal used as secret 'device_token' in mitigation M-AUTH code [MB1017]}}
    secret = "letmein"; // expected-warning {{string literal used as secret 'secret' in mitigation M-AUTH code [MB1017]}}
    r |= strcmp(pin, "1234"); // expected-warning {{string literal used as secret 'pin' in mitigation M-AUTH code [MB1017]}} model-warning {{strcmp(pin) on a secret, not in constant time in mitigation M-AUTH code [MB1016]}}
    r |= strncmp("9999", pin, 4); // expected-warning {{string literal used as secret 'pin' in mitigation M-AUTH code [MB1017]}} model-warning {{strncmp(pin) on a secret, not in constant time in mitigation M-AUTH code [MB1016]}}
    r |= unlock(master_secret); // expected-warning {{string literal used as secret 'master_secret' in mitigation M-AUTH code [MB1017]}}
    r |= unlock(service_pin); // expected-warning {{string literal used as secret 'service_pin' in mitigation M-AUTH code [MB1017]}}
    return r + unlock(admin_password) + unlock(pin_code) + unlock(apiKey) +
           unlock(secret) + (input != 0);
}

/* Fires: in a logging mitigation too, where MB1016 does not apply. */
MITIGATES("M-LOG")
int log_login(const char *pin)
{
    const char *admin_password = "hunter2"; // expected-warning {{string literal used as secret 'admin_password' in mitigation M-LOG code [MB1017]}}

    return strcmp(pin, "1234") + unlock(admin_password) + unlock(master_secret); // expected-warning {{string literal used as secret 'pin' in mitigation M-LOG code [MB1017]}} expected-warning {{string literal used as secret 'master_secret' in mitigation M-LOG code [MB1017]}}
}

/* Must not fire: look-alike names, empty and computed values. */
MITIGATES("M-AUTH")
int auth_login_look_alikes(struct config *cfg, const char *username,
                           const char *input)
{
    const char *pin_prompt = "Enter PIN";
    const char *password_hint = "first pet";
    const char *key_id = "slot-1";
    const char *token_type = "bearer";
    const char *keyboard = "qwerty";
    const char *monkey = "banana";
    const char *tokenizer = " \t";
    const char *spinlock = "boot";
    const char *password = "";
    const char *passphrase = NULL;
    const char *secret = input;
    size_t key_len = sizeof("0000");
    int r = 0;

    cfg->user = "admin";
    cfg->key_path = "/etc/pump/key.pem";
    cfg->api_key = "";
    password = input;
    r |= strcmp(username, "admin");
    r |= strcmp(input, "");
    r |= unlock(banner_label);
    r |= unlock(empty_secret);
    return r + unlock(pin_prompt) + unlock(password_hint) + unlock(key_id) +
           unlock(token_type) + unlock(keyboard) + unlock(monkey) +
           unlock(tokenizer) + unlock(spinlock) + unlock(password) +
           unlock(passphrase) + unlock(secret) + (int)key_len;
}

/* Must not fire: the same code outside mitigation code. */
int helper_login(struct config *cfg, const char *pin)
{
    const char *admin_password = "hunter2";

    cfg->api_key = "abc";
    return strcmp(pin, "1234") + unlock(admin_password) +
           unlock(master_secret);
}

/* Must not fire: allowed with a reason (MB1016 is a rule of its own). */
MITIGATES("M-AUTH")
MITIGATE_ALLOW("MB1017", "factory test fixture, absent from release builds")
int auth_login_allowed(struct config *cfg, const char *pin)
{
    const char *admin_password = "hunter2";

    cfg->api_key = "abc";
    return strcmp(pin, "1234") + unlock(admin_password) + // model-warning {{strcmp(pin) on a secret, not in constant time in mitigation M-AUTH code [MB1016]}}
           unlock(master_secret);
}
