"""docs/performance.md from the results of bench/run.

The page is written whole from one run's numbers; nothing in it is
edited by hand. Its text says what the numbers mean, with the numbers
of that run filled in, and which targets they meet.
"""

import os

# What `mitigate check` must do on a million functions.
TARGET_CHECK_S = 3.0
TARGET_CHECK_KB = 1024 * 1024

PHASE_NAMES = {
    "load_files": "reading the facts files (MessagePack), on every thread",
    "model_load": "reading the threat model",
    "results_load": "reading the JUnit results",
    "analysis_run": "the analysis: join, reach, verdicts",
    "sarif_prepare": "fingerprints and line hashes",
    "sarif_write": "writing the SARIF log",
    "inputs_release": "freeing the inputs",
}


def secs(s):
    if s >= 100:
        return "%.0f s" % s
    if s >= 10:
        return "%.1f s" % s
    return "%.2f s" % s


def mib(kb):
    return "%.0f MiB" % (kb / 1024.0)


def ginstr(n):
    return "%.2f G" % (n / 1e9)


def pct(new, old):
    return "%+.1f %%" % (100.0 * (new - old) / old) if old else "n/a"


def size_label(n):
    if n % 1000000 == 0:
        return "%dM" % (n // 1000000)
    if n % 1000 == 0:
        return "%dk" % (n // 1000)
    return str(n)


def table(header, rows):
    out = ["| " + " | ".join(header) + " |",
           "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(out) + "\n"


def machine_section(r):
    m = r["machine"]
    rows = [
        ("CPU", "%s, %d cores" % (m["cpu"], m["cores"])),
        ("memory", "%s GiB" % m["memory_gib"]),
        ("system", "%s, Linux %s" % (m["os"], m["kernel"])),
        ("compiler", m["clang"]),
        ("valgrind", m["valgrind"]),
        ("load average at start", m["load"]),
        ("mitigate", r["revision"]),
        ("run", "%s, %d minutes, %s" % (
            r["started"], r["minutes"],
            "quick (`--quick`)" if r["quick"] else "full")),
    ]
    return "## The machine\n\n" + table(["", ""], rows)


def plugin_section(r):
    s = r["sqlite"]
    rows = []
    measures = [("instructions (callgrind)", "instructions", ginstr),
                ("median wall time", "median_s", secs),
                ("median CPU time", "median_cpu_s", secs),
                ("peak memory", "peak_kb", mib)]
    for label, key, fmt in measures:
        row = [label]
        for mode in ("syntax", "o2"):
            plain, plugin = s[mode]["plain"], s[mode]["plugin"]
            if key not in plain:
                row += ["not measured (`--quick`)", "", ""]
                continue
            row += [fmt(plain[key]), fmt(plugin[key]),
                    pct(plugin[key], plain[key])]
        rows.append(row)
    text = ("## The plugin's cost on a compile\n\n"
            "sqlite3.c, the SQLite amalgamation (%d lines), compiled with "
            "and without the plugin (default policy, no threat model). "
            "Instructions are callgrind's count for the whole compiler "
            "process; times are medians of %d runs (%d for `-O2`), CPU "
            "time being user and system time.\n\n"
            % (s["lines"], r["runs"], r["slow_runs"]))
    text += table(["", "`-fsyntax-only`", "with plugin", "overhead",
                   "`-c -O2`", "with plugin", "overhead"], rows)
    top = sorted(s["matches_by_rule"].items(), key=lambda kv: -kv[1])
    text += ("\nThe object files with and without the plugin are %s. The "
             "plugin recorded %d banned-pattern matches in the file's "
             "functions (%s); `mitigate check` reports those a mitigation "
             "reaches.\n\n" % (
                 "identical" if s["objects_identical"] else "DIFFERENT",
                 s["matches"], ", ".join("%s %d" % kv for kv in top[:6])))
    text += "Commands:\n\n```sh\n"
    for mode in ("syntax", "o2"):
        text += s[mode]["plain"]["command"] + "\n"
        text += s[mode]["plugin"]["command"] + "\n"
    text += s["syntax"]["callgrind_command"] + "\n```\n"
    return text


def passes_section(r):
    s, p = r["sqlite"], r["passes"]
    base = s["syntax"]["plain"]
    plugin_cost = s["syntax"]["plugin"]["median_s"] - base["median_s"]
    cpu_cost = (s["syntax"]["plugin"]["median_cpu_s"]
                - base["median_cpu_s"])
    rows = [("mitigate plugin, riding on the compile", "in the compiler",
             secs(plugin_cost) + " added", secs(cpu_cost) + " added",
             mib(s["syntax"]["plugin"]["peak_kb"] - base["peak_kb"])
             + " added", "%d matches" % s["matches"], r["runs"])]
    scan = r["scan"]["scan"]
    rows.append(("`mitigate scan -j 1` (libclang)", "separate pass",
                 secs(scan["median_s"]), secs(scan["median_cpu_s"]),
                 mib(scan["peak_kb"]),
                 "the plugin's facts" if r["scan"]["same_facts"]
                 else "facts DIFFER from the plugin's", r["scan"]["runs"]))
    tidy = [k for k in p if k.startswith("clang-tidy")][0]
    named = [
        (tidy, "`%s`, bugprone-unsafe-functions and cert-*" % tidy),
        ("analyzer", "`clang --analyze`, security.insecureAPI.* only"),
        ("analyzer-default", "`clang --analyze`, default checkers and "
                             "security.insecureAPI.*"),
        ("flawfinder", "flawfinder"),
    ]
    for key, label in named:
        if key not in p:
            rows.append((label, "separate pass", "not run (`--quick`)", "",
                         "", "", ""))
            continue
        t = p[key]
        rows.append((label, "separate pass", secs(t["median_s"]),
                     secs(t["median_cpu_s"]),
                     mib(t["peak_kb"]), "%d warnings" % t["findings"]
                     if key != "flawfinder" else "%d hits" % t["findings"],
                     t["runs"]))
    text = ("## The same detection as a separate pass\n\n"
            "A tool that runs apart from the build parses every file "
            "again. For scale, `clang -fsyntax-only` of sqlite3.c takes "
            "%s (%s of CPU) and %s. Findings are what each tool reports on the whole "
            "file; the tools look for overlapping but different things, "
            "so the counts say how much each has to say, not who is "
            "right.\n\n" % (secs(base["median_s"]), secs(base["median_cpu_s"]),
                            mib(base["peak_kb"])))
    text += table(["tool", "runs as", "median time", "median CPU",
                   "peak memory", "findings", "runs"], rows)
    text += "\nCommands:\n\n```sh\n"
    for key, _ in named:
        if key in p:
            text += p[key]["command"] + "\n"
    text += scan["command"] + "\n"
    text += r["scan"]["callgrind_command"] + "\n"
    text += "```\n\n"
    text += ("`clang --analyze` with only the insecureAPI checkers is "
             "the frontend command the driver prints with `-###`, with "
             "its default `-analyzer-checker` options replaced by "
             "`-analyzer-checker=security.insecureAPI`: the cheapest way "
             "to get that detection from the analyzer.\n")
    return text


def projects_section(r):
    rows = []
    prev = None
    for p in r["projects"]:
        c = p["counts"]
        growth = ""
        if prev:
            growth = "%.1fx / %.1fx" % (
                p["check"]["median_cpu_s"] / prev["check"]["median_cpu_s"],
                p["check"]["peak_kb"] / prev["check"]["peak_kb"])
        rows.append((
            size_label(p["functions"]),
            "%d / %d" % (c["mitigations"], c["test_functions"]),
            "%d, %.0f MB" % (p["facts_files"], p["facts_bytes"] / 1e6),
            secs(p["compile_s"]),
            secs(p["check"]["median_s"]), secs(p["check"]["median_cpu_s"]),
            mib(p["check"]["peak_kb"]), growth,
            secs(p["matrix"]["median_s"]), secs(p["matrix"]["median_cpu_s"]),
            mib(p["matrix"]["peak_kb"]), p["check"]["runs"]))
        prev = p
    text = ("## check and matrix as a project grows\n\n"
            "Projects written by `bench/gen-project` (its header describes "
            "the proportions: 1 % of functions implement a mitigation, "
            "three tests for each, 3 to 8 calls per function, layered "
            "code, some cross-file calls and banned calls), compiled with "
            "the plugin by `make -j2`. `check` reads the model, the facts "
            "and the JUnit results and writes SARIF; `matrix` writes the "
            "HTML matrix. Growth is this size over the one before, for "
            "check's CPU time and peak memory: 10x is linear.\n\n")
    text += table(["functions", "mitigations / tests", "facts files",
                   "compile", "check", "check CPU", "check memory",
                   "growth", "matrix", "matrix CPU", "matrix memory",
                   "runs"], rows)
    last = r["projects"][-1]
    text += ("\nThe gate's verdict on the largest project: `%s`.\n\n"
             % last["summary"])
    text += "Commands, in the project's folder under `bench/work/`:\n\n```sh\n"
    text += ("bench/gen-project --functions %d bench/work/gen-%d\n"
             % (last["functions"], last["functions"]))
    text += last["compile_command"] + "\n"
    text += last["check"]["command"] + "\n"
    text += last["matrix"]["command"] + "\n```\n"
    return text


def baseline_section(r):
    with_base = [p for p in r["projects"] if p.get("baseline")]
    if not with_base:
        return ""
    rows = []
    for p in with_base:
        b = p["baseline"]
        for what in ("check", "matrix"):
            rows.append((size_label(p["functions"]), what,
                         secs(b[what]["median_cpu_s"]),
                         secs(p[what]["median_cpu_s"]),
                         "%.1fx" % (b[what]["median_cpu_s"]
                                    / max(p[what]["median_cpu_s"], 0.01)),
                         mib(b[what]["peak_kb"]), mib(p[what]["peak_kb"]),
                         "" if what == "matrix" else
                         "yes" if b["same_sarif"] else "NO"))
    text = ("## Against an earlier revision\n\n"
            "The same projects, checked by mitigate as built from revision "
            "%s (`--baseline`), in the same loop of runs. The SARIF logs "
            "of both are compared, less their timestamps.\n\n"
            % with_base[0]["baseline"]["revision"])
    text += table(["functions", "command", "CPU before", "CPU now",
                   "speed-up", "memory before", "memory now",
                   "same SARIF"], rows)
    return text


def profile_section(r):
    pr = r["profile"]
    rows = []
    rest = pr["total"]
    for name in ("load_files", "model_load", "results_load",
                 "analysis_run", "sarif_prepare", "sarif_write",
                 "inputs_release"):
        n = pr["phases"].get(name, 0)
        rest -= n
        rows.append(("`%s`" % name, PHASE_NAMES[name], ginstr(n),
                     "%.1f %%" % (100.0 * n / pr["total"])))
    rows.append(("", "everything else", ginstr(rest),
                 "%.1f %%" % (100.0 * rest / pr["total"])))
    text = ("## Where check's time goes\n\n"
            "Instructions of `mitigate check` on the %s-function project, "
            "by phase (callgrind, inclusive).\n\n"
            % size_label(pr["functions"]))
    text += table(["function", "phase", "instructions", "share"], rows)
    text += "\n```sh\n" + pr["command"] + "\n```\n"
    return text


def instruction_share(mode):
    """The plugin's overhead in instructions, in per cent, or None."""
    plain, plugin = mode["plain"], mode["plugin"]
    if "instructions" not in plain:
        return None
    return 100.0 * (plugin["instructions"] - plain["instructions"]) / \
        plain["instructions"]


def targets_section(r):
    s = r["sqlite"]
    rows = []
    for mode, label, limit in (("syntax", "`-fsyntax-only`", 1.5),
                               ("o2", "`-c -O2`", 0.5)):
        share = instruction_share(s[mode])
        rows.append((
            "plugin on sqlite3.c with %s: at most %.1f %% more "
            "instructions" % (label, limit),
            "%+.1f %%" % share if share is not None else
            "not measured in instructions (`--quick`); %s" % overhead(
                s[mode]),
            "n/a" if share is None else "yes" if share <= limit else "no"))
    scan = r["scan"]
    ratio = scan["scan"]["instructions"] / scan["plain"]["instructions"]
    rows.append(("`mitigate scan` of sqlite3.c: at most 1.2x the "
                 "instructions of `clang -fsyntax-only`", "%.2fx" % ratio,
                 "yes" if ratio <= 1.2 else "no"))
    big = [p for p in r["projects"] if p["functions"] >= 1000000]
    p = big[-1] if big else None
    prev = r["projects"][-2] if big and len(r["projects"]) > 1 else None
    if not p:
        rows.append(("check on 1M functions", "not measured in this run",
                     "n/a"))
    else:
        growth = (p["check"]["median_cpu_s"] / prev["check"]["median_cpu_s"]
                  if prev else None)
        rows += [
            ("check on 1M functions under 3 s",
             "%s (%s CPU)" % (secs(p["check"]["median_s"]),
                              secs(p["check"]["median_cpu_s"])),
             "yes" if p["check"]["median_s"] < TARGET_CHECK_S else "no"),
            ("check on 1M functions under 1 GiB",
             mib(p["check"]["peak_kb"]),
             "yes" if p["check"]["peak_kb"] < TARGET_CHECK_KB else "no"),
            ("linear growth, 100k to 1M: at most 11x for 10x",
             "%.1fx CPU time, %.1fx memory" % (
                 growth, p["check"]["peak_kb"] / prev["check"]["peak_kb"])
             if prev else "n/a",
             "yes" if growth is not None and growth <= 11 else "no"),
        ]
    text = "## Targets\n\n" + table(["target", "measured", "met"], rows)
    if p:
        profile = r["profile"]
        share = (100.0 * profile["phases"]["load_files"]
                 / profile["total"])
        text += (
            "\nReading the facts files (`load_files`) is %.0f %% of "
            "check's instructions on the %s-function project, and the facts "
            "of the 1M-function project are %.2f GB on disk in %d files: "
            "check's time and memory on a large build follow the size of the "
            "facts and the cost of reading them.\n"
            % (share, size_label(profile["functions"]), p["facts_bytes"] / 1e9,
               p["facts_files"]))
    return text


def overhead(mode):
    """The plugin's overhead on one kind of compile, in words: in
    instructions when callgrind measured them, else in CPU time."""
    plain, plugin = mode["plain"], mode["plugin"]
    if "instructions" in plain:
        return "%s instructions" % pct(plugin["instructions"],
                                       plain["instructions"])
    return "%s CPU time" % pct(plugin["median_cpu_s"], plain["median_cpu_s"])


def meaning_section(r):
    s = r["sqlite"]
    return (
        "## What the numbers mean\n\n"
        "- **The plugin in a real build.** On sqlite3.c the plugin adds "
        "%s to `clang -fsyntax-only`, and %s to `clang -c -O2`, which is "
        "what a build sees. It parses nothing: it walks the AST that clang "
        "built anyway, and writes one facts file per translation unit. "
        "Callgrind's counts do not depend on what else the machine is "
        "doing; the times do.\n"
        "- **A separate pass** has to read and parse every file again, so "
        "its cost starts at a whole `-fsyntax-only` and goes up from "
        "there; see the table above.\n"
        "- **check and matrix** do all their work across translation "
        "units from the facts files, so their cost follows the size of "
        "the facts; the growth column shows how it scales.\n"
        "- Wall times come from a machine shared with other work (the "
        "load average at the start of the run is above): when the machine "
        "is busy, wall time exceeds CPU time. Treat differences of a few "
        "per cent in either as noise.\n"
        % (overhead(s["syntax"]), overhead(s["o2"])))


def write(path, r, argv):
    text = ("# Performance\n\n"
            "This page is written by `bench/run%s` from one run; do not "
            "edit it by hand. `$ROOT` in a command is the repository. Run "
            "`bench/run --help` for what it measures "
            "and how; `bench/run --quick` gives a shorter run.\n\n"
            % ("" if not argv else " " + " ".join(argv)))
    for section in (machine_section, plugin_section, passes_section,
                    projects_section, baseline_section, profile_section,
                    targets_section,
                    meaning_section):
        part = section(r)
        if part:
            text += part + "\n"
    tmp = path + ".tmp"
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(tmp, "w") as f:
        f.write(text.rstrip("\n") + "\n")
    os.replace(tmp, path)
