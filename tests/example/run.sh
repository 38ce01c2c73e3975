#!/bin/sh
# run.sh: the bundled example, end to end, the way a user builds it.
#
# 1. Installs this build of mitigate to a prefix with `cmake --install`.
# 2. Configures a copy of examples/syringe-pump against the installed
#    package only (CMAKE_PREFIX_PATH), with the clang the plugin was
#    built for; builds it with eight compiles at once (every facts file
#    must read whole, with no temporary file left), runs its tests with
#    ctest (each writes JUnit XML) and builds mitigate-check. The gate
#    must pass, and the JSON matrix must show every mitigation verified,
#    with a passing test of each kind a, b and c, and the declared
#    penetration tests passed.
# 3. Breaks a thwart test on purpose and rebuilds. Before the tests run
#    again, mitigate-check must leave the stale results out and fail
#    with MR0102; after ctest, it must fail with MR0101 naming the test.
# 4. Configures the example with gcc: the package must say that the
#    facts come from `mitigate scan`, set up compile_commands.json, and
#    make mitigate-check run the scan. When this mitigate has the scan
#    command, the gcc build must pass the gate as well; when it has
#    not, configuring must warn and mitigate-check must fail.
# 5. Runs the browser test on the example's matrix.
#
# usage: run.sh BUILD CLANG GCC NODE RENDER_MATRIX WORK
#   BUILD          the mitigate build folder to install from
#   CLANG, GCC     the compilers
#   NODE           node, for the JSON checks and the browser test
#   RENDER_MATRIX  the browser test's helper that renders a matrix
#   WORK           a folder, emptied first; keeps the prefix, the
#                  example's copy and builds, the logs, and matrix.png
set -eu

