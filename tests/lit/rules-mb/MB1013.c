// MB1013 (WeakCryptography) holds mitigation code to algorithms and
// modes that still protect: each pattern of the rule warns in a function
// that carries MITIGATES, for OpenSSL (MD4*, MD5*, SHA1, SHA1_*, RC4*,
// DES_*, EVP_md4, EVP_md5*, EVP_sha1, EVP_des_*, EVP_rc4*), for any ECB
// API (*_ecb, *_ecb_*) and for mbedTLS (mbedtls_md4*, mbedtls_md5*,
// mbedtls_sha1*, mbedtls_des*, mbedtls_arc4*), called directly, through
// a macro (named at the expansion) or with its address taken. SHA-256,
// AES-GCM, AES-CBC and ChaCha20-Poly1305 stay quiet, and so do names
// that only resemble a pattern; the same calls outside mitigation code
// are left to `mitigate check`, and MITIGATE_ALLOW("MB1013", ...)
// silences the rule. -verify fails on any diagnostic not expected below.
//
// RUN: cd %S && %clang_plugin -fplugin-arg-mitigate-model=Inputs/threats.yaml \
// RUN:   -Xclang -verify -fsyntax-only %s

#include <stddef.h>

#include <mitigate.h>

/* OpenSSL, declared as its headers would (arguments simplified). */
int MD4_Init(void *c);
int MD5_Init(void *c);
unsigned char *MD5(const unsigned char *d, size_t n, unsigned char *md);
unsigned char *SHA1(const unsigned char *d, size_t n, unsigned char *md);
int SHA1_Init(void *c);
int SHA1_Update(void *c, const void *data, size_t len);
void RC4(void *key, size_t len, const unsigned char *in, unsigned char *out);
void RC4_set_key(void *key, int len, const unsigned char *data);
void DES_set_key_unchecked(const void *key, void *schedule);
void DES_ecb_encrypt(const void *in, void *out, void *ks, int enc);
void AES_ecb_encrypt(const unsigned char *in, unsigned char *out,
                     const void *key, int enc);
const void *EVP_md4(void);
const void *EVP_md5(void);
const void *EVP_md5_sha1(void);
const void *EVP_sha1(void);
const void *EVP_des_ede3_cbc(void);
const void *EVP_des_cbc(void);
const void *EVP_rc4(void);
const void *EVP_rc4_40(void);
const void *EVP_aes_128_ecb(void);
/* Strong OpenSSL choices. */
unsigned char *SHA256(const unsigned char *d, size_t n, unsigned char *md);
int SHA256_Init(void *c);
const void *EVP_sha256(void);
const void *EVP_sha512(void);
const void *EVP_aes_256_gcm(void);
const void *EVP_aes_128_cbc(void);
const void *EVP_chacha20_poly1305(void);
int EVP_DigestInit_ex(void *ctx, const void *type, void *impl);

/* mbedTLS, declared as its headers would (arguments simplified). */
void mbedtls_md4_init(void *ctx);
int mbedtls_md5(const unsigned char *in, size_t n, unsigned char out[16]);
int mbedtls_md5_starts(void *ctx);
int mbedtls_sha1(const unsigned char *in, size_t n, unsigned char out[20]);
int mbedtls_sha1_update(void *ctx, const unsigned char *in, size_t n);
int mbedtls_des_setkey_enc(void *ctx, const unsigned char key[8]);
int mbedtls_des3_crypt_cbc(void *ctx, int mode, size_t n, unsigned char iv[8],
                           const unsigned char *in, unsigned char *out);
void mbedtls_arc4_setup(void *ctx, const unsigned char *key, unsigned len);
int mbedtls_aes_crypt_ecb(void *ctx, int mode, const unsigned char in[16],
                          unsigned char out[16]);
/* Strong mbedTLS choices. */
int mbedtls_sha256(const unsigned char *in, size_t n, unsigned char out[32],
                   int is224);
int mbedtls_aes_crypt_cbc(void *ctx, int mode, size_t n, unsigned char iv[16],
                          const unsigned char *in, unsigned char *out);
