#!/bin/sh
# Host test of tools/decode-oops (course section: kernel debugging
# techniques): a made-up call trace through kmain and schedule comes back
# with the source file of each frame; a module frame is left as it is.
cd "$(dirname "$0")/../.." || exit 1
elf=build/kernel.elf
if [ ! -f "$elf" ]; then
	echo "SKIP unit/decode-oops: no $elf (run make first)"
	exit 0
fi
kmain=$(nm "$elf" | awk '$3 == "kmain" { print $1 }')
sched=$(nm "$elf" | awk '$3 == "schedule" { print $1 }')
out=$(printf 'Call trace:\n  [<%s>] kmain+0x10\n  [<%s>] schedule+0x20\n  [<ffffffffc000000e>] init_module+0xe [module m]\n' \
	"$(printf '%s' "$kmain" | sed 's/.$/8/')" "$(printf '%s' "$sched" | sed 's/.$/8/')" | tools/decode-oops "$elf")
status=0
check() { # what, fixed text
	if printf '%s\n' "$out" | grep -qF -- "$2"; then echo "PASS unit/decode-oops: $1"
	else echo "FAIL unit/decode-oops: $1: '$2' not in: $(printf '%s' "$out" | tr '\n' ' ')"; status=1; fi
}
check "the faulting frame gets its file" "kernel/main.c:"
check "a return address gets its caller's file" "kernel/proc/sched.c:"
check "a module frame is kept as it is" "init_module+0xe [module m]"
exit $status
