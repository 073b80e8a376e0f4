#!/bin/bash
# The test runner behind `make test` (course section: testing).
#
# Usage: tools/test.sh [PART [NAME...]]...
#        (no argument: all the parts, in the order below)
#        tools/test.sh sysgate signals pipes   two binaries booted in sysgate
#        tools/test.sh linux signals sysgate signals boot poweroff
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
# crashed, hung or exited non-zero, and ends with the failures again, each
# with its log, "N passed, N failed" and the time taken. "RUN part/name"
# says when a test starts. Boots (sysgate, compat, boot) run in parallel,
# TEST_JOBS at a time (default: the number of CPUs).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
build=${SYSGATE_BUILD:-$top/build} # SYSGATE_BUILD: another build directory (make test-kasan)
results=$build/test-results.txt
mkdir -p "$build/unit"
: > "$results"
failures=$build/test-failures.txt
: > "$failures"
SYSGATE_TIMEOUT=${SYSGATE_TIMEOUT:-300}
slots=${TEST_JOBS:-$(nproc 2>/dev/null || echo 1)}
started=$(date +%s)

report() { tee -a "$results"; }

# Runs a command in the background once fewer than $slots others run.
in_parallel() {
	while [ "$(jobs -rp | wc -l)" -ge "$slots" ]; do wait -n; done
	"$@" &
}

# The names given after the part on the command line; none means all.
wanted() { # name
	[ -z "$names" ] && return 0
	case " $names " in *" $1 "*) return 0 ;; esac
	return 1
}

# Keep a test's result lines, prefixed with where it ran (unless the test
# named that itself: the unit, boot and gdb tests do).
keep() { # prefix
	grep -aE '^(PASS|FAIL|SKIP) ' | sed -E "/^(PASS|FAIL|SKIP) $1[/:]/!s#^(PASS|FAIL|SKIP) #\1 $1/#"
}

# Run one test program's output through keep(), and fail it if it exited
# non-zero without saying why.
# Its FAIL lines also go to the failures list, with the log to read.
judge() { # prefix name status output-file
	{
		keep "$1" < "$4"
		if [ "$3" != 0 ] && ! grep -qa '^FAIL ' "$4"; then
			echo "FAIL $1/$2: exited with status $3 ($(tail -n 3 "$4" | tr '\n' ' ' | cut -c1-200))"
		fi
	} > "$4.results"
	report < "$4.results"
	grep -a '^FAIL ' "$4.results" | failed_with_log "$4"
}

# FAIL lines on stdin, each followed by where its full log is.
failed_with_log() { # log
	while IFS= read -r line; do
		printf '%s\n      log: %s\n' "$line" "$1" >> "$failures"
	done
}

# The kernel's oops or panic lines fail a test even if it printed PASS.
judge_kernel_log() { # prefix name kernel-log
	if grep -qa 'Oops\|Kernel panic' "$3" 2>/dev/null; then
		echo "FAIL $1/$2: the kernel oopsed: $(grep -a -m1 'Oops\|Kernel panic' "$3" | tr -d '\r')" |
			report | failed_with_log "$3"
	fi
	# A sanitizer's report is a kernel bug, unless it names a module
	# that has bugs on purpose (modules/oops.c, modules/diagdemo.c).
	if grep -a '^UBSAN: \|^BUG: KASAN: \|^watchdog: BUG: ' "$3" 2>/dev/null |
		grep -qva 'modules/oops\.c\|modules/diagdemo\.c\|\[module oops\]\|\[module diagdemo\]\|\[diag:'; then
		echo "FAIL $1/$2: a kernel checker reported a bug" | report | failed_with_log "$3"
	fi
	# The leak scanner's run at the end of the boot: objects nothing
	# points to any more (but diagdemo's own, whose bytes say "diagdemo").
	leaks=$(awk '/^unreferenced object/ { want = 1 } /^  hex dump/ && want { getline; if ($0 !~ /^ *64 69 61 67 64 65 6d 6f/) n++; want = 0 } END { print n + 0 }' \
		"$3" 2>/dev/null)
	if [ "${leaks:-0}" != 0 ]; then
		echo "FAIL $1/$2: the leak scanner found $leaks unreferenced objects" | report | failed_with_log "$3"
	fi
}

run_unit() {
	for src in tests/unit/test_*.c; do
		name=$(basename "$src" .c)
		wanted "$name" || continue
		echo "RUN unit/$name"
		extra=$(sed -n 's/.*UNIT_SOURCES: *//p' "$src")
		out=$build/unit/$name
		if ! gcc -O1 -g -std=gnu11 -DHOST_TEST -I. -I"$build/gen" -Itests/unit -w -o "$out" "$src" $extra 2> "$out.err"; then
			echo "FAIL unit/$name: does not compile: $(head -c 300 "$out.err")" | report |
				failed_with_log "$out.err"
			continue
		fi
		timeout 60 "$out" > "$out.log" 2>&1
		judge unit "$name" $? "$out.log"
	done
	for sh in tests/unit/test_*.sh; do
		name=$(basename "$sh" .sh)
		wanted "$name" || continue
		echo "RUN unit/$name"
		sh "$sh" > "$build/unit/$name.log" 2>&1
		judge unit "$name" $? "$build/unit/$name.log"
	done
}

