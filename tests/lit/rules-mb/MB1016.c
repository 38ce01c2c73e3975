// MB1016 (NonConstantTimeCompare) holds authentication and cryptography
// mitigations to comparing secrets in constant time: memcmp, strcmp,
// strncmp and bcmp warn when either of the first two arguments is named
// like a secret (a password, passphrase, PIN, secret, credential, key,
// token, MAC, HMAC, digest or signature, in snake_case or camelCase, as
// a variable, a field or an element), also through a macro (named at
// the expansion). It is a heuristic, so look-alikes must stay quiet:
// names where the secret word is followed by one that makes it a label,
// a length or an id (password_hint, key_len, key_id, pin_prompt,
// token_type), names that only contain the word (spinlock, keyboard,
// monkey, tokenizer, username), and a secret compared with the empty
// string, which reveals nothing however long it takes. The rule needs
// the model to know a mitigation's control: it stays quiet in a logging
// mitigation, and without model= altogether. Outside mitigation code it
// is left to `mitigate check`, and MITIGATE_ALLOW("MB1016", ...)
// silences it. A secret compared with a non-empty literal is also
// MB1017. -verify fails on any diagnostic not expected below: the
// `model-` expectations hold only in the run with the model.
//
// RUN: cd %S && %clang_plugin -fplugin-arg-mitigate-model=Inputs/threats.yaml \
// RUN:   -Xclang -verify=expected,model -fsyntax-only %s
// RUN: cd %S && %clang_plugin -Xclang -verify -fsyntax-only %s

#include <stddef.h>
#include <string.h>
#include <strings.h>

#include <mitigate.h>

struct session {
    unsigned char key[16];
    char pin[8];
    const char *token;
    unsigned char mac[32];
};

#define SAME_KEY(a, b) (memcmp(a, b, 16) == 0)

/* Fires: each comparison function, each way of naming a secret. */
MITIGATES("M-AUTH")
int auth_verify(struct session *s, const char *password, const char *stored,
                const char *pin, const unsigned char *key,
                const unsigned char *expected, const char *apiKey,
                const char *sessionToken, const char *passwd, const char *pwd)
{
    int r = 0;

    r |= strcmp(password, stored); // model-warning {{strcmp(password) on a secret, not in constant time in mitigation M-AUTH code [MB1016]}}
    r |= strncmp(pin, stored, 4); // model-warning {{strncmp(pin) on a secret, not in constant time in mitigation M-AUTH code [MB1016]}}
    r |= memcmp(key, expected, 16); // model-warning {{memcmp(key) on a secret, not in constant time in mitigation M-AUTH code [MB1016]}}
    r |= bcmp(key, expected, 16); // model-warning {{bcmp(key) on a secret, not in constant time in mitigation M-AUTH code [MB1016]}}
    r |= memcmp(expected, s->key, 16); // model-warning {{memcmp(key) on a secret, not in constant time in mitigation M-AUTH code [MB1016]}}
    r |= memcmp(&s->key[0], expected, 16); // model-warning {{memcmp(key) on a secret, not in constant time in mitigation M-AUTH code [MB1016]}}
    r |= strcmp(s->pin, stored); // model-warning {{strcmp(pin) on a secret, not in constant time in mitigation M-AUTH code [MB1016]}}
    r |= strcmp(s->token, stored); // model-warning {{strcmp(token) on a secret, not in constant time in mitigation M-AUTH code [MB1016]}}
    r |= strcmp(apiKey, stored); // model-warning {{strcmp(apiKey) on a secret, not in constant time in mitigation M-AUTH code [MB1016]}}
    r |= strcmp(sessionToken, stored); // model-warning {{strcmp(sessionToken) on a secret, not in constant time in mitigation M-AUTH code [MB1016]}}
    r |= strcmp(passwd, stored); // model-warning {{strcmp(passwd) on a secret, not in constant time in mitigation M-AUTH code [MB1016]}}
    r |= strcmp(stored, pwd); // model-warning {{strcmp(pwd) on a secret, not in constant time in mitigation M-AUTH code [MB1016]}}
    r |= SAME_KEY(s->key, expected); // model-warning {{memcmp(key) on a secret, not in constant time (through macro SAME_KEY) in mitigation M-AUTH code [MB1016]}}
    r |= strcmp(pin, "1234"); // model-warning {{strcmp(pin) on a secret, not in constant time in mitigation M-AUTH code [MB1016]}} expected-warning {{string literal used as secret 'pin' in mitigation M-AUTH code [MB1017]}}
    return r;
}

