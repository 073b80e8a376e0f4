#!/bin/sh
# Boot test: magic SysRq from the serial console (course section: kernel
# debugging techniques). QEMU's serial multiplexer sends a break on Ctrl-A B;
# the letter after a break is a SysRq command, not input: m shows memory.
cd "$(dirname "$0")/../.." || exit 1
build=${SYSGATE_BUILD:-build}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
(sleep 10; printf '\001b'; sleep 1; printf 'm'; sleep 3) |
	timeout 30 tools/qemu.sh "$build/sysgate.iso" -serial mon:stdio -display none -debugcon "file:$log" > /dev/null 2>&1
if grep -aq '^sysrq: Show Memory' "$log" && grep -aq '^Mem-Info: ' "$log"; then
	echo "PASS boot/sysrq-break: a break then 'm' on the serial line shows the memory figures"
else
	echo "FAIL boot/sysrq-break: no 'sysrq: Show Memory' in the kernel log: $(tail -n 3 "$log" | tr '\n' ' ' | cut -c1-200)"
fi
