"""Compiles every C and C++ source the lit tests give the plugin both
ways, with the plugin and with `mitigate scan`, and fails unless the
facts are the same but for the fields that name the front end.

The sources and their flags are read from the RUN lines of every test
under the lit root, so a new fixture is covered without a word here. A
source no RUN line compiles with the plugin is compiled with no flags.
"""
import argparse
import difflib
import json
import os
import shlex
import subprocess
import sys

SOURCE_EXTS = (".c", ".cpp", ".cc", ".cxx")
TEST_EXTS = (".c", ".cpp", ".test")
# Plugin arguments and compile modes that are no business of the parse.
DROP_ALONE = {"-c", "-fsyntax-only", "-w"}
DROP_WITH_VALUE = {"-o"}
# Fields that say which front end wrote the facts, and nothing else.
FRONTEND_FIELDS = ("frontend", "arguments")


def run_lines(path):
    """The RUN commands of a test, continuation lines joined."""
    lines, current = [], ""
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            at = line.find("RUN:")
            if at < 0:
                continue
            text = line[at + 4:].strip()
            if text.endswith("\\"):
                current += text[:-1] + " "
                continue
            lines.append(current + text)
            current = ""
    return lines


def segments(command):
    """The simple commands of a shell line, split at && | ; and ||."""
    lex = shlex.shlex(command, posix=True, punctuation_chars=True)
    lex.whitespace_split = True
    part = []
    for token in lex:
        if token in ("&&", "||", "|", ";"):
            yield part
            part = []
        else:
            part.append(token)
    yield part


def plugin_compiles(test, subs):
    """(cwd, args, policy) for each %clang_plugin command in test."""
    cwd = os.path.dirname(test)
    for line in run_lines(test):
        for part in segments(line):
            part = [expand(t, test, subs) for t in part]
            if part[:1] == ["cd"] and len(part) > 1:
                cwd = os.path.join(cwd, part[1])
                continue
            if "%clang_plugin" not in part:
                continue
            args = part[part.index("%clang_plugin") + 1:]
            yield cwd, parse_args(args)


def expand(token, test, subs):
    for key in ("%annotations", "%fixtures", "%S", "%s"):
        token = token.replace(key, subs[key] if key in subs else
                              (os.path.dirname(test) if key == "%S" else test))
    return token


def parse_args(args):
    """Flags, sources and policy of a plugin compile."""
    flags, sources, policy = [], [], None
    i = 0
    while i < len(args):
        a = args[i]
        redirect = a.isdigit() and i + 1 < len(args) and \
            args[i + 1].startswith(">")
        if redirect or a.startswith((">", "<")):
            break
        if a == "-Xclang" and i + 1 < len(args):
            i += 2
            continue
        if a in DROP_WITH_VALUE:
            i += 2
            continue
        if a.startswith("-fplugin-arg-mitigate-policy="):
            policy = a.split("=", 1)[1]
        elif a.startswith("-fplugin") or a in DROP_ALONE:
            pass
        elif not a.startswith("-") and a.endswith(SOURCE_EXTS):
            sources.append(a)
        else:
            flags.append(a)
        i += 1
    return flags, sources, policy


def cases(root, subs):
    """Every (source, flags, policy, cwd) to compare, without repeats."""
    seen, found = set(), []
    for dirpath, _, files in sorted(os.walk(root)):
        for name in sorted(files):
            if not name.endswith(TEST_EXTS) or "Inputs" in dirpath.split(os.sep):
                continue
            test = os.path.join(dirpath, name)
            for cwd, (flags, sources, policy) in plugin_compiles(test, subs):
                for src in sources:
                    src = os.path.normpath(os.path.join(cwd, src))
                    if policy:
                        policy = os.path.normpath(os.path.join(cwd, policy))
                    key = (src, tuple(flags), policy)
                    if os.path.isfile(src) and key not in seen:
                        seen.add(key)
                        found.append((src, flags, policy, cwd))
    covered = {c[0] for c in found}
    for dirpath, _, files in sorted(os.walk(root)):
        for name in sorted(files):
            src = os.path.join(dirpath, name)
            if name.endswith(SOURCE_EXTS) and src not in covered:
                found.append((src, [], None, dirpath))
    return found


def load(path, mitigate):
    """The facts file at path, as `mitigate facts` shows it."""
    facts = json.loads(subprocess.run([mitigate, "facts", path],
                                      capture_output=True, check=True).stdout)
    for field in FRONTEND_FIELDS:
        facts.pop(field, None)
    return facts


def facts_file(folder):
    names = [n for n in os.listdir(folder) if n.endswith(".facts")] \
        if os.path.isdir(folder) else []
    return os.path.join(folder, names[0]) if len(names) == 1 else None


def compare(n, case, opts):
    src, flags, policy, cwd = case
    work = os.path.join(opts.work, str(n))
    plugin_dir, scan_dir = work + "/plugin", work + "/scan"
    os.makedirs(work)
    plugin = [opts.clang, "-fplugin=" + opts.plugin, "-I" + opts.annotations,
              "-fplugin-arg-mitigate-facts=" + plugin_dir]
    if policy:
        plugin.append("-fplugin-arg-mitigate-policy=" + policy)
    compiled = subprocess.run(plugin + flags + ["-fsyntax-only", "-w", src],
                              cwd=cwd, capture_output=True).returncode == 0
    db = [{"directory": cwd, "file": src,
           "arguments": ["clang", "-I" + opts.annotations] + flags +
           ["-c", src]}]
    with open(work + "/compile_commands.json", "w") as f:
        json.dump(db, f)
    scan = [opts.mitigate, "scan", "-p", work, "--facts", scan_dir, "-j", "1"]
    if policy:
        scan += ["--policy", policy]
    scanned = subprocess.run(scan, capture_output=True, text=True)
    what = "%s %s" % (os.path.relpath(src, opts.root), " ".join(flags))
    if not compiled:
        if scanned.returncode != 2 or facts_file(scan_dir):
            return "%s: the plugin's compile fails, the scan does not" % what
        return None
    if scanned.returncode != 0 or not facts_file(scan_dir):
        return "%s: scan failed:\n%s" % (what, scanned.stderr)
    a = load(facts_file(plugin_dir), opts.mitigate)
    b = load(facts_file(scan_dir), opts.mitigate)
    if a == b:
        return None
    diff = difflib.unified_diff(
        json.dumps(a, indent=1, sort_keys=True).splitlines(),
        json.dumps(b, indent=1, sort_keys=True).splitlines(),
        "plugin", "scan", lineterm="", n=2)
    return "%s: facts differ:\n%s" % (what, "\n".join(diff))


def main():
    p = argparse.ArgumentParser()
    for name in ("root", "clang", "plugin", "annotations", "fixtures",
                 "mitigate", "work"):
        p.add_argument("--" + name, required=True)
    opts = p.parse_args()
    opts.root = os.path.realpath(opts.root)
    subs = {"%annotations": opts.annotations, "%fixtures": opts.fixtures}
    found = cases(opts.root, subs)
    problems = [m for m in (compare(i, c, opts) for i, c in enumerate(found))
                if m]
    for m in problems:
        print(m)
    print("%d sources compared, %d differ" % (len(found), len(problems)))
    return 1 if problems or not found else 0


if __name__ == "__main__":
    sys.exit(main())
