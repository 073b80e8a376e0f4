#!/bin/sh
# The test runner behind `make test` (course section: testing).
#
# Usage: tools/test.sh [unit] [linux] [sysgate] [compat] [boot] [gdb]
#        (no argument: all of them, in that order)
#
#   unit     host unit tests of pure kernel code (tests/unit)
#   linux    the user test suite run on this Linux: the oracle
#   sysgate  the same binaries, each booted in QEMU as the first process
#   compat   programs built without our libc (gcc -nostdlib, musl-gcc,
#            gcc -static with glibc):
#            same output and exit status on Linux and on sysgate
#   boot     whole-system tests: the shell driven over the serial line
#   gdb      the debugger stops at the syscall entry and steps into C
#
# Every test prints "PASS name" or "FAIL name: reason"; this script keeps
# those lines (prefixed with where they ran), adds a FAIL for a binary that
# crashed, hung or exited non-zero, and ends with "N passed, N failed".
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
build=${SYSGATE_BUILD:-$top/build} # SYSGATE_BUILD: another build directory (make test-kasan)
results=$build/test-results.txt
mkdir -p "$build/unit"
: > "$results"
SYSGATE_TIMEOUT=${SYSGATE_TIMEOUT:-300}

report() { tee -a "$results"; }

# Keep a test's result lines, prefixed with where it ran (unless the test
# named that itself: the unit, boot and gdb tests do).
keep() { # prefix
	grep -aE '^(PASS|FAIL|SKIP) ' | sed -E "/^(PASS|FAIL|SKIP) $1[/:]/!s#^(PASS|FAIL|SKIP) #\1 $1/#"
}

# Run one test program's output through keep(), and fail it if it exited
# non-zero without saying why.
judge() { # prefix name status output-file
	keep "$1" < "$4" | report
	if [ "$3" != 0 ] && ! grep -qa '^FAIL ' "$4"; then
		echo "FAIL $1/$2: exited with status $3 ($(tail -n 3 "$4" | tr '\n' ' ' | cut -c1-200))" | report
	fi
}

run_unit() {
	for src in tests/unit/test_*.c; do
		name=$(basename "$src" .c)
		extra=$(sed -n 's/.*UNIT_SOURCES: *//p' "$src")
		out=$build/unit/$name
		if ! gcc -O1 -g -std=gnu11 -DHOST_TEST -I. -I"$build/gen" -Itests/unit -w -o "$out" "$src" $extra 2> "$out.err"; then
			echo "FAIL unit/$name: does not compile: $(head -c 300 "$out.err")" | report
			continue
		fi
		timeout 60 "$out" > "$out.log" 2>&1
		judge unit "$name" $? "$out.log"
	done
	for sh in tests/unit/test_*.sh; do
		name=$(basename "$sh" .sh)
		sh "$sh" > "$build/unit/$name.log" 2>&1
		judge unit "$name" $? "$build/unit/$name.log"
	done
}

