/*
 * model_ydoc.c: whole YAML documents of a kind (policy, suppressions):
 * read, checked to be a mapping that names its schema version.
 */
#include <stdlib.h>
#include <string.h>

#include "model_yaml.h"

/*
 * Checks that the mapping root starts with "version_key: version".
 * Returns 0 after reporting it when the key is missing, is not an
 * integer or names another version.
 */
static int check_doc_version(const struct yreport *rep,
                             const struct ynode *root, const char *what,
                             const char *version_key, int version)
{
    const struct ynode *v = ynode_get(root, version_key);
    const char *digits;
    long found = 0;

    if (!v) {
        yreport_error(rep, &root->pos,
                      "missing required key '%s' in %s (start the file with "
                      "'%s: %d')",
                      version_key, what, version_key, version);
        return 0;
    }
    digits = v->type == YNODE_SCALAR && v->plain ? v->value : "";
    if (!digits[0] || strspn(digits, "0123456789") != strlen(digits)) {
        yreport_error(rep, &v->pos,
                      "expected an integer for '%s' in %s, found %s",
                      version_key, what, ynode_describe(v));
        return 0;
    }
    for (; *digits && found <= version; digits++)
        found = found * 10 + (*digits - '0');
    if (found == version)
        return 1;
    yreport_error(rep, &v->pos,
                  "unsupported schema version %s (this mitigate reads "
                  "version %d)",
                  v->value, version);
    return 0;
}

struct ynode *ydoc_load(const char *path, size_t max_size, const char *what,
                        const char *version_key, int version,
                        struct mt_errors *errs)
{
    struct ynode *root;
    size_t len = 0;
    char *text = read_file(path, max_size, &len, errs);

    if (!text)
        return NULL;
    root = ydoc_parse(path, text, len, what, version_key, version, errs);
    free(text);
    return root;
}

struct ynode *ydoc_parse(const char *path, const char *text, size_t len,
                         const char *what, const char *version_key, int version,
                         struct mt_errors *errs)
{
    struct yreport rep = {path, errs};
    struct ynode *root = NULL;

    if (ynode_load_as(path, text, len, what, errs, &root) < 0)
        return NULL;
    if (!root || ynode_is_null(root)) {
        mt_error_add(errs, path, NULL,
                     "the %s is empty; start it with '%s: %d'", what,
                     version_key, version);
        ynode_free(root);
        return NULL;
    }
    if (root->type != YNODE_MAPPING) {
        yreport_error(&rep, &root->pos,
                      "expected a mapping at the top of the %s, found %s", what,
                      ynode_describe(root));
        ynode_free(root);
        return NULL;
    }
    if (!check_doc_version(&rep, root, what, version_key, version)) {
        ynode_free(root);
        return NULL;
    }
    return root;
}
