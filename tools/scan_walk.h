/*
 * scan_walk.h: what the files of the libclang front end share: the
 * walk over one translation unit (scan_walk.c), positions and macros
 * (scan_where.c), expressions and function names (scan_expr.c).
 *
 * Memory: a struct walk owns its tables and the strings in them, for
 * the life of one scan_walk() call. Cursors are libclang's and live as
 * long as the translation unit.
 */
#ifndef MITIGATE_SCAN_WALK_H
#define MITIGATE_SCAN_WALK_H

#include <clang-c/Index.h>
#include <stdint.h>

#include "collect.h"
#include "scan.h"

/* A table slot: a file position, or a cursor, with what it maps to. */
struct slot {
    int used;
    const void *file;
    unsigned offset;
    CXCursor cursor;
    void *value;
};

struct table {
    struct slot *slots;
    size_t size; /* a power of two, or 0 */
    size_t used;
};

/* A file the walk has met: its path and contents, read once. */
struct file_info {
    char *path;
    const char *text;
    size_t len;
    /* A bit per byte of text: set where a macro use starts. Most
       statements start in no macro use, and this says so cheaply. */
    unsigned char *uses;
};

/* A macro definition, by its name. */
struct macro_def {
    char *name; /* NULL for an empty slot */
    CXCursor cursor;
};

/* A function met as a callee: its key and its identifier, if any. */
struct callee_info {
    char *key;
    char *name; /* NULL for operators, constructors and the like */
};

struct walk {
    CXTranslationUnit unit;
    struct collector *core;
    struct table files;      /* CXFile -> struct file_info */
    struct table expansions; /* (CXFile, offset) -> macro use cursor */
    struct table callees;    /* canonical cursor -> struct callee_info */
    struct table globals;    /* variable -> its literal's length + 2 */
    struct table reach;      /* macro definition -> whether it may expand a
                                banned macro: 1 yes, 2 no, 3 being worked
                                out */
    struct macro_def *defs;  /* macro definitions by name, open addressing */
    size_t def_slots;
    size_t def_count;
    int is_cxx;
    char **kept; /* strings handed to the collector during one call */
    size_t kept_count;
    size_t kept_alloc;
};

/* What the walk hands the collector as a site. */
struct site {
    CXCursor cursor;
    int at_location; /* the cursor's location (a name), not its extent */
    int has_begin;   /* begin is where the site begins */
    CXSourceLocation begin;
    int has_origin; /* origin is worked out already */
    struct collect_origin origin;
};

/* A function body being walked. */
/*
 * A call whose callee reference is yet to come: the walk meets the
 * callee after the call, through implicit conversions and parentheses
 * (the wrappers).
 */
struct pending_call {
    CXCursor call;
    CXCursor callee; /* canonical declaration */
    CXCursor wrappers[4];
    unsigned wrapper_count;
};

struct body {
    struct walk *w;
    size_t fn;
    struct pending_call calls[16]; /* the latest, oldest first */
    size_t call_count;
};

/* The strings a struct collect_function points into. */
struct names {
    char *scopes[32];
    size_t count;
    char *name;
    char *key_file;
};

/* Tables */

size_t mix(size_t h, uintptr_t v);
/* The slot of key (a file position, or with by_cursor a cursor); with
   add, made if missing. NULL when missing and not added. */
struct slot *table_find(struct table *t, const struct slot *key, int by_cursor,
                        int add);

/* Positions (scan_where.c) */

struct file_info *file_info(struct walk *w, CXFile file);
struct collect_point expansion_point(CXSourceLocation l);
struct collect_point file_point(CXSourceLocation l);
/* The macro use written at a file position, or a null cursor. */
CXCursor expansion_at(struct walk *w, const void *file, unsigned offset);
/* Remembers the macro use c, written at a file position. */
void add_expansion(struct walk *w, const void *file, unsigned offset,
                   CXCursor c);
struct site site_of(CXCursor c, int at_location);
void op_locate(void *fe, const void *site, struct facts_loc *loc);
void op_position(void *fe, struct collect_point *at);
void op_origin(void *fe, const void *site, struct collect_origin *o);
void op_spelled(void *fe, const void *site, struct collect_point *at);
const char *op_path(void *fe, const void *file);
const char *op_contents(void *fe, const void *file, size_t *len);

/* Macros (scan_where.c) */

void add_definition(struct walk *w, CXCursor def);
/* Whether a macro definition may expand a banned macro. */
int reaches_banned(struct walk *w, CXCursor def);
/* Whether the macro use written at a file position may expand a banned
   macro: 1 or 0, cached; -1 when no macro use is written there. */
int use_reaches_banned(struct walk *w, const void *file, unsigned offset);

/* Expressions and functions (scan_expr.c) */

unsigned children_of(CXCursor c, CXCursor *out, unsigned max);
CXCursor unwrap(CXCursor c);
char *spelling(CXCursor c);
long literal_length(CXCursor c);
char *name_of(CXCursor c);
void op_argument(void *fe, const void *call, unsigned i,
                 struct collect_arg *arg);
/* Frees the strings op_argument() handed out. */
void forget_kept(struct walk *w);
int is_function_kind(enum CXCursorKind k);
const struct callee_info *callee_of(struct walk *w, CXCursor c);
void describe(struct walk *w, CXCursor c, struct names *n,
              struct collect_function *f);
void names_release(struct names *n);

#endif /* MITIGATE_SCAN_WALK_H */
