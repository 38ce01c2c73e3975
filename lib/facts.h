/*
 * facts.h: what one translation unit says about mitigations.
 *
 * A front end (the Clang plugin, or `mitigate scan` through libclang)
 * builds one struct facts_tu per translation unit with the functions
 * below, then writes it with facts_write(). Both front ends go through
 * the same functions, so for the same source they produce the same
 * facts. The analysis reads every facts file of a build back with
 * facts_load_dir().
 *
 * Functions are named by a key that is the same in every translation
 * unit: the plain name for a function with external linkage, and
 * "file:name" for a static one (see facts_function_key()).
 *
 * A facts_tu owns every string and array it holds; facts_tu_free()
 * releases them. A unit read from a file keeps the strings of its
 * records in one pool, each distinct string once (a glib GStringChunk),
 * which a large build's hundreds of thousands of calls and locations
 * need: see facts_tu_pool_strings(). Adding the same annotation or call twice
 * keeps one: annotations on a declaration and on the definition count once.
 *
 * On disk a unit is one MessagePack document (docs/architecture.md
 * lists every field): a map with the schema version, the front end, the
 * policy hash, the source file and its XXH3-128, a table of the files
 * that locations name, the functions and the malformed annotations.
 * Locations are arrays [file index, line, column, end line, end column];
 * a call is [callee key, file index, line, column, by address] and a
 * match [rule, what, macro or nil, file index, line, column, end line,
 * end column]. The compiler writes one per compile, so the format is
 * chosen for the cost of writing it; `mitigate facts` prints it as JSON.
 */
#ifndef MITIGATE_FACTS_H
#define MITIGATE_FACTS_H

#include <stddef.h>
#include <stdio.h>

#include "domain.h"
#include "util.h"