if [ $# -ne 6 ]; then
	echo "usage: run.sh BUILD CLANG GCC NODE RENDER_MATRIX WORK" >&2
	exit 2
fi
build=$1
clang=$2
gcc=$3
node=$4
render_matrix=$5
work=$6
root=$(cd "$(dirname "$0")/../.." && pwd)
prefix="$work/prefix"
example="$work/syringe-pump"
broken=test_recorded_commands_replayed_are_refused
broken_file="$example/tests/test_command.c"

fail() {
	echo "example: $*" >&2
	exit 1
}

# run LOG COMMAND...: runs the command with its output in LOG; returns
# its exit status.
run() {
	log=$1
	shift
	"$@" >"$log" 2>&1
}

# must LOG COMMAND...: the command must succeed; else its log is shown.
must() {
	if ! run "$@"; then
		cat "$1" >&2
		shift
		fail "failed: $*"
	fi
}

# expect_in LOG TEXT: LOG must hold the fixed string TEXT.
expect_in() {
	if ! grep -qF -- "$2" "$1"; then
		cat "$1" >&2
		fail "$1: no '$2'"
	fi
}

# check_matrix JSON: every mitigation verified, a passing test of each
# kind, every test passed, the declared tests among them.
check_matrix() {
	"$node" - "$1" <<'EOF' || fail "$1: see above"
const doc = JSON.parse(require('node:fs').readFileSync(process.argv[2]));
const problems = [];
const declared = new Set();
const mitigations = new Set();
for (const {threat, mitigation} of doc.rows) {
  if (threat.status !== 'verified' && threat.status !== 'accepted')
    problems.push(`${threat.id}: ${threat.status}`);
  if (!mitigation) continue;
  mitigations.add(mitigation.id);
  if (mitigation.status !== 'verified')
    problems.push(`${mitigation.id}: ${mitigation.gaps.join('; ')}`);
  for (const [kind, tests] of Object.entries(mitigation.tests)) {
    if (!tests.some((t) => t.result === 'passed'))
      problems.push(`${mitigation.id}: no passing ${kind} test`);
    for (const t of tests) {
      if (t.result !== 'passed')
        problems.push(`${mitigation.id} ${kind} ${t.id}: ${t.result}`);
      if (t.declared) declared.add(t.id);
    }
  }
}
const cov = doc.report.totals.coverage;
const n = doc.report.totals.mitigations;
if (n < 8 || mitigations.size !== n) problems.push(`${n} mitigations`);
for (const kind of ['effectiveness', 'thwart', 'side-effect'])
  if (cov[kind] !== n) problems.push(`coverage ${kind}: ${cov[kind]}/${n}`);
for (const id of ['PT-3', 'PT-4'])
  if (!declared.has(id)) problems.push(`declared test ${id} missing`);
if (problems.length) {
  console.error(problems.join('\n'));
  process.exitCode = 1;
}
EOF
}

# configure DIR COMPILER LOG: configures the copy of the example.
configure() {
	must "$3" cmake -S "$example" -B "$1" -G Ninja \
		-DCMAKE_C_COMPILER="$2" -DCMAKE_PREFIX_PATH="$prefix"
}

for f in "$build/bin/mitigate" "$build/lib/mitigate.so" "$clang" "$gcc" \
	"$render_matrix"; do
	[ -e "$f" ] || command -v "$f" >/dev/null || fail "$f: not found"
done

rm -rf "$work"
mkdir -p "$work"
cp -R "$root/examples/syringe-pump" "$example"
rm -rf "$example/build"

# 1. Install.
must "$work/install.log" cmake --install "$build" --prefix "$prefix"
[ -f "$prefix/lib/cmake/Mitigate/MitigateConfig.cmake" ] ||
	fail "no MitigateConfig.cmake under $prefix/lib/cmake/Mitigate"

# 2. The example with clang and the plugin passes its gate.
out="$work/clang"
configure "$out" "$clang" "$work/configure.log"
expect_in "$work/configure.log" "mitigate: facts from the plugin"
grep -qx "Mitigate_DIR:PATH=$prefix/lib/cmake/Mitigate" "$out/CMakeCache.txt" ||
	fail "the example did not find the package installed in $prefix"
must "$work/build.log" cmake --build "$out" -j 8
# Eight compiles at once wrote the facts: each file reads whole, and no
# temporary file is left beside them.
for f in "$out"/mitigate/facts/*; do
	case $f in
	*.facts) must "$work/facts.log" "$prefix/bin/mitigate" facts "$f" ;;
	*) fail "$f: left in the facts folder" ;;
	esac
done
must "$work/ctest.log" ctest --test-dir "$out" --output-on-failure
must "$work/check.log" cmake --build "$out" --target mitigate-check
expect_in "$work/check.log" "mitigate-check: the gate passed"
for f in mitigate.sarif matrix.html matrix.md matrix.csv matrix.json; do
	[ -s "$out/mitigate/$f" ] || fail "no $out/mitigate/$f written"
done
check_matrix "$out/mitigate/matrix.json"
cp "$out/mitigate/matrix.json" "$work/matrix-passed.json"

# 3. A broken thwart test: the replay is now expected to go through.
sed '/^static void '"$broken"'(/,/^}/s/bolus_size), REPLY_REPLAYED);/bolus_size), REPLY_OK);/' \
	"$broken_file" >"$broken_file.new"
cmp -s "$broken_file" "$broken_file.new" &&
	fail "$broken_file: the line to break is gone; update run.sh"
mv "$broken_file.new" "$broken_file"
must "$work/rebuild.log" cmake --build "$out"

if run "$work/stale.log" cmake --build "$out" --target mitigate-check; then
	cat "$work/stale.log" >&2
	fail "mitigate-check passed on results older than the test program"
fi
expect_in "$work/stale.log" "the results of test 'test_command' are older than"
expect_in "$work/stale.log" "error: thwart test '$broken' of mitigation 'M-CMD-FRESHNESS' has no result in the results given; it is not evidence [MR0102]"

if run "$work/ctest-broken.log" ctest --test-dir "$out"; then
	fail "ctest passed with a broken test"
fi
if run "$work/fail.log" cmake --build "$out" --target mitigate-check; then
	cat "$work/fail.log" >&2
	fail "mitigate-check passed with a failing thwart test"
fi
expect_in "$work/fail.log" "error: thwart test '$broken' of mitigation 'M-CMD-FRESHNESS' failed"
expect_in "$work/fail.log" "[MR0101]"
expect_in "$work/fail.log" "mitigate-check: the gate failed"
[ "$(grep -c '\[MR0' "$work/fail.log")" -eq 1 ] ||
	fail "$work/fail.log: expected exactly one MR finding"

# 4. gcc: the facts come from `mitigate scan`.
out="$work/gcc"
configure "$out" "$gcc" "$work/configure-gcc.log"
expect_in "$work/configure-gcc.log" "mitigate: the C compiler is GNU"
expect_in "$work/configure-gcc.log" "takes the facts from \`mitigate scan\`"
expect_in "$out/compile_commands.json" "src/auth.c"
expect_in "$out/mitigate/check-settings.cmake" "set(MITIGATE_SCAN [==[TRUE]==])"
# The project's compiler may be asked for its include folders.
expect_in "$out/mitigate/check-settings.cmake" \
	"set(MITIGATE_SCAN_DRIVERS [==[$(command -v "$gcc")"
if "$prefix/bin/mitigate" scan --help >/dev/null 2>&1; then
	cp "$root/examples/syringe-pump/tests/test_command.c" "$broken_file"
	must "$work/build-gcc.log" cmake --build "$out"
	must "$work/ctest-gcc.log" ctest --test-dir "$out"
	must "$work/check-gcc.log" cmake --build "$out" --target mitigate-check
	check_matrix "$out/mitigate/matrix.json"
else
	# CMake wraps warnings to the width of the text, so join the lines.
	tr -s ' \n' '  ' <"$work/configure-gcc.log" >"$work/configure-gcc.txt"
	expect_in "$work/configure-gcc.txt" "has no \`scan\` command"
fi

# 5. The browser test, on the example's matrix of the passing run.
MATRIX_JSON="$work/matrix-passed.json" \
	RENDER_MATRIX="$render_matrix" MATRIX_OUT_DIR="$work" \
	MATRIX_SCREENSHOT="$work/matrix.png" \
	"$node" "$root/tests/browser/matrix.test.js"