run_linux() {
	for t in "$build"/user/tests/*; do
		[ -x "$t" ] && [ -f "$t" ] || continue
		case $t in *.o | *.d) continue ;; esac
		name=$(basename "$t")
		log=$build/unit/linux-$name.log
		(cd /tmp && timeout 300 "$t" > "$log" 2>&1)
		judge linux "$name" $? "$log"
	done
}

run_sysgate() {
	for t in "$build"/user/tests/*; do
		[ -x "$t" ] && [ -f "$t" ] || continue
		case $t in *.o | *.d) continue ;; esac
		name=$(basename "$t")
		log=$build/unit/sysgate-$name.log
		RUN_ELF_LOG=$build/unit/sysgate-$name.kernel.log tools/run-elf -t "$SYSGATE_TIMEOUT" "$t" > "$log" 2>&1
		status=$?
		judge sysgate "$name" "$status" "$log"
		if grep -qa 'Oops\|Kernel panic' "$build/unit/sysgate-$name.kernel.log" 2>/dev/null; then
			echo "FAIL sysgate/$name: the kernel oopsed (see $build/unit/sysgate-$name.kernel.log)" | report
		fi
		# A sanitizer's report is a kernel bug, unless it names a module
		# that has bugs on purpose (modules/oops.c, modules/diagdemo.c).
		if grep -a '^UBSAN: \|^BUG: KASAN: \|^watchdog: BUG: ' "$build/unit/sysgate-$name.kernel.log" 2>/dev/null |
			grep -qva 'modules/oops\.c\|modules/diagdemo\.c\|\[module oops\]\|\[module diagdemo\]\|\[diag:'; then
			echo "FAIL sysgate/$name: a kernel checker reported a bug (see $build/unit/sysgate-$name.kernel.log)" | report
		fi
		# The leak scanner's run at the end of the boot: objects nothing
		# points to any more (but diagdemo's own, whose bytes say "diagdemo").
		leaks=$(awk '/^unreferenced object/ { want = 1 } /^  hex dump/ && want { getline; if ($0 !~ /^ *64 69 61 67 64 65 6d 6f/) n++; want = 0 } END { print n + 0 }' \
			"$build/unit/sysgate-$name.kernel.log" 2>/dev/null)
		if [ "${leaks:-0}" != 0 ]; then
			echo "FAIL sysgate/$name: the leak scanner found $leaks unreferenced objects (see $build/unit/sysgate-$name.kernel.log)" | report
		fi
	done
}

# A program must behave the same on both systems: same stdout, same status.
compare() { # name file [args]
	name=$1
	shift
	exp=$build/unit/compat-$name.linux
	got=$build/unit/compat-$name.sysgate
	(cd /tmp && timeout 60 "$@" > "$exp" 2>/dev/null)
	want=$?
	tools/run-elf -t 120 "$@" > "$got" 2>/dev/null
	have=$?
	if [ "$want" != "$have" ]; then
		echo "FAIL compat/$name: exit status $have on sysgate, $want on Linux" | report
	elif ! cmp -s "$exp" "$got"; then
		echo "FAIL compat/$name: output differs from Linux: $(diff "$exp" "$got" | head -n 4 | tr '\n' ' ')" | report
	else
		echo "PASS compat/$name: same output and exit status ($have) as on Linux" | report
	fi
}

run_compat() {
	if [ "$(tools/run-elf build/user/hello 2>/dev/null)" = "Hello from user mode!" ]; then
		echo "PASS compat/run-elf-hello: tools/run-elf build/user/hello prints its line and exits 0" | report
	else
		echo "FAIL compat/run-elf-hello: tools/run-elf build/user/hello did not print its line" | report
	fi
	for t in "$build"/user/raw/* "$build"/user/musl/* "$build"/user/glibc/*; do
		[ -x "$t" ] && [ -f "$t" ] || continue
		compare "$(basename "$(dirname "$t")")-$(basename "$t")" "$t" one "two words"
	done
}

run_scripts() { # directory
	for s in "$1"/*.sh; do
		[ -f "$s" ] || continue
		name=$(basename "$s" .sh)
		log=$build/unit/$(basename "$1")-$name.log
		timeout 600 sh "$s" > "$log" 2>&1
		judge "$(basename "$1")" "$name" $? "$log"
	done
}

[ $# -eq 0 ] && set -- unit linux sysgate compat boot gdb
for part in "$@"; do
	case $part in
	unit) run_unit ;;
	linux) run_linux ;;
	sysgate) run_sysgate ;;
	compat) run_compat ;;
	boot) run_scripts tests/boot ;;
	gdb) run_scripts tests/gdb ;;
	*) echo "test.sh: unknown part '$part'" >&2; exit 2 ;;
	esac
done
passed=$(grep -c '^PASS ' "$results")
failed=$(grep -c '^FAIL ' "$results")
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
