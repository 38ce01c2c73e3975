#!/bin/sh
# run.sh: the CMake package's refusals and messages, on small projects.
#
# Installs this build to a prefix, then configures one throwaway project
# per case against the installed package. Each bad use of
# mitigate_enable(), mitigate_add_test() and mitigate_check() must stop
# configuring with its message; MITIGATE_FACTS_FROM must choose plugin
# or scan as asked; and a test registered with mitigate_add_test() whose
# program writes no JUnit XML must fail, saying so. The good paths are
# the example's (tests/example/run.sh).
#
# usage: run.sh BUILD CLANG GCC WORK
set -eu

if [ $# -ne 4 ]; then
	echo "usage: run.sh BUILD CLANG GCC WORK" >&2
	exit 2
fi
build=$1
clang=$2
gcc=$3
work=$4
prefix="$work/prefix"
cases=0

fail() {
	echo "cmake-package: $*" >&2
	exit 1
}

# project NAME BODY [LANGUAGES]: a project in $work/NAME whose
# CMakeLists.txt ends with BODY, with a threat model, a source and a
# test program. LANGUAGES is C, or NONE (the default) for a case that
# must stop before anything is compiled, which skips the compiler checks.
project() {
	dir="$work/$1"
	mkdir -p "$dir"
	cat >"$dir/threats.yaml" <<'EOF'
mitigate: 1
mitigations:
  - id: M-1
    title: A mitigation
    control: integrity
EOF
	cp "$dir/threats.yaml" "$dir/other.yaml"
	printf 'int check(int x) { return x > 0; }\n' >"$dir/lib.c"
	printf 'int main(void) { return 0; }\n' >"$dir/quiet.c"
	cat >"$dir/CMakeLists.txt" <<EOF
cmake_minimum_required(VERSION 3.20)
project(case ${3:-NONE})
find_package(Mitigate REQUIRED)
add_library(lib STATIC lib.c)
add_executable(quiet quiet.c)
enable_testing()
$2
EOF
}

# configure NAME COMPILER [ARGS...]: configures $work/NAME, output in
# $work/NAME.log; returns cmake's status.
configure() {
	name=$1
	cc=$2
	shift 2
	cmake -S "$work/$name" -B "$work/$name/build" -G Ninja \
		-DCMAKE_C_COMPILER="$cc" -DCMAKE_PREFIX_PATH="$prefix" "$@" \
		>"$work/$name.log" 2>&1
}

# says LOG TEXT: LOG holds TEXT, wherever CMake wrapped its lines.
says() {
	tr '\n' ' ' <"$1" | tr -s ' ' | grep -qF -- "$2"
}

# refused NAME TEXT BODY: configuring BODY must fail, saying TEXT.
refused() {
	cases=$((cases + 1))
	project "$1" "$3"
	if configure "$1" "$clang"; then
		cat "$work/$1.log" >&2
		fail "$1: configuring passed"
	fi
	says "$work/$1.log" "$2" || {
		cat "$work/$1.log" >&2
		fail "$1: no '$2'"
	}
}

rm -rf "$work"
mkdir -p "$work"
cmake --install "$build" --prefix "$prefix" >"$work/install.log" 2>&1 ||
	fail "cmake --install failed; see $work/install.log"

refused no-model "mitigate_enable: MODEL is required" \
	'mitigate_enable(TARGET lib)'
refused no-target "mitigate_enable: TARGET is required" \
	'mitigate_enable(MODEL threats.yaml)'
refused missing-model "mitigate_enable: threat model" \
	'mitigate_enable(TARGET lib MODEL nowhere.yaml)'
refused not-a-target "mitigate_enable: 'nothing' is not a target" \
	'mitigate_enable(TARGET nothing MODEL threats.yaml)'
refused interface "mitigate_enable: 'iface' compiles no sources" \
	'add_library(iface INTERFACE)
mitigate_enable(TARGET iface MODEL threats.yaml)'
refused two-models "differs from" \
	'mitigate_enable(TARGET lib MODEL threats.yaml)
mitigate_enable(TARGET quiet MODEL other.yaml)'
refused bad-fail-on "mitigate_check: FAIL_ON takes error, warning, note, new or none, not 'fatal'" \
	'mitigate_enable(TARGET lib MODEL threats.yaml)
mitigate_check(FAIL_ON fatal)'
refused new-without-baseline "mitigate_check: FAIL_ON new needs BASELINE" \
	'mitigate_enable(TARGET lib MODEL threats.yaml)
mitigate_check(FAIL_ON new)'
refused bad-format "mitigate_check: MATRIX takes html, md, csv and json, not 'pdf'" \
	'mitigate_enable(TARGET lib MODEL threats.yaml)
mitigate_check(MATRIX html pdf)'
refused twice "mitigate_check: called twice" \
	'mitigate_enable(TARGET lib MODEL threats.yaml)
mitigate_check()
mitigate_check()'
refused bad-test-name "mitigate_add_test: NAME 'a/b' must be" \
	'mitigate_add_test(NAME a/b COMMAND quiet)'
refused nothing-enabled "no target was enabled with mitigate_enable()" \
	'mitigate_add_test(NAME quiet COMMAND quiet)'
refused taken "already has a target named mitigate-check" \
	'add_custom_target(mitigate-check)
mitigate_enable(TARGET lib MODEL threats.yaml)'

# The choice of plugin or scan, as MITIGATE_FACTS_FROM asks.
cases=$((cases + 1))
project choose 'mitigate_enable(TARGET lib MODEL threats.yaml)' C
configure choose "$gcc" -DMITIGATE_FACTS_FROM=plugin &&
	fail "choose: MITIGATE_FACTS_FROM=plugin accepted gcc"
says "$work/choose.log" \
	"MITIGATE_FACTS_FROM is plugin, but the C compiler is GNU" || fail "choose: no refusal of gcc; see $work/choose.log"
rm -rf "$work/choose/build"
configure choose "$clang" -DMITIGATE_FACTS_FROM=scan ||
	fail "choose: MITIGATE_FACTS_FROM=scan failed; see $work/choose.log"
says "$work/choose.log" \
	"facts from \`mitigate scan\` (MITIGATE_FACTS_FROM=scan)" || fail "choose: scan not chosen; see $work/choose.log"
if grep -q -- "-fplugin=" "$work/choose/build/build.ninja"; then
	fail "choose: scan chosen, but the plugin's flags are on the compile"
fi
rm -rf "$work/choose/build"
configure choose "$clang" -DMITIGATE_FACTS_FROM=sometimes &&
	fail "choose: MITIGATE_FACTS_FROM=sometimes accepted"
says "$work/choose.log" \
	"MITIGATE_FACTS_FROM is 'sometimes'; use auto, plugin or scan" || fail "choose: no refusal; see $work/choose.log"

# A test program that writes no JUnit XML fails its test.
cases=$((cases + 1))
project quiet 'mitigate_enable(TARGET lib quiet MODEL threats.yaml)
mitigate_add_test(NAME quiet COMMAND quiet)' C
configure quiet "$clang" || fail "quiet: configuring failed"
cmake --build "$work/quiet/build" >"$work/quiet-build.log" 2>&1 ||
	fail "quiet: build failed; see $work/quiet-build.log"
if ctest --test-dir "$work/quiet/build" --output-on-failure \
	>"$work/quiet-ctest.log" 2>&1; then
	fail "quiet: a test that wrote no JUnit XML passed"
fi
says "$work/quiet-ctest.log" \
	"wrote no JUnit XML to $work/quiet/build/mitigate/results/quiet.xml" || {
	cat "$work/quiet-ctest.log" >&2
	fail "quiet: no message about the missing XML"
}

echo "cmake-package: $cases passed, 0 failed"
