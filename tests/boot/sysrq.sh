#!/bin/sh
# Boot test: magic SysRq from the serial console (course section: kernel
# debugging techniques). QEMU's serial multiplexer sends a break on Ctrl-A B;
# the letter after a break is a SysRq command, not input: m shows memory.
cd "$(dirname "$0")/../.." || exit 1
build=${SYSGATE_BUILD:-build}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# Send once the first program runs (its start is in the log), not after a guess.
send() {
	i=0
	while [ $i -lt 600 ] && ! grep -aq 'sysgate: starting' "$log"; do sleep 0.1; i=$((i + 1)); done
	sleep 1
	printf '\001b'
	sleep 1
	printf 'm'
	i=0
	while [ $i -lt 100 ] && ! grep -aq '^Mem-Info: ' "$log"; do sleep 0.1; i=$((i + 1)); done
	printf '\001x' # and quit QEMU
}
send |
	timeout 90 tools/qemu.sh "$build/sysgate.iso" -serial mon:stdio -display none -debugcon "file:$log" > /dev/null 2>&1
if grep -aq '^sysrq: Show Memory' "$log" && grep -aq '^Mem-Info: ' "$log"; then
	echo "PASS boot/sysrq-break: a break then 'm' on the serial line shows the memory figures"
else
	echo "FAIL boot/sysrq-break: no 'sysrq: Show Memory' in the kernel log: $(tail -n 3 "$log" | tr '\n' ' ' | cut -c1-200)"
fi
