"""Measurements for bench/run: timed runs, callgrind, and the subjects.

Every command runs under GNU time, which gives its wall time and its
peak resident memory; a measurement is the median wall time and the
largest peak over its runs. Instruction counts come from callgrind.
Commands are kept as argument lists and shown relative to the
repository, so the page can print exactly what ran.
"""

import glob
import hashlib
import json
import os
import re
import shlex
import shutil
import statistics
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, "bench", "work")
SQLITE = os.path.join(WORK, "sqlite")
GNU_TIME = "/usr/bin/time"


def shown(args, cwd=None, prefix=""):
    """
    A command as a reader would type it from the repository root; inside
    another folder, the repository's own paths start with $ROOT.
    """
    inside = cwd and os.path.abspath(cwd) != ROOT
    out = []
    for a in args:
        a = a.replace(ROOT + "/", "$ROOT/" if inside else "")
        out.append(a if re.fullmatch(r"[\w$/.,=+:@-]+", a)
                   else shlex.quote(a))
    text = prefix + " ".join(out)
    if inside:
        text = "(cd %s && %s)" % (os.path.relpath(cwd, ROOT), text)
    return text


def need(program, package):
    if not shutil.which(program):
        raise SystemExit("bench/run: %s is missing; install the Debian "
                         "package %s" % (program, package))


def timed_once(args, cwd, ok=(0,)):
    """Runs args once: (seconds, CPU seconds, peak KiB, stdout, stderr)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t:
        p = subprocess.run([GNU_TIME, "-f", "%e %U %S %M", "-o", t.name]
                           + args,
                           cwd=cwd, capture_output=True, text=True,
                           errors="replace")
        if p.returncode not in ok:
            raise SystemExit("bench/run: %s exited with %d:\n%s"
                             % (shown(args, cwd), p.returncode,
                                p.stderr[-2000:]))
        fields = t.read().split()[-4:]
    return (float(fields[0]), float(fields[1]) + float(fields[2]),
            int(fields[3]), p.stdout, p.stderr)


def measure(commands, runs, ok=(0,)):
    """
    Times each (name, args, cwd) runs times, interleaved so that a busy
    spell of the machine falls on all of them alike. Returns, by name,
    the median wall and CPU (user and system) seconds, the peak KiB, and
    the last output.
    """
    seen = {name: [] for name, _, _ in commands}
    last = {}
    for _ in range(runs):
        for name, args, cwd in commands:
            s, cpu, kb, out, err = timed_once(args, cwd, ok)
            seen[name].append((s, cpu, kb))
            last[name] = (out, err)
    result = {}
    for name, args, cwd in commands:
        times = [s for s, _, _ in seen[name]]
        result[name] = {
            "command": shown(args, cwd),
            "runs": runs,
            "median_s": statistics.median(times),
            "min_s": min(times),
            "max_s": max(times),
            "median_cpu_s": statistics.median(c for _, c, _ in seen[name]),
            "peak_kb": max(kb for _, _, kb in seen[name]),
            "stdout": last[name][0],
            "stderr": last[name][1],
        }
    return result


def callgrind(jobs):
    """
    Instructions executed by each (name, args, cwd), two at a time.
    Returns {name: (instructions, command)}.
    """
    out = {}
    pending = list(jobs)
    running = []
    while pending or running:
        while pending and len(running) < 2:
            name, args, cwd = pending.pop(0)
            f = tempfile.NamedTemporaryFile(suffix=".callgrind",
                                            delete=False)
            f.close()
            p = subprocess.Popen(
                ["valgrind", "--tool=callgrind", "--callgrind-out-file="
                 + f.name] + args, cwd=cwd, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL)
            running.append((name, args, cwd, f.name, p))
        name, args, cwd, path, p = running.pop(0)
        p.wait()
        out[name] = (callgrind_total(path),
                     shown(args, cwd, "valgrind --tool=callgrind "))
        os.unlink(path)
    return out


def callgrind_total(path):
    with open(path, errors="replace") as f:
        for line in f:
            if line.startswith(("summary:", "totals:")):
                return int(line.split()[1])
    raise SystemExit("bench/run: no totals in %s" % path)


def capture(args, cwd=None):
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True,
                          errors="replace").stdout.strip()


def machine(llvm):
    info = {}
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    info["cores"] = os.cpu_count()
    with open("/proc/meminfo") as f:
        kb = int(f.readline().split()[1])
    info["memory_gib"] = round(kb / 1048576, 1)
    with open("/etc/os-release") as f:
        for line in f:
            if line.startswith("PRETTY_NAME="):
                info["os"] = line.split("=", 1)[1].strip().strip('"')
    info["kernel"] = os.uname().release
    info["clang"] = capture(["clang-" + llvm, "--version"]).splitlines()[0]
    info["valgrind"] = capture(["valgrind", "--version"])
    info["load"] = "%.1f %.1f %.1f" % os.getloadavg()
    return info


def revision():
    rev = capture(["git", "rev-parse", "--short=12", "HEAD"], ROOT)
    dirty = capture(["git", "status", "--porcelain", "--untracked-files=no"],
                    ROOT)
    return rev + (" (with uncommitted changes)" if dirty else "")


def count_matches(mitigate, facts_dir):
    """Banned-pattern matches the plugin recorded, in all, and by rule:
    each facts file as `mitigate facts` prints it, a match's rule first."""
    by_rule = {}
    for path in glob.glob(os.path.join(facts_dir, "*.facts")):
        facts = json.loads(capture([mitigate, "facts", path]))
        for fn in facts["functions"]:
            for m in fn["matches"]:
                by_rule[m[0]] = by_rule.get(m[0], 0) + 1
    return sum(by_rule.values()), by_rule