int mbedtls_gcm_crypt_and_tag(void *ctx, int mode, size_t n,
                              const unsigned char *iv, size_t iv_len,
                              const unsigned char *add, size_t add_len,
                              const unsigned char *in, unsigned char *out,
                              size_t tag_len, unsigned char *tag);

/* Names that resemble a pattern without matching it. */
int SHA1024_unrelated(void);
int describe_des(void);
int ecb_count(void);
int pump_ecbx_state(void);
int md5sum_label(void);

#define DIGEST(d, n, md) MD5(d, n, md)

/* Fires: one name per OpenSSL pattern, a macro, an address. */
MITIGATES("M-CRYPTO")
void crypto_seal_openssl(void *c, void *k, const unsigned char *in,
                         unsigned char *out, size_t n)
{
    MD4_Init(c); // expected-warning {{call to MD4_Init in mitigation M-CRYPTO code [MB1013]}}
    MD5_Init(c); // expected-warning {{call to MD5_Init in mitigation M-CRYPTO code [MB1013]}}
    MD5(in, n, out); // expected-warning {{call to MD5 in mitigation M-CRYPTO code [MB1013]}}
    SHA1(in, n, out); // expected-warning {{call to SHA1 in mitigation M-CRYPTO code [MB1013]}}
    SHA1_Init(c); // expected-warning {{call to SHA1_Init in mitigation M-CRYPTO code [MB1013]}}
    SHA1_Update(c, in, n); // expected-warning {{call to SHA1_Update in mitigation M-CRYPTO code [MB1013]}}
    RC4(k, n, in, out); // expected-warning {{call to RC4 in mitigation M-CRYPTO code [MB1013]}}
    RC4_set_key(k, 16, in); // expected-warning {{call to RC4_set_key in mitigation M-CRYPTO code [MB1013]}}
    DES_set_key_unchecked(in, k); // expected-warning {{call to DES_set_key_unchecked in mitigation M-CRYPTO code [MB1013]}}
    DES_ecb_encrypt(in, out, k, 1); // expected-warning {{call to DES_ecb_encrypt in mitigation M-CRYPTO code [MB1013]}}
    AES_ecb_encrypt(in, out, k, 1); // expected-warning {{call to AES_ecb_encrypt in mitigation M-CRYPTO code [MB1013]}}
    EVP_DigestInit_ex(c, EVP_md4(), NULL); // expected-warning {{call to EVP_md4 in mitigation M-CRYPTO code [MB1013]}}
    EVP_DigestInit_ex(c, EVP_md5(), NULL); // expected-warning {{call to EVP_md5 in mitigation M-CRYPTO code [MB1013]}}
    EVP_DigestInit_ex(c, EVP_md5_sha1(), NULL); // expected-warning {{call to EVP_md5_sha1 in mitigation M-CRYPTO code [MB1013]}}
    EVP_DigestInit_ex(c, EVP_sha1(), NULL); // expected-warning {{call to EVP_sha1 in mitigation M-CRYPTO code [MB1013]}}
    (void)EVP_des_ede3_cbc(); // expected-warning {{call to EVP_des_ede3_cbc in mitigation M-CRYPTO code [MB1013]}}
    (void)EVP_des_cbc(); // expected-warning {{call to EVP_des_cbc in mitigation M-CRYPTO code [MB1013]}}
    (void)EVP_rc4(); // expected-warning {{call to EVP_rc4 in mitigation M-CRYPTO code [MB1013]}}
    (void)EVP_rc4_40(); // expected-warning {{call to EVP_rc4_40 in mitigation M-CRYPTO code [MB1013]}}
    (void)EVP_aes_128_ecb(); // expected-warning {{call to EVP_aes_128_ecb in mitigation M-CRYPTO code [MB1013]}}
    DIGEST(in, n, out); // expected-warning {{call to MD5 (through macro DIGEST) in mitigation M-CRYPTO code [MB1013]}}
    const void *(*cipher)(void) = EVP_des_ede3_cbc; // expected-warning {{address of EVP_des_ede3_cbc taken in mitigation M-CRYPTO code [MB1013]}}
    (void)cipher;
}

