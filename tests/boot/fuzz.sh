#!/bin/sh
# Boot test: random syscalls with hostile arguments (course section: the
# syscall gate; testing the syscall interface).
#
# Boots sysgate with user/fuzz as the first process: 40 rounds of 300 random
# calls (seed 1, so a failure can be replayed with the same command). The
# kernel must not oops or panic, the run must end, and after everything is
# reaped the free-frame and heap counts must be back where they started.
#
# FUZZ_ROUNDS changes the number of rounds (make test-kasan: 334, over
# 100,000 calls, on a kernel that checks every access).
cd "$(dirname "$0")/../.." || exit 1
build=${SYSGATE_BUILD:-build}
rounds=${FUZZ_ROUNDS:-40}
log=$(mktemp)
out=$(mktemp)
trap 'rm -f "$log" "$out"' EXIT
RUN_ELF_LOG=$log tools/run-elf -t $((400 + rounds * 5)) "$build/user/fuzz" "$rounds" 1 > "$out" 2>&1
status=$?
if grep -aq 'Oops\|Kernel panic\|^BUG: KASAN\|^UBSAN: ' "$log"; then
	echo "FAIL boot/fuzz-no-oops: the kernel oopsed: $(grep -a -m1 -A3 'Oops\|Kernel panic\|^BUG: KASAN\|^UBSAN: ' "$log" | tr '\n' ' ' | cut -c1-300)"
else
	echo "PASS boot/fuzz-no-oops: $((rounds * 300)) random syscalls, no oops, panic or sanitizer report"
fi
if [ $status = 0 ]; then
	echo "PASS boot/fuzz-no-leak: $(tr -d '\0' < "$out" | grep -ao 'free frames [^:]*')"
else
	echo "FAIL boot/fuzz-no-leak: exit status $status: $(tr -d '\0' < "$out" | grep -ao 'fuzz: [a-z].*' | tail -n 2 | tr '\n' ' ' | cut -c1-300)"
fi
