/*
 * compdb.c: compile_commands.json, as CMake, Bear, Meson and others
 * write it: an array of {directory, file, arguments | command}.
 *
 * A "command" is one shell-quoted string; glib's g_shell_parse_argv()
 * splits it the way a POSIX shell would, with quotes and backslashes but
 * without expanding variables, globs or command substitutions, which a
 * compilation database must not rely on.
 */
#include <glib.h>
#include <jansson.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "json_bounded.h"
#include "scan.h"
#include "untrusted.h"

#define COMPDB_MAX_SIZE (512u << 20)

/* Where the database is: path itself, or compile_commands.json in it. */
static char *database_path(const char *path)
{
    struct stat st;
    struct strbuf p = STRBUF_INIT;

    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        sb_addf(&p, "%s/compile_commands.json", path);
        return sb_detach(&p);
    }
    return xstrdup(path);
}

static int add_argv_from_array(json_t *args, struct compile_command *cmd)
{
    size_t i;
    json_t *arg;

    cmd->argv = xcalloc(json_array_size(args) + 1, sizeof(*cmd->argv));
    json_array_foreach(args, i, arg)
    {
        if (!json_is_string(arg))
            return -1;
        cmd->argv[cmd->argc++] = xstrdup(json_string_value(arg));
    }
    return cmd->argc ? 0 : -1;
}

static int add_argv_from_command(const char *command,
                                 struct compile_command *cmd, char **why)
{
    gchar **argv = NULL;
    gint argc = 0;
    GError *error = NULL;

    if (!g_shell_parse_argv(command, &argc, &argv, &error)) {
        *why = xstrdup(error->message);
        g_error_free(error);
        return -1;
    }
    cmd->argv = xcalloc((size_t)argc + 1, sizeof(*cmd->argv));
    for (gint i = 0; i < argc; i++)
        cmd->argv[cmd->argc++] = xstrdup(argv[i]);
    g_strfreev(argv);
    return 0;
}

static void command_release(struct compile_command *cmd)
{
    for (size_t i = 0; i < cmd->argc; i++)
        free(cmd->argv[i]);
    free(cmd->argv);
    free(cmd->directory);
    free(cmd->file);
}

/* Reads entry i into cmd; NULL, or what is wrong with it. */
static char *read_entry(json_t *entry, size_t i, struct compile_command *cmd)
{
    json_t *dir = json_object_get(entry, "directory");
    json_t *file = json_object_get(entry, "file");
    json_t *args = json_object_get(entry, "arguments");
    json_t *command = json_object_get(entry, "command");
    char *why = NULL;

    memset(cmd, 0, sizeof(*cmd));
    cmd->index = i;
    if (!json_is_object(entry))
        return xstrdup("is not an object");
    if (!json_is_string(dir) || json_string_value(dir)[0] != '/')
        return xstrdup("needs \"directory\", an absolute path");
    if (!json_is_string(file) || !json_string_length(file))
        return xstrdup("needs \"file\", the source it compiles");
    cmd->directory = path_lexical(json_string_value(dir), "/");
    cmd->file = path_lexical(json_string_value(file), cmd->directory);
    if (json_is_array(args)) {
        if (add_argv_from_array(args, cmd) < 0)
            return xstrdup("\"arguments\" must be a non-empty list of "
                           "strings");
    } else if (json_is_string(command)) {
        if (add_argv_from_command(json_string_value(command), cmd, &why) < 0) {
            struct strbuf msg = STRBUF_INIT;

            sb_addf(&msg, "\"command\" cannot be split into arguments: %s",
                    why);
            free(why);
            return sb_detach(&msg);
        }
        if (!cmd->argc)
            return xstrdup("\"command\" is empty");
    } else {
        return xstrdup("needs \"arguments\" (a list) or \"command\" (a "
                       "string)");
    }
    return NULL;
}

static int read_entries(json_t *doc, struct compile_db *db,
                        struct mt_errors *errs)
{
    /* The files listed so far: a file listed again keeps its first. */
    GHashTable *listed = g_hash_table_new(g_str_hash, g_str_equal);
    size_t i, alloc = 0, before = errs->count;
    json_t *entry;

    json_array_foreach(doc, i, entry)
    {
        struct compile_command cmd;
        char *why = read_entry(entry, i, &cmd);

        if (why) {
            mt_error_add(errs, db->path, NULL,
                         "entry %zu %s; regenerate the compilation database "
                         "(CMAKE_EXPORT_COMPILE_COMMANDS=ON, or bear)",
                         i + 1, why);
            free(why);
            command_release(&cmd);
            continue;
        }
        if (g_hash_table_contains(listed, cmd.file)) {
            command_release(&cmd);
            continue;
        }
        grow_array(&db->items, &alloc, db->count + 1, sizeof(*db->items));
        db->items[db->count++] = cmd;
        g_hash_table_add(listed, cmd.file);
    }
    g_hash_table_destroy(listed);
    return errs->count > before ? -1 : 0;
}

int compdb_parse(const char *name, const char *text, size_t len,
                 struct compile_db *db, struct mt_errors *errs)
{
    json_error_t jerr;
    json_t *doc;
    int rc;

    memset(db, 0, sizeof(*db));
    db->path = xstrdup(name);
    if (!(doc = json_load_bounded(text, len, &jerr))) {
        struct mt_pos pos = {(unsigned)jerr.line, (unsigned)jerr.column, 0, 0};

        mt_error_add(errs, db->path, &pos,
                     "not a compilation database: %s; regenerate it",
                     jerr.text);
        return -1;
    }
    if (!json_is_array(doc)) {
        mt_error_add(errs, db->path, NULL,
                     "not a compilation database: expected a list of "
                     "compile commands");
        json_decref(doc);
        return -1;
    }
    rc = read_entries(doc, db, errs);
    json_decref(doc);
    return rc;
}

int compdb_load(const char *path, struct compile_db *db, struct mt_errors *errs)
{
    char *where = database_path(path);
    size_t len;
    char *text = read_file(where, COMPDB_MAX_SIZE, &len, errs);
    int rc = -1;

    memset(db, 0, sizeof(*db));
    if (text)
        rc = compdb_parse(where, text, len, db, errs);
    else
        db->path = xstrdup(where);
    free(text);
    free(where);
    return rc;
}

void compdb_release(struct compile_db *db)
{
    for (size_t i = 0; i < db->count; i++)
        command_release(&db->items[i]);
    free(db->items);
    free(db->path);
    memset(db, 0, sizeof(*db));
}