/* Fires: one name per mbedTLS pattern. */
MITIGATES("M-CRYPTO")
void crypto_seal_mbedtls(void *ctx, const unsigned char *in,
                         unsigned char *out, size_t n, unsigned char *iv)
{
    mbedtls_md4_init(ctx); // expected-warning {{call to mbedtls_md4_init in mitigation M-CRYPTO code [MB1013]}}
    mbedtls_md5(in, n, out); // expected-warning {{call to mbedtls_md5 in mitigation M-CRYPTO code [MB1013]}}
    mbedtls_md5_starts(ctx); // expected-warning {{call to mbedtls_md5_starts in mitigation M-CRYPTO code [MB1013]}}
    mbedtls_sha1(in, n, out); // expected-warning {{call to mbedtls_sha1 in mitigation M-CRYPTO code [MB1013]}}
    mbedtls_sha1_update(ctx, in, n); // expected-warning {{call to mbedtls_sha1_update in mitigation M-CRYPTO code [MB1013]}}
    mbedtls_des_setkey_enc(ctx, in); // expected-warning {{call to mbedtls_des_setkey_enc in mitigation M-CRYPTO code [MB1013]}}
    mbedtls_des3_crypt_cbc(ctx, 1, n, iv, in, out); // expected-warning {{call to mbedtls_des3_crypt_cbc in mitigation M-CRYPTO code [MB1013]}}
    mbedtls_arc4_setup(ctx, in, 16); // expected-warning {{call to mbedtls_arc4_setup in mitigation M-CRYPTO code [MB1013]}}
    mbedtls_aes_crypt_ecb(ctx, 1, in, out); // expected-warning {{call to mbedtls_aes_crypt_ecb in mitigation M-CRYPTO code [MB1013]}}
    int (*block)(void *, int, const unsigned char *, unsigned char *) = mbedtls_aes_crypt_ecb; // expected-warning {{address of mbedtls_aes_crypt_ecb taken in mitigation M-CRYPTO code [MB1013]}}
    (void)block;
}

/* Must not fire: strong algorithms and modes, and look-alike names. */
MITIGATES("M-CRYPTO")
int crypto_seal_strong(void *c, void *ctx, const unsigned char *in,
                       unsigned char *out, size_t n, unsigned char *iv,
                       unsigned char *tag)
{
    SHA256(in, n, out);
    SHA256_Init(c);
    EVP_DigestInit_ex(c, EVP_sha256(), NULL);
    EVP_DigestInit_ex(c, EVP_sha512(), NULL);
    (void)EVP_aes_256_gcm();
    (void)EVP_aes_128_cbc();
    (void)EVP_chacha20_poly1305();
    mbedtls_sha256(in, n, out, 0);
    mbedtls_aes_crypt_cbc(ctx, 1, n, iv, in, out);
    return mbedtls_gcm_crypt_and_tag(ctx, 1, n, iv, 12, NULL, 0, in, out, 16,
                                     tag) +
           SHA1024_unrelated() + describe_des() + ecb_count() +
           pump_ecbx_state() + md5sum_label();
}

/* Must not fire: the same calls outside mitigation code. */
void helper_checksum(void *c, void *ctx, const unsigned char *in,
                     unsigned char *out, size_t n)
{
    MD5(in, n, out);
    SHA1(in, n, out);
    (void)EVP_des_ede3_cbc();
    mbedtls_aes_crypt_ecb(ctx, 1, in, out);
    mbedtls_md5_starts(ctx);
    DIGEST(in, n, out);
    (void)c;
}

/* Must not fire: allowed with a reason. */
MITIGATES("M-LOG")
MITIGATE_ALLOW("MB1013", "MD5 names log records for deduplication only")
void log_record_id_allowed(void *ctx, const unsigned char *in,
                           unsigned char *out, size_t n)
{
    MD5(in, n, out);
    SHA1(in, n, out);
    (void)EVP_des_ede3_cbc();
    mbedtls_aes_crypt_ecb(ctx, 1, in, out);
    DIGEST(in, n, out);
}
