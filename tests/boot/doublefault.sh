#!/bin/sh
# Boot test: a module that corrupts the stack pointer (course section:
# debugging the kernel). Loading modules/stackbust.ko makes the CPU double
# fault; the handler runs on its IST stack and must print the whole report
# -- the registers, the module's function in the call trace -- once, with
# no second oops from reading the bad stack, and then stop the machine.
cd "$(dirname "$0")/../.." || exit 1
build=${SYSGATE_BUILD:-build}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
RUN_ELF_LOG=$log tools/run-elf -t 120 "$build/user/insmod" /lib/modules/stackbust.ko > /dev/null 2>&1
report=$(tr -d '\r' < "$log" | sed -n '/^Oops: #DF double fault/,/^Kernel panic/p')
if [ -z "$report" ]; then
	echo "FAIL boot/doublefault-reported: no double-fault report: $(tail -n 5 "$log" | tr '\n' ' ' | cut -c1-300)"
elif ! printf '%s\n' "$report" | grep -q 'init_module+0x[0-9a-f]* \[module stackbust\]'; then
	echo "FAIL boot/doublefault-reported: the report does not name the module's function"
elif ! printf '%s\n' "$report" | grep -q '^RSP: 0018:ffffff'; then
	echo "FAIL boot/doublefault-reported: the report lacks the registers"
else
	echo "PASS boot/doublefault-reported: registers, 'init_module [module stackbust]' and a panic"
fi
oopses=$(grep -ac '^Oops\|^Module oops' "$log")
if [ "$oopses" = 1 ] && grep -aq '^Kernel panic.*double fault' "$log"; then
	echo "PASS boot/doublefault-once: one report, no second fault while making it"
else
	echo "FAIL boot/doublefault-once: $oopses oops reports; $(grep -a -m1 '^Kernel panic' "$log")"
fi
