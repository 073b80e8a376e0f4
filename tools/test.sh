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
#   sysgate  the same binaries booted in QEMU: a batch of them per boot,
#            run one after another by /bin/testrun as init (user/testrun.c);
#            a test that needs to be init asks for its own boot (see
#            marked() below)
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
# TEST_JOBS at a time (default: the number of CPUs); the linux part runs on
# the host beside the first part that follows it.
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

# What the kernel said was wrong during a boot, one line a problem: an oops
# or panic, a checker's report, objects the leak scanner found.
kernel_complaints() { # kernel-log
	if grep -qa 'Oops\|Kernel panic' "$1" 2>/dev/null; then
		echo "the kernel oopsed: $(grep -a -m1 'Oops\|Kernel panic' "$1" | tr -d '\r')"
	fi
	# A sanitizer's report is a kernel bug, unless it names a module
	# that has bugs on purpose (modules/oops.c, modules/diagdemo.c).
	if grep -a '^UBSAN: \|^BUG: KASAN: \|^watchdog: BUG: ' "$1" 2>/dev/null |
		grep -qva 'modules/oops\.c\|modules/diagdemo\.c\|\[module oops\]\|\[module diagdemo\]\|\[diag:'; then
		echo "a kernel checker reported a bug"
	fi
	# The leak scanner's run at the end of the boot: objects nothing
	# points to any more (but diagdemo's own, whose bytes say "diagdemo").
	leaks=$(awk '/^unreferenced object/ { want = 1 } /^  hex dump/ && want { getline; if ($0 !~ /^ *64 69 61 67 64 65 6d 6f/) n++; want = 0 } END { print n + 0 }' \
		"$1" 2>/dev/null)
	if [ "${leaks:-0}" != 0 ]; then
		echo "the leak scanner found $leaks unreferenced objects"
	fi
}

# The kernel's oops or panic lines fail a test even if it printed PASS.
# Returns non-zero when the kernel complained.
judge_kernel_log() { # prefix name kernel-log
	why=$(kernel_complaints "$3")
	[ -z "$why" ] && return 0
	printf '%s\n' "$why" | sed "s#^#FAIL $1/$2: #" | report | failed_with_log "$3"
	return 1
}

# One unit test: compiled for the host with the kernel sources it names.
unit_one() { # source
	name=$(basename "$1" .c)
	extra=$(sed -n 's/.*UNIT_SOURCES: *//p' "$1")
	out=$build/unit/$name
	# shellcheck disable=SC2086
	if ! gcc -O1 -g -std=gnu11 -DHOST_TEST -I. -I"$build/gen" -Itests/unit -w -o "$out" "$1" $extra 2> "$out.err"; then
		echo "FAIL unit/$name: does not compile: $(head -c 300 "$out.err")" | report |
			failed_with_log "$out.err"
		return
	fi
	timeout 60 "$out" > "$out.log" 2>&1
	judge unit "$name" $? "$out.log"
}

