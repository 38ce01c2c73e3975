#!/bin/sh
# run.sh: the bundled example, end to end, against one build.
#
# Copies examples/syringe-pump into the build tree and runs
# `make check matrix` there with the build's plugin and command, as a
# user would: the gate must pass, the SARIF log must be written, and the
# JSON matrix must show no gaps and every test passed. Then it breaks a
# thwart test on purpose and requires the gate to fail (mitigate exits
# 1) with an MR0101 finding that names the test. Last, it runs the
# browser test of the HTML matrix on the example's matrix.
#
# usage: run.sh PREFIX CLANG NODE RENDER_MATRIX WORK
#   PREFIX         the build: PREFIX/bin/mitigate, PREFIX/lib/mitigate.so
#   CLANG          the clang of the LLVM the plugin was built for
#   NODE           node, for the browser test
#   RENDER_MATRIX  the browser test's helper that renders a matrix
#   WORK           a folder in the build tree, emptied first; keeps the
#                  example's copy, the logs and the screenshot matrix.png
set -eu

if [ $# -ne 5 ]; then
	echo "usage: run.sh PREFIX CLANG NODE RENDER_MATRIX WORK" >&2
	exit 2
fi
prefix=$1
clang=$2
node=$3
render_matrix=$4
work=$5
root=$(cd "$(dirname "$0")/../.." && pwd)
example="$work/syringe-pump"
broken_test=test_replayed_command_is_rejected

fail() {
	echo "example: $*" >&2
	exit 1
}

# Runs make in the example's copy with the build's tools; the output
# goes to the log named by $1.
run_make() {
	log=$1
	shift
	make -C "$example" CC="$clang" MITIGATE_PREFIX="$prefix" \
		MITIGATE_INCLUDE="$root/annotations" "$@" >"$log" 2>&1
}

for f in "$prefix/bin/mitigate" "$prefix/lib/mitigate.so" "$clang" \
	"$render_matrix"; do
	[ -e "$f" ] || fail "$f: not found; build first"
done

rm -rf "$work"
mkdir -p "$work"
cp -R "$root/examples/syringe-pump" "$example"
rm -rf "$example/build"

# The example as shipped passes the gate.
if ! run_make "$work/pass.log" check matrix; then
	cat "$work/pass.log" >&2
	fail "make check matrix failed; log above"
fi
[ -s "$example/build/mitigate.sarif" ] || fail "no SARIF log written"
for format in html md csv json; do
	[ -s "$example/build/matrix.$format" ] ||
		fail "no build/matrix.$format written"
done

# Its matrix has no gaps, and every test, declared ones too, passed.
"$node" - "$example/build/matrix.json" <<'EOF' || fail "matrix.json: see above"
const doc = JSON.parse(require('node:fs').readFileSync(process.argv[2]));
const problems = [];
let tests = 0;
for (const {threat, mitigation} of doc.rows) {
  if (threat.status === 'gaps') problems.push(`${threat.id}: status gaps`);
  if (!mitigation) continue;
  if (mitigation.status === 'gaps') {
    problems.push(`${threat.id}/${mitigation.id}: gaps: ` +
      mitigation.gaps.join('; '));
  }
  for (const [kind, list] of Object.entries(mitigation.tests)) {
    for (const t of list) {
      tests += 1;
      if (t.result !== 'passed') {
        problems.push(`${mitigation.id} ${kind} test ${t.id}: ${t.result}`);
      }
    }
  }
}
if (!doc.rows.length || !tests) problems.push('no rows or no tests');
if (problems.length) {
  console.error(problems.join('\n'));
  process.exitCode = 1;
}
EOF

# A thwart test that fails: the replay test now sends an "older"
# command that is newer, which the freshness check rightly accepts.
test_file="$example/tests/test_pump.c"
sed 's/const struct command older = {17,/const struct command older = {43,/' \
	"$test_file" >"$test_file.new"
cmp -s "$test_file" "$test_file.new" &&
	fail "tests/test_pump.c: the line to break is gone; update run.sh"
mv "$test_file.new" "$test_file"

if run_make "$work/fail.log" check; then
	cat "$work/fail.log" >&2
	fail "make check passed with a failing thwart test"
fi
# GNU make reports the exit status of the recipe that failed.
if ! grep -q '\[Makefile:[0-9]*: check\] Error 1$' "$work/fail.log" ||
	! grep -q "error: thwart test '$broken_test' .*\[MR0101\]$" \
		"$work/fail.log"; then
	cat "$work/fail.log" >&2
	fail "make check did not fail with MR0101 for $broken_test"
fi

# The browser test, on the example's matrix of the passing run.
MATRIX_JSON="$example/build/matrix.json" RENDER_MATRIX="$render_matrix" \
	MATRIX_OUT_DIR="$work/browser" MATRIX_SCREENSHOT="$work/matrix.png" \
	"$node" "$root/tests/browser/matrix.test.js"