run_linux() {
	for t in "$build"/user/tests/*; do
		[ -x "$t" ] && [ -f "$t" ] || continue
		case $t in *.o | *.d) continue ;; esac
		name=$(basename "$t")
		wanted "$name" || continue
		echo "RUN linux/$name"
		log=$build/unit/linux-$name.log
		(cd /tmp && timeout 300 "$t" > "$log" 2>&1)
		judge linux "$name" $? "$log"
	done
}

# One binary booted as init; its output and the kernel's log kept apart.
sysgate_one() { # binary
	name=$(basename "$1")
	log=$build/unit/sysgate-$name.log
	klog=$build/unit/sysgate-$name.kernel.log
	RUN_ELF_LOG=$klog tools/run-elf -t "$SYSGATE_TIMEOUT" "$1" > "$log" 2>&1
	judge sysgate "$name" $? "$log"
	judge_kernel_log sysgate "$name" "$klog"
}

# A binary whose source says "test.sh: boot alone" is run after the others,
# with no other QEMU beside it (its checks measure the guest's CPU shares,
# which a second QEMU on the same cores would skew).
boots_alone() { grep -q 'test.sh: boot alone' "user/tests/$1.c" 2>/dev/null; }

run_sysgate() {
	alone=
	for t in "$build"/user/tests/*; do
		[ -x "$t" ] && [ -f "$t" ] || continue
		case $t in *.o | *.d) continue ;; esac
		wanted "$(basename "$t")" || continue
		if boots_alone "$(basename "$t")"; then
			alone="$alone $t"
			continue
		fi
		echo "RUN sysgate/$(basename "$t")"
		in_parallel sysgate_one "$t"
	done
	wait
	for t in $alone; do
		echo "RUN sysgate/$(basename "$t") (alone)"
		sysgate_one "$t"
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
		echo "FAIL compat/$name: exit status $have on sysgate, $want on Linux" | report |
			failed_with_log "$got"
	elif ! cmp -s "$exp" "$got"; then
		echo "FAIL compat/$name: output differs from Linux: $(diff "$exp" "$got" | head -n 4 | tr '\n' ' ')" |
			report | failed_with_log "$got"
	else
		echo "PASS compat/$name: same output and exit status ($have) as on Linux" | report
	fi
}

run_compat() {
	echo "RUN compat/run-elf-hello"
	if [ "$(tools/run-elf build/user/hello 2>/dev/null)" = "Hello from user mode!" ]; then
		echo "PASS compat/run-elf-hello: tools/run-elf build/user/hello prints its line and exits 0" | report
	else
		echo "FAIL compat/run-elf-hello: tools/run-elf build/user/hello did not print its line" | report
	fi
	for t in "$build"/user/raw/* "$build"/user/musl/* "$build"/user/glibc/*; do
		[ -x "$t" ] && [ -f "$t" ] || continue
		name=$(basename "$(dirname "$t")")-$(basename "$t")
		wanted "$name" || continue
		echo "RUN compat/$name"
		in_parallel compare "$name" "$t" one "two words"
	done
	# Debian's busybox: one line of shell per applet (tests/busybox/README.md).
	if [ -x /bin/busybox ]; then
		for s in tests/busybox/*.sh; do
			name=busybox-$(basename "$s" .sh)
			wanted "$name" || continue
			echo "RUN compat/$name"
			in_parallel compare "$name" /bin/busybox sh -c "$(cat "$s")"
		done
	else
		echo "FAIL compat/busybox: /bin/busybox is missing (tools/deps.sh installs busybox-static)" | report
	fi
	wait
}

run_scripts() { # directory
	for s in "$1"/*.sh; do
		[ -f "$s" ] || continue
		name=$(basename "$s" .sh)
		wanted "$name" || continue
		echo "RUN $(basename "$1")/$name"
		in_parallel script_one "$1" "$s"
	done
	wait
}

script_one() { # directory script
	log=$build/unit/$(basename "$1")-$(basename "$2" .sh).log
	timeout 600 sh "$2" > "$log" 2>&1
	judge "$(basename "$1")" "$(basename "$2" .sh)" $? "$log"
}

parts="unit linux sysgate compat boot gdb"
[ $# -eq 0 ] && set -- $parts
# Each part with the names that follow it (none: all its tests).
while [ $# -gt 0 ]; do
	part=$1
	shift
	case " $parts " in *" $part "*) ;; *) echo "test.sh: unknown part '$part' (parts: $parts)" >&2; exit 2 ;; esac
	names=
	while [ $# -gt 0 ] && case " $parts " in *" $1 "*) false ;; *) true ;; esac; do
		names="$names $1"
		shift
	done
	echo "RUN $part"
	case $part in
	unit) run_unit ;;
	linux) run_linux ;;
	sysgate) run_sysgate ;;
	compat) run_compat ;;
	boot) run_scripts tests/boot ;;
	gdb) run_scripts tests/gdb ;;
	esac
done
passed=$(grep -c '^PASS ' "$results")
failed=$(grep -c '^FAIL ' "$results")
if [ "$failed" != 0 ]; then
	echo
	echo "Failed (the full log of each below it):"
	sed 's/^/  /' "$failures"
fi
elapsed=$(($(date +%s) - started))
echo "$passed passed, $failed failed in $((elapsed / 60))m$((elapsed % 60))s (all results: $results)"
[ "$failed" = 0 ] && [ "$passed" != 0 ]