run_unit() {
	for src in tests/unit/test_*.c; do
		name=$(basename "$src" .c)
		wanted "$name" || continue
		echo "RUN unit/$name"
		in_parallel unit_one "$src"
	done
	wait
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

# One binary booted as init by tools/run-elf; its output and the kernel's
# log kept apart.
sysgate_one() { # binary
	name=$(basename "$1")
	log=$build/unit/sysgate-$name.log
	klog=$build/unit/sysgate-$name.kernel.log
	RUN_ELF_LOG=$klog tools/run-elf -t "$SYSGATE_TIMEOUT" "$1" > "$log" 2>&1
	judge sysgate "$name" $? "$log"
	judge_kernel_log sysgate "$name" "$klog"
}

# Most tests share a boot with others (a batch, below). A test asks for a
# boot of its own with a line in its source (user/tests/NAME.c, or any file
# of user/tests/NAME/):
#   "test.sh: own boot"    it runs as init, pid 1, as tools/run-elf runs it
#                          (a test of what only pid 1 does, or one that
#                          needs a freshly booted kernel);
#   "test.sh: boot alone"  the same, after all the others, with no other
#                          QEMU beside it (its checks measure the guest's
#                          CPU shares, which a second QEMU would skew).
marked() { # name marker
	cat "user/tests/$1.c" user/tests/"$1"/*.c 2>/dev/null | grep -q "test.sh: $2"
}

# How long each test took in its batch, in milliseconds ("name ms" lines,
# the last one counts): the next run balances its batches by these.
times=$build/test-times.txt

# Deal the tests into N batches of about equal time: longest first, each to
# the batch with the least so far (a test not timed yet counts 5 s). One
# line per batch: its names, comma-separated.
deal() { # batches name...
	n=$1
	shift
	printf '%s\n' "$@" | awk -v times="$times" '
		BEGIN { while ((getline line < times) > 0) if (split(line, f, " ") == 2 && f[2] ~ /^[0-9]+$/) ms[f[1]] = f[2] }
		{ print (($1 in ms) ? ms[$1] : 5000), $1 }' | sort -rn | awk -v n="$n" '
		{ b = 0; for (i = 1; i < n; i++) if (sum[i] < sum[b]) b = i
		  sum[b] += $1; list[b] = list[b] (list[b] == "" ? "" : ",") $2 }
		END { for (i = 0; i < n; i++) if (list[i] != "") print list[i] }'
}

# The console's output of a batch, cut at the marker lines of testrun
# (user/testrun.c): "@@testrun start NAME" and "@@testrun end NAME STATUS MS".
# A marker may follow a test's last line if that line had no newline. Only
# whole lines count: QEMU may be writing the last one.
markers() { # console-file
	if [ -n "$(tail -c 1 "$1")" ]; then sed '$d' "$1"; else cat "$1"; fi |
		tr -d '\r' | grep -ao '@@testrun .*' | sed 's/^@@testrun //' |
		grep -aE '^(start [^ ]+|end [^ ]+ [0-9]+ [0-9]+)$'
}
test_output() { # console-file name
	tr -d '\r' < "$1" | awk -v name="$2" '
		{ i = index($0, "@@testrun "); text = i ? substr($0, 1, i - 1) : $0 }
		on && (i == 0 || text != "") { print text }
		i && substr($0, i) == "@@testrun start " name { on = 1 }
		i && index(substr($0, i), "@@testrun end " name " ") == 1 { on = 0 }'
}

# Say which tests started and judge those that ended since the last call:
# $started and $ended count them.
batch_progress() { # console-file
	all=$(markers "$1")
	printf '%s\n' "$all" | grep '^start ' | tail -n +$((started + 1)) | while read -r _ name; do
		echo "RUN sysgate/$name"
	done
	started=$(printf '%s\n' "$all" | grep -c '^start ')
	printf '%s\n' "$all" | grep '^end ' | tail -n +$((ended + 1)) | while read -r _ name status ms; do
		test_output "$1" "$name" > "$build/unit/sysgate-$name.log"
		judge sysgate "$name" "$status" "$build/unit/sysgate-$name.log"
		echo "$name $ms" >> "$times"
	done
	ended=$(printf '%s\n' "$all" | grep -c '^end ')
}

# A batch of tests in one boot, with /bin/testrun as init. A test that
# hangs (no marker for $SYSGATE_TIMEOUT seconds) or panics the kernel fails,
# and the tests after it run in a new boot. The kernel's complaints (an
# oops, a checker's report, leaks found when the batch ends) are the
# batch's: each of its tests then boots again on its own to find which.
sysgate_batch() { # label name,name,...
	console=$build/unit/sysgate-$1.console
	klog=$build/unit/sysgate-$1.kernel.log
	: > "$console"
	tools/qemu.sh -kernel "$build/kernel.elf" -initrd "$build/initrd.cpio" \
		-append "quiet init=/bin/testrun -- $2" -display none -serial "file:$console" \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 -debugcon "file:$klog" < /dev/null > /dev/null 2>&1 &
	qemu=$! started=0 ended=0 last=$SECONDS seen=0 hung=
	while kill -0 "$qemu" 2>/dev/null; do
		sleep 1
		batch_progress "$console"
		if [ $((started + ended)) != "$seen" ]; then
			seen=$((started + ended)) last=$SECONDS
		elif [ $((SECONDS - last)) -ge "$SYSGATE_TIMEOUT" ]; then
			hung=1
			kill "$qemu" 2> /dev/null
			break
		fi
	done
	wait "$qemu"
	batch_progress "$console"
	IFS=, read -ra names <<< "$2"
	rest=$(IFS=,; echo "${names[*]:started}")
	if [ "$started" = 0 ]; then
		for name in "${names[@]}"; do
			echo "FAIL sysgate/$name: the boot of $1 ran no test (kernel log: $klog)" | report |
				failed_with_log "$klog"
		done
		return
	fi
	if [ "$started" != "$ended" ]; then
		batch_culprit "$1" "$(markers "$console" | grep '^start ' | tail -n 1 | cut -d' ' -f2)"
	else
		batch_kernel_log "$1" "$2" "$klog"
	fi
	[ -n "$rest" ] && sysgate_batch "$1r" "$rest"
}

# The test that was running when its batch's boot ended too soon.
batch_culprit() { # label name
	log=$build/unit/sysgate-$2.log
	test_output "$console" "$2" > "$log"
	if [ -n "$hung" ]; then
		echo "test.sh: $2 did not finish within ${SYSGATE_TIMEOUT}s (kernel log: $klog)" >> "$log"
		judge sysgate "$2" 124 "$log"
	else
		echo "test.sh: the boot of $1 ended while $2 ran (kernel log: $klog):" >> "$log"
		tr -d '\r' < "$klog" | grep -a -A 30 '^Oops\|^Kernel panic' | head -n 40 >> "$log"
		judge sysgate "$2" 125 "$log"
	fi
	judge_kernel_log sysgate "$2" "$klog"
}

# The kernel complained during a batch: whose test was it?
batch_kernel_log() { # label names kernel-log
	why=$(kernel_complaints "$3")
	[ -z "$why" ] && return
	echo "RUN sysgate/$1: the kernel complained; its tests again, each in its own boot"
	found=
	for name in $(echo "$2" | tr ',' ' '); do
		klog=$build/unit/sysgate-$name.kernel.log
		RUN_ELF_LOG=$klog tools/run-elf -t "$SYSGATE_TIMEOUT" "$build/user/tests/$name" \
			> "$build/unit/sysgate-$name.own-boot.log" 2>&1
		judge_kernel_log sysgate "$name" "$klog" || found=1
	done
	[ -n "$found" ] && return
	printf '%s\n' "$why" | sed "s#^#FAIL sysgate/$1 ($(echo "$2" | tr ',' ' ')): #" | report |
		failed_with_log "$3"
}

# The linux part mostly waits (its tests sleep and wait for children), so
# when a part that boots QEMU follows, it runs on the host beside them, its
# tests still one at a time, and its lines are printed in one piece once it
# has finished (after the part it ran beside).
linux_out=$build/test-linux.out
linux_done=$build/test-linux.done
linux_beside=
start_linux_beside() {
	rm -f "$linux_done"
	linux_beside=1
	( (run_linux > "$linux_out" 2>&1; touch "$linux_done") &) # not a job: in_parallel counts jobs
}
flush_linux() { # wait (1: until it has finished)
	[ -n "$linux_beside" ] || return 0
	while [ ! -e "$linux_done" ]; do
		[ "$1" = 1 ] || return 0
		sleep 1
	done
	cat "$linux_out"
	linux_beside=
}

run_sysgate() {
	batched= own= alone=
	for t in "$build"/user/tests/*; do
		[ -x "$t" ] && [ -f "$t" ] || continue
		case $t in *.o | *.d) continue ;; esac
		name=$(basename "$t")
		wanted "$name" || continue
		if marked "$name" 'boot alone'; then
			alone="$alone $name"
		elif marked "$name" 'own boot'; then
			own="$own $name"
		else
			batched="$batched $name"
		fi
	done
	if [ -f "$times" ]; then # the last figure of each test only
		awk '{ ms[$1] = $2 } END { for (n in ms) print n, ms[n] }' "$times" > "$times.new"
		mv "$times.new" "$times"
	fi
	# As many batches as QEMUs run at once; more if a command line would
	# be too long (the kernel keeps 1024 bytes of it).
	n=$slots
	# shellcheck disable=SC2086
	batches=$(deal "$n" $batched)
	while printf '%s\n' "$batches" | grep -q '.\{900\}'; do
		n=$((n + 1))
		# shellcheck disable=SC2086
		batches=$(deal "$n" $batched)
	done
	i=0
	for list in $batches; do
		i=$((i + 1))
		in_parallel sysgate_batch "batch$i" "$list"
	done
	for name in $own; do
		echo "RUN sysgate/$name"
		in_parallel sysgate_one "$build/user/tests/$name"
	done
	wait
	[ -z "$alone" ] || flush_linux 1 # nothing beside the lone boot
	for name in $alone; do
		echo "RUN sysgate/$name (alone)"
		sysgate_one "$build/user/tests/$name"
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
	linux) if [ $# -gt 0 ]; then start_linux_beside; else run_linux; fi ;;
	sysgate) run_sysgate ;;
	compat) run_compat ;;
	boot) run_scripts tests/boot ;;
	gdb) run_scripts tests/gdb ;;
	esac
	[ "$part" = linux ] || flush_linux 0
done
flush_linux 1
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