#ifdef __cplusplus
extern "C" {
#endif

#define FACTS_SCHEMA_VERSION 2
#define FACTS_SUFFIX ".facts"

/* A place in a source file; file is an absolute path. */
struct facts_loc {
    char *file;
    struct mt_pos pos;
};

enum annotation_kind {
    ANNOTATION_MITIGATES,
    ANNOTATION_TEST,
    ANNOTATION_ALLOW,
};

/* "mitigates", "test" or "allow"; and back, -1 for another word. */
const char *annotation_kind_name(enum annotation_kind kind);
int annotation_kind_parse(const char *name);

struct facts_annotation {
    enum annotation_kind kind;
    char *id;                 /* mitigation ID, or rule ID for ALLOW */
    enum test_kind test_kind; /* ANNOTATION_TEST only */
    char *justification;      /* ANNOTATION_ALLOW only */
    struct facts_loc loc;     /* the macro invocation */
};

struct facts_call {
    char *callee; /* function key */
    struct facts_loc loc;
    int by_address; /* the function's address is taken, not called */
};

/* A use of a banned pattern that the policy's matcher found. */
struct facts_match {
    char *rule;  /* rule ID, "MB1001" */
    char *what;  /* the function, macro or variable involved */
    char *macro; /* the macro the use was written through, or NULL */
    struct facts_loc loc;
};

struct facts_function {
    char *key;
    char *name;
    int is_static;
    int defined;          /* this unit holds its body */
    struct facts_loc loc; /* the definition, else the first declaration */
    struct facts_annotation *annotations;
    size_t annotation_count;
    size_t annotation_alloc;
    struct facts_call *calls;
    size_t call_count;
    size_t call_alloc;
    size_t indirect_calls; /* calls through function pointers */
    struct facts_match *matches;
    size_t match_count;
    size_t match_alloc;
};

/* An annotation that could not be read. */
struct facts_malformed {
    char *text;   /* the annotation string as the compiler saw it */
    char *reason; /* what is wrong, lowercase */
    struct facts_loc loc;
};

struct facts_tu {
    char *frontend;       /* "plugin" or "scan" */
    char *clang_version;  /* of the front end's clang */
    char *main_file;      /* absolute path */
    char main_hash[33];   /* XXH3-128 of the main file, 32 hex digits */
    char policy_hash[65]; /* the policy's match_hash when matching ran */
    /* SHA-256 of the compile command a scan parsed the unit with; empty
       for the plugin, which cannot see its compile command. */
    char arguments_sha256[65];
    struct facts_function *functions;
    size_t function_count;
    size_t function_alloc;
    size_t *slots; /* open-addressing index of functions by key */
    size_t slot_count;
    struct facts_malformed *malformed;
    size_t malformed_count;
    size_t malformed_alloc;
    char *path; /* where it was read from; NULL when built in memory */
    /* The pool of the records' strings, or NULL when each is allocated
       on its own. */
    struct _GStringChunk *strings;
};

/* Building, for front ends */

struct facts_tu *facts_tu_new(const char *frontend, const char *clang_version,
                              const char *main_file);
void facts_tu_free(struct facts_tu *tu);

/*
 * Has tu keep the strings of the records added from now on in a pool,
 * each distinct string once, all freed together. Call it on a new unit.
 * Then every string given to the facts_add_ functions below (names,
 * keys, files of locations, rules) must be one facts_tu_string() made
 * for tu, and is kept as given; without a pool they are copied. An
 * annotation's own strings are always taken, as said there.
 */
void facts_tu_pool_strings(struct facts_tu *tu);

/* A copy of s that tu owns (pooled when tu pools its strings). */
char *facts_tu_string(struct facts_tu *tu, const char *s);

/*
 * The key for a function: name, or "file:name" when is_static. The
 * caller frees it.
 */
char *facts_function_key(const char *name, int is_static, const char *file);

/*
 * The function named name, added if new. A static function's key
 * includes key_file, the file that defines it (or, with no definition
 * in sight, the file of its first declaration). A later call with
 * defined set replaces the location with the definition's.
 */
struct facts_function *facts_add_function(struct facts_tu *tu, const char *name,
                                          int is_static, const char *key_file,
                                          int defined,
                                          const struct facts_loc *loc);

/*
 * Reads an annotation string as mitigate.h writes it into an `annotate`
 * attribute ("mitigate:mitigates:M-1", "mitigate:test:THWART:M-1",
 * "mitigate:allow:MB1001:why"). Returns 0 when the string is not
 * mitigate's, 1 when it was read into *out (strings owned by *out, loc
 * left empty), and -1 with *reason set to a static message when it is
 * mitigate's but malformed.
 */
int facts_parse_annotation(const char *text, struct facts_annotation *out,
                           const char **reason);

/*
 * Adds a parsed annotation unless already there. Its strings, allocated
 * on their own, are taken: freed or kept.
 */
void facts_add_annotation(struct facts_tu *tu, struct facts_function *fn,
                          struct facts_annotation *ann,
                          const struct facts_loc *loc);

/* Drops the index of functions by key after they were reordered or
   renamed; the next facts_add_function() rebuilds it. */
void facts_forget_index(struct facts_tu *tu);

/* Adds a call edge unless fn already calls callee. */
void facts_add_call(struct facts_tu *tu, struct facts_function *fn,
                    const char *callee_key, const struct facts_loc *loc,
                    int by_address);

/* Orders matches by file, line, column, rule and what they name. */
int facts_match_cmp(const struct facts_match *a, const struct facts_match *b);

/* Adds a banned-pattern match unless the same one is there. */
void facts_add_match(struct facts_tu *tu, struct facts_function *fn,
                     const char *rule, const char *what, const char *macro,
                     const struct facts_loc *loc);

void facts_add_malformed(struct facts_tu *tu, const char *text,
                         const char *reason, const struct facts_loc *loc);

/* Reading and writing */

/*
 * Writes the facts of tu into dir (created if missing), as one file
 * named after the main file, atomically. Returns 0, or -1 after adding
 * an error. The order of functions, annotations and calls in the file
 * does not depend on the order they were added in.
 */
int facts_write(struct facts_tu *tu, const char *dir, struct mt_errors *errs);

/* The file name facts_write() uses for a main file; caller frees. */
char *facts_file_name(const char *main_file);

/* Reads one facts file; NULL with errors added if it is not valid. */
struct facts_tu *facts_read(const char *path, struct mt_errors *errs);

/*
 * Reads a facts document from memory: the len bytes of text, which path
 * names in errors and in the unit. NULL with errors added if it is not
 * a whole, valid document.
 */
struct facts_tu *facts_parse(const char *path, const char *text, size_t len,
                             struct mt_errors *errs);

/*
 * Writes the facts file at path to out as indented JSON, the same
 * document in a form people and jq can read. Returns 0, or -1 after
 * adding an error.
 */
int facts_dump_json(const char *path, FILE *out, struct mt_errors *errs);

/* All facts files of a build. */
struct facts_set {
    struct facts_tu **units;
    size_t count;
};

/*
 * Reads every *.facts in dir, in name order. Returns -1 with errors
 * added when dir or any file in it cannot be read.
 */
int facts_load_dir(const char *dir, struct facts_set *set,
                   struct mt_errors *errs);
void facts_set_release(struct facts_set *set);

#ifdef __cplusplus
}
#endif

#endif /* MITIGATE_FACTS_H */