def warnings_in(text):
    return len(re.findall(r"^[^\s:][^:]*:\d+:\d+: warning: ", text,
                          re.MULTILINE))


class Bench:
    """The subjects of the measurements, built and fetched once."""

    def __init__(self, llvm, runs, slow_runs, baseline=None):
        self.llvm = llvm
        self.baseline = baseline  # a revision to compare check with
        self.runs = runs
        self.slow_runs = slow_runs
        self.clang = "clang-" + llvm
        self.bin = os.path.join(WORK, "bin-" + llvm)
        self.plugin = os.path.join(self.bin, "mitigate.so")
        self.mitigate = os.path.join(self.bin, "mitigate")

    def prepare(self):
        """Builds mitigate and keeps a copy, so rebuilding during the run
        changes nothing; fetches SQLite."""
        for program, package in [("valgrind", "valgrind"),
                                 (self.clang, "clang-" + self.llvm),
                                 ("flawfinder", "flawfinder"),
                                 (GNU_TIME, "time")]:
            need(program, package)
        subprocess.run([os.path.join(ROOT, "scripts", "build"), self.llvm],
                       check=True)
        build = os.path.join(ROOT, "build", "llvm-" + self.llvm)
        os.makedirs(self.bin, exist_ok=True)
        shutil.copy2(os.path.join(build, "lib", "mitigate.so"), self.plugin)
        shutil.copy2(os.path.join(build, "bin", "mitigate"), self.mitigate)
        subprocess.run([os.path.join(ROOT, "bench", "fetch-sqlite")],
                       check=True)
        if self.baseline:
            self.baseline_bin = self.build_revision(self.baseline)

    def build_revision(self, rev):
        """The mitigate command of an earlier revision, built apart."""
        commit = capture(["git", "rev-parse", "--short=12", rev], ROOT)
        if not commit:
            raise SystemExit("bench/run: unknown revision '%s'" % rev)
        d = os.path.join(WORK, "rev-" + commit)
        binary = os.path.join(d, "build", "bin", "mitigate")
        if not os.path.exists(binary):
            shutil.rmtree(d, ignore_errors=True)
            os.makedirs(d)
            archive = subprocess.run(["git", "archive", commit], cwd=ROOT,
                                     capture_output=True, check=True)
            subprocess.run(["tar", "-x", "-C", d], input=archive.stdout,
                           check=True)
            subprocess.run(["cmake", "-S", d, "-B", os.path.join(d, "build"),
                            "-G", "Ninja", "-DBUILD_TESTING=OFF",
                            "-DLLVM_DIR=/usr/lib/llvm-%s/lib/cmake/llvm"
                            % self.llvm], check=True,
                           stdout=subprocess.DEVNULL)
            subprocess.run(["cmake", "--build", os.path.join(d, "build"),
                            "--", "-j2"], check=True,
                           stdout=subprocess.DEVNULL)
        self.baseline_commit = commit
        return binary

    # SQLite: the plugin's cost

    def sqlite_plugin(self, o2_callgrind):
        facts = os.path.join(SQLITE, "facts")
        shutil.rmtree(facts, ignore_errors=True)
        with_plugin = ["-fplugin=" + self.plugin,
                       "-fplugin-arg-mitigate-facts=" + facts]
        syntax = [self.clang, "-fsyntax-only", "-w", "sqlite3.c"]
        o2 = [self.clang, "-c", "-O2", "-w", "sqlite3.c", "-o"]
        modes = {
            "syntax": (syntax, syntax[:-1] + with_plugin + syntax[-1:]),
            "o2": (o2 + ["plain.o"],
                   o2[:-2] + with_plugin + o2[-2:] + ["plugin.o"]),
        }
        out = {}
        for mode, (plain, plugin) in modes.items():
            runs = self.runs if mode == "syntax" else self.slow_runs
            t = measure([("plain", plain, SQLITE),
                         ("plugin", plugin, SQLITE)], runs)
            r = {"plain": t["plain"], "plugin": t["plugin"]}
            if mode == "syntax" or o2_callgrind:
                ir = callgrind([("plain", plain, SQLITE),
                                ("plugin", plugin, SQLITE)])
                r["plain"]["instructions"] = ir["plain"][0]
                r["plugin"]["instructions"] = ir["plugin"][0]
                r["callgrind_command"] = ir["plugin"][1]
            out[mode] = r
        out["objects_identical"] = subprocess.run(
            ["cmp", "-s", "plain.o", "plugin.o"], cwd=SQLITE).returncode == 0
        out["matches"], out["matches_by_rule"] = count_matches(self.mitigate,
                                                            facts)
        out["lines"] = sum(1 for _ in open(os.path.join(SQLITE, "sqlite3.c"),
                                           errors="replace"))
        return out

    # SQLite: the same detection as separate passes

    def analyzer_cc1(self, plist):
        """The analyzer with only the security.insecureAPI checkers: the
        frontend command the driver would run, without the checkers it
        turns on by default."""
        p = subprocess.run([self.clang, "--analyze", "-###", "sqlite3.c",
                            "-o", plist], cwd=SQLITE, capture_output=True,
                           text=True)
        line = [x for x in p.stderr.splitlines() if '"-cc1"' in x][0]
        args = [a for a in shlex.split(line)
                if not a.startswith("-analyzer-checker=")]
        return args + ["-analyzer-checker=security.insecureAPI"]

    def tidy(self):
        for v in ("19", self.llvm):
            if shutil.which("clang-tidy-" + v):
                return "clang-tidy-" + v
        raise SystemExit("bench/run: clang-tidy is missing; install the "
                         "Debian package clang-tidy-19")

    def sqlite_passes(self, full_analyzer):
        tidy = self.tidy()
        plist = os.path.join(SQLITE, "analyzer.plist")
        fast = [
            ("analyzer", self.analyzer_cc1(plist), SQLITE),
            ("flawfinder", ["flawfinder", "--quiet", "--singleline",
                            "--dataonly", "sqlite3.c"], SQLITE),
        ]
        slow = [(tidy, [tidy, "-checks=-*,bugprone-unsafe-functions,cert-*",
                        "sqlite3.c", "--", "-w"], SQLITE)]
        if full_analyzer:
            slow.append(("analyzer-default",
                         [self.clang, "--analyze", "-Xclang",
                          "-analyzer-checker=security.insecureAPI",
                          "sqlite3.c", "-o", plist], SQLITE))
        t = measure(fast, self.runs)
        t.update(measure(slow[:1], self.slow_runs))
        if full_analyzer:
            t.update(measure(slow[1:], 1))
        t[tidy]["findings"] = warnings_in(t[tidy]["stdout"])
        t[tidy]["tool"] = tidy
        t["flawfinder"]["findings"] = len(re.findall(
            r"^sqlite3\.c:\d+:", t["flawfinder"]["stdout"], re.MULTILINE))
        for name in ("analyzer", "analyzer-default"):
            if name in t:
                t[name]["findings"] = warnings_in(t[name]["stderr"])
        for r in t.values():
            del r["stdout"], r["stderr"]
        return t

    # SQLite: `mitigate scan`, a separate parse through libclang

    def sqlite_scan(self):
        """
        `mitigate scan` of sqlite3.c against `clang -fsyntax-only` of the
        same file, from a compile_commands.json with the same flags: median
        times and instructions (all threads), and whether the scan's facts
        are the plugin's but for the fields naming the front end.
        """
        d = os.path.join(SQLITE, "scan")
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        cc = os.path.join(d, "compile_commands.json")
        with open(cc, "w") as f:
            json.dump([{"directory": SQLITE, "file": "sqlite3.c",
                        "arguments": [self.clang, "-fsyntax-only", "-w",
                                      "sqlite3.c"]}], f)
        syntax = [self.clang, "-fsyntax-only", "-w", "sqlite3.c"]
        scan = [self.mitigate, "scan", "-p", cc, "--facts",
                os.path.join(d, "facts"), "--force", "-j", "1"]
        t = measure([("plain", syntax, SQLITE), ("scan", scan, SQLITE)],
                    self.runs)
        ir = callgrind([("plain", syntax, SQLITE), ("scan", scan, SQLITE)])
        out = {"plain": t["plain"], "scan": t["scan"], "runs": self.runs}
        for name in ("plain", "scan"):
            del out[name]["stdout"], out[name]["stderr"]
            out[name]["instructions"] = ir[name][0]
        out["callgrind_command"] = ir["scan"][1]

        def facts_of(folder):
            path = glob.glob(os.path.join(folder, "*.facts"))[0]
            facts = json.loads(capture([self.mitigate, "facts", path]))
            facts.pop("frontend")
            facts.pop("arguments", None)
            return facts
        out["same_facts"] = (facts_of(os.path.join(SQLITE, "facts"))
                             == facts_of(os.path.join(d, "facts")))
        return out

    # Generated projects: check and matrix

    def generate(self, n):
        """bench/gen-project's output for n functions, made anew when the
        generator changed."""
        gen = os.path.join(ROOT, "bench", "gen-project")
        d = os.path.join(WORK, "gen-%d" % n)
        stamp = os.path.join(d, ".generator")
        with open(gen, "rb") as f:
            want = hashlib.sha256(f.read()).hexdigest()
        if os.path.exists(stamp) and open(stamp).read() == want:
            return d
        shutil.rmtree(d, ignore_errors=True)
        subprocess.run([gen, "--functions", str(n), d], check=True)
        with open(stamp, "w") as f:
            f.write(want)
        return d

    def project(self, n):
        d = self.generate(n)
        print("bench/run: %d functions" % n)
        with open(os.path.join(d, "counts.json")) as f:
            counts = json.load(f)
        for sub in ("facts", "stamp"):
            shutil.rmtree(os.path.join(d, sub), ignore_errors=True)
        make = ["make", "-j2", "CLANG=" + self.clang, "PLUGIN=" + self.plugin,
                "INCLUDE=" + os.path.join(ROOT, "annotations")]
        seconds, _, _, _, _ = timed_once(make, d)
        facts = glob.glob(os.path.join(d, "facts", "*.facts"))
        inputs = ["--model", "threats.yaml", "--facts", "facts",
                  "--results", "junit.xml"]
        runs = self.runs if n <= 100000 else self.slow_runs
        commands = []
        for tag, binary in [("", self.mitigate)] + (
                [("baseline_", self.baseline_bin)] if self.baseline else []):
            commands += [
                (tag + "check", [binary, "check"] + inputs
                 + ["--sarif", tag + "check.sarif"], d),
                (tag + "matrix", [binary, "matrix"] + inputs
                 + ["--format", "html", "-o", tag + "matrix.html"], d),
            ]
        t = measure(commands, runs, ok=(0, 1))
        summary = [x for x in t["check"]["stderr"].splitlines()
                   if x.startswith("mitigate: ") and " finding" in x]
        for r in t.values():
            del r["stdout"], r["stderr"]
        baseline = None
        if self.baseline:
            baseline = {"revision": self.baseline_commit,
                        "check": t["baseline_check"],
                        "matrix": t["baseline_matrix"],
                        "same_sarif": same_sarif(
                            os.path.join(d, "check.sarif"),
                            os.path.join(d, "baseline_check.sarif"))}
        return {
            "baseline": baseline,
            "functions": n,
            "counts": counts,
            "compile_s": seconds,
            "compile_command": shown(make, d),
            "facts_files": len(facts),
            "facts_bytes": sum(os.path.getsize(p) for p in facts),
            "check": t["check"],
            "matrix": t["matrix"],
            "summary": summary[-1] if summary else "",
        }

    def profile_check(self, n):
        """Where check's instructions go, by phase (callgrind)."""
        d = os.path.join(WORK, "gen-%d" % n)
        out = tempfile.NamedTemporaryFile(suffix=".callgrind", delete=False)
        out.close()
        args = [self.mitigate, "check", "--model", "threats.yaml",
                "--facts", "facts", "--results", "junit.xml",
                "--sarif", "check.sarif"]
        subprocess.run(["valgrind", "--tool=callgrind",
                        "--callgrind-out-file=" + out.name] + args, cwd=d,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        total = callgrind_total(out.name)
        text = capture(["callgrind_annotate", "--inclusive=yes",
                        "--threshold=100", out.name])
        os.unlink(out.name)
        phases = {}
        for name in PHASES:
            m = re.search(r"^\s*([\d,]+) .*:%s \[" % re.escape(name), text,
                          re.MULTILINE)
            phases[name] = int(m.group(1).replace(",", "")) if m else 0
        return {"functions": n, "total": total, "phases": phases,
                "command": shown(args, d, "valgrind --tool=callgrind ")}


def same_sarif(a, b):
    """Whether two SARIF logs say the same but for when they were made."""
    def load(path):
        with open(path) as f:
            log = json.load(f)
        for run in log["runs"]:
            for inv in run.get("invocations", []):
                inv.pop("endTimeUtc", None)
        return log
    return load(a) == load(b)


# check's phases, as functions whose inclusive cost callgrind reports.
PHASES = ["load_files", "model_load", "results_load", "analysis_run",
          "sarif_prepare", "sarif_write", "inputs_release"]

