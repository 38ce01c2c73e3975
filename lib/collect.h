/*
 * collect.h: the facts of one translation unit, from what a front end
 * sees in it.
 *
 * The Clang plugin walks clang's AST; `mitigate scan` walks libclang's
 * cursors. Both describe what they meet in the same plain terms (a
 * function and its scopes, a use of a function or a variable, a call,
 * a local variable, an assignment, a statement a macro produced), and
 * the functions here decide what it means: the function's key, what is
 * a call edge, which policy rule a use matches, which macro it was
 * written through, and the position the facts record. So one source
 * gives the same facts whichever front end read it.
 *
 * A front end passes the things it meets as opaque sites (its own
 * pointers) and answers questions about them through struct
 * collect_ops, only when the answer is needed: a position is worked
 * out only for what is recorded.
 *
 * Memory: a collector borrows the policy, the facts_tu and the front
 * end for its whole life; strings passed in are copied when kept.
 * Strings a front end returns through collect_ops belong to the front
 * end.
 */
#ifndef MITIGATE_COLLECT_H
#define MITIGATE_COLLECT_H

#include <stddef.h>

#include "facts.h"
#include "policy.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A place in a file: the front end's handle of the file, and where. */
struct collect_point {
    const void *file; /* NULL when the place is in no file */
    unsigned offset;  /* bytes from the start of the file */
    unsigned line;    /* 0 until collect_ops.position has filled it */
    unsigned column;
};

/* Where the first token of a site comes from, without lexing. */
struct collect_origin {
    /* The start of the outermost macro use the token came from. */
    struct collect_point expansion;
    /*
     * Where the token was written in a source file: a macro argument is
     * followed to where the argument was written, a token of a macro's
     * body to where that macro was used.
     */
    struct collect_point written;
    /*
     * 1 when the token is known to come from the definition of the macro
     * used at written; 0 when that is unknown (collect_ops.spelled then
     * tells).
     */
    int from_macro;
};

/* What a call argument is, after parentheses and implicit conversions. */
struct collect_arg {
    const char *name;      /* the variable or field it names, else NULL */
    long literal_length;   /* a string literal's length, else -1 */
    const char *narrow;    /* a narrow string literal's text, else NULL */
    int is_literal_format; /* a literal, __func__, or a choice of them */
    int is_bounded_size;   /* an integer constant, or a sizeof */
};

struct collect_ops {
    /* The facts position of a site: file, first and end positions. */
    void (*locate)(void *fe, const void *site, struct facts_loc *loc);
    /* Where a site's first token comes from. */
    void (*origin)(void *fe, const void *site, struct collect_origin *o);
    /* Where the characters of a site's first token are (a macro's
       definition, or where it was written), with its line. May have to
       lex. */
    void (*spelled)(void *fe, const void *site, struct collect_point *at);
    /* Fills in the line and column of a point from its file and offset. */
    void (*position)(void *fe, struct collect_point *at);
    /* The absolute path of a file handle. */
    const char *(*path)(void *fe, const void *file);
    /* The contents of a file handle; *len is set to their size. */
    const char *(*contents)(void *fe, const void *file, size_t *len);
    /* Argument i of a call site. */
    void (*argument)(void *fe, const void *call, unsigned i,
                     struct collect_arg *arg);
    /*
     * Told of each match recorded, with its description; NULL when the
     * front end reports nothing itself.
     */
    void (*matched)(void *fe, size_t fn, int rule, const char *description,
                    const void *site);
};

/* A function declaration or definition, as a front end sees it. */
struct collect_function {
    const char *const *scopes; /* enclosing names, outermost first */
    size_t scope_count;
    const char *name;     /* its own name: "pin_verify", "operator+" */
    int internal;         /* not visible outside the unit */
    const char *key_file; /* the file that defines it, or declares it
                             first */
    int defined;          /* this declaration has the body */
    int annotated;        /* this declaration carries mitigate annotations */
    int in_system_header;
    const void *site; /* the declaration, located at its name */
};

/* The scope name of an anonymous namespace, struct, class or union. */
#define COLLECT_ANONYMOUS "(anonymous)"

struct collector;

struct collector *collector_new(const struct policy *policy,
                                struct facts_tu *tu,
                                const struct collect_ops *ops, void *fe);
void collector_free(struct collector *c);

/*
 * The qualified name of a function: its scopes and name joined with
 * "::". Template arguments are never part of it, so every instantiation
 * of a template is one function. The caller frees it.
 */
char *collect_function_name(const struct collect_function *f);

/* The facts key of a function (see facts_function_key()); caller frees. */
char *collect_function_key(const struct collect_function *f);

/*
 * Records a function, unless it is only declared, carries no
 * annotation, and either is not defined here or is in a system header.
 * Returns its index in the facts, or -1 when it is not recorded.
 */
long collect_function_decl(struct collector *c,
                           const struct collect_function *f);

/*
 * Records an annotation string written on function fn (or, with fn -1,
 * on something that is not a function, which is malformed). Strings
 * that are not mitigate's are ignored. Returns why the annotation is
 * malformed (a static string), or NULL.
 */
const char *collect_annotation(struct collector *c, long fn, const char *text,
                               const void *site);

/*
 * A use of a function in function fn: a call when called is set, else
 * its address taken. name is its identifier, NULL for operators,
 * constructors and the like. The call rules judge named functions.
 */
void collect_function_use(struct collector *c, size_t fn, const char *key,
                          const char *name, int called, const void *site);

/*
 * A use of a variable in function fn. global: it has static storage;
 * literal_length: the length of the string literal that initialises it,
 * or -1.
 */
void collect_variable_use(struct collector *c, size_t fn, const char *name,
                          int global, long literal_length, const void *site);

/*
 * A call expression in function fn. callee is the name of the function
 * it calls directly, or NULL for a call through a pointer. Arguments are
 * asked for through collect_ops.argument when a rule reads them.
 */
void collect_call(struct collector *c, size_t fn, const char *callee,
                  unsigned arg_count, const void *site);

/*
 * A local variable of function fn: a variable-length array, or one a
 * string literal of literal_length initialises (-1 for none).
 * name_site locates the variable's name, site the whole declaration.
 */
void collect_local(struct collector *c, size_t fn, const char *name,
                   int variable_length, long literal_length, const void *site,
                   const void *name_site);

/* An assignment of a string literal (its length) to lhs, a name. */
void collect_assignment(struct collector *c, size_t fn, const char *lhs,
                        long literal_length, const void *site);

/*
 * A statement of function fn whose first token a macro produced. When
 * the policy bans the macro used there, or the macro whose definition
 * holds the token, it is a use of that macro.
 */
void collect_macro_statement(struct collector *c, size_t fn, const void *site);

/* Whether the policy has a rule on macros: else statements are moot. */
int collect_wants_macros(const struct collector *c);

/* Whether the policy bans the macro name (a rule of kind macro). */
int collect_bans_macro(const struct collector *c, const char *name);

/* The identifier that starts at offset in text, or "" (into buf). */
const char *collect_identifier_at(const char *text, size_t len, unsigned offset,
                                  char *buf, size_t size);

/*
 * The name of the macro whose #define line holds offset in text, or ""
 * when offset is in no #define (into buf).
 */
const char *collect_defining_macro(const char *text, size_t len,
                                   unsigned offset, char *buf, size_t size);

#ifdef __cplusplus
}
#endif

#endif /* MITIGATE_COLLECT_H */