/* Fires: a cryptography mitigation, with its own secret words. */
MITIGATES("M-CRYPTO")
int crypto_verify(const unsigned char *digest, const unsigned char *signature,
                  const unsigned char *hmac, const unsigned char *computed,
                  const char *passphrase, const char *secret,
                  const char *credential, const unsigned char *privkey,
                  struct session *s)
{
    int r = 0;

    r |= memcmp(digest, computed, 32); // model-warning {{memcmp(digest) on a secret, not in constant time in mitigation M-CRYPTO code [MB1016]}}
    r |= memcmp(computed, signature, 64); // model-warning {{memcmp(signature) on a secret, not in constant time in mitigation M-CRYPTO code [MB1016]}}
    r |= memcmp(hmac, computed, 32); // model-warning {{memcmp(hmac) on a secret, not in constant time in mitigation M-CRYPTO code [MB1016]}}
    r |= memcmp(s->mac, computed, 32); // model-warning {{memcmp(mac) on a secret, not in constant time in mitigation M-CRYPTO code [MB1016]}}
    r |= strcmp(passphrase, (const char *)computed); // model-warning {{strcmp(passphrase) on a secret, not in constant time in mitigation M-CRYPTO code [MB1016]}}
    r |= strcmp(secret, (const char *)computed); // model-warning {{strcmp(secret) on a secret, not in constant time in mitigation M-CRYPTO code [MB1016]}}
    r |= strcmp(credential, (const char *)computed); // model-warning {{strcmp(credential) on a secret, not in constant time in mitigation M-CRYPTO code [MB1016]}}
    r |= memcmp(privkey, computed, 32); // model-warning {{memcmp(privkey) on a secret, not in constant time in mitigation M-CRYPTO code [MB1016]}}
    return r;
}

/* Fires: one authentication mitigation among others is enough. */
MITIGATES("M-LOG")
MITIGATES("M-AUTH")
int log_and_auth_verify(const char *password, const char *stored)
{
    return strcmp(password, stored); // model-warning {{strcmp(password) on a secret, not in constant time in mitigation M-LOG, M-AUTH code [MB1016]}}
}

/* Must not fire: look-alike names in an authentication mitigation. */
MITIGATES("M-AUTH")
int auth_verify_look_alikes(const unsigned char *header,
                            const unsigned char *magic, const char *username,
                            const char *password_hint, size_t key_len,
                            const char *key_id, const char *pin_prompt,
                            const char *token_type, int spinlock,
                            const char *keyboard, const char *monkey,
                            const char *tokenizer, const char *password)
{
    int r = 0;
    int held = 0;
    size_t n = 16;

    r |= memcmp(header, magic, 4);
    r |= strcmp(username, "admin");
    r |= strcmp(password_hint, username);
    r |= memcmp(&key_len, &n, sizeof(n));
    r |= strncmp(key_id, "slot-", 5);
    r |= strcmp(pin_prompt, "Enter PIN");
    r |= strcmp(token_type, "bearer");
    r |= memcmp(&spinlock, &held, sizeof(held));
    r |= strcmp(keyboard, "de-CH");
    r |= strcmp(monkey, "banana");
    r |= strcmp(tokenizer, "lexer");
    r |= strcmp(password, "");
    r |= strcmp("", password);
    return r;
}

/* Must not fire: a logging mitigation compares no secrets in scope. */
MITIGATES("M-LOG")
int log_verify(const char *password, const char *stored,
               const unsigned char *mac, const unsigned char *expected)
{
    return strcmp(password, stored) + memcmp(mac, expected, 32) +
           SAME_KEY(mac, expected);
}

/* Must not fire: the same comparisons outside mitigation code. */
int helper_verify(const char *password, const char *stored,
                  const unsigned char *key, const unsigned char *expected)
{
    return strcmp(password, stored) + memcmp(key, expected, 16) +
           SAME_KEY(key, expected);
}

/* Must not fire: allowed with a reason. */
MITIGATES("M-AUTH")
MITIGATE_ALLOW("MB1016", "compares salted hashes: timing reveals nothing")
int auth_verify_allowed(const char *password, const char *stored,
                        const unsigned char *key,
                        const unsigned char *expected)
{
    return strcmp(password, stored) + memcmp(key, expected, 16) +
           SAME_KEY(key, expected);
}
