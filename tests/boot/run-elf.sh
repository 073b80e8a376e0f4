#!/bin/sh
# Test of tools/run-elf's messages (course section: running programs;
# debugging the kernel).
#
# A program that dies of a fault, and one that makes a module oops: run-elf
# must say on stderr what the kernel said about it (the fault's line; the
# oops with its call trace) and keep the kernel log where it says.
cd "$(dirname "$0")/../.." || exit 1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
check() { # name pattern file what
	if grep -q -- "$2" "$3"; then
		echo "PASS run-elf/$1: $4"
	else
		echo "FAIL run-elf/$1: no \"$2\" on stderr: $(head -c 600 "$3" | tr '\n' ' ')"
		fail=1
	fi
}

# No libc: a store to address 0 in _start.
cat > "$work/null.c" <<'C'
void _start(void) { *(volatile int *)0 = 1; }
C
gcc -static -nostdlib -no-pie -fno-pic -O1 -o "$work/null" "$work/null.c" || exit 1
TMPDIR=$work tools/run-elf "$work/null" > /dev/null 2> "$work/err1"
status=$?
[ $status = 139 ] && echo "PASS run-elf/segv-status: 139 (128 + SIGSEGV)" ||
	{ echo "FAIL run-elf/segv-status: $status, not 139"; fail=1; }
check segv-says-why "null\[1\]: killed by SIGSEGV (si_code 1, address 0x0" "$work/err1" \
	"the kernel's line about the fault, NULL printed as 0x0"
kept=$(sed -n 's/.*full log: \([^)]*\)).*/\1/p' "$work/err1")
[ -n "$kept" ] && [ -s "$kept" ] && echo "PASS run-elf/segv-keeps-the-log: $(basename "$kept")" ||
	{ echo "FAIL run-elf/segv-keeps-the-log: no log at '$kept'"; fail=1; }

TMPDIR=$work tools/run-elf build/user/sh -c "insmod /lib/modules/oops.ko; echo x > /dev/oops" \
	> /dev/null 2> "$work/err2"
check oops-report "Module oops: #PF page fault" "$work/err2" "the oops report"
check oops-call-trace "oops_write+0x[0-9a-f]* \[module oops\]" "$work/err2" "its call trace names the function"
exit $fail
