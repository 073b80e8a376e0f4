#!/bin/sh
# Boot test: the kept panic log (course section: kernel debugging
# techniques). Boot, crash on purpose (sysrq c), warm-reset the machine
# from QEMU's monitor (RAM survives, as with a reboot that keeps the
# power), and the second boot must print "previous panic:" with the first
# boot's report and keep it in /proc/last_panic. QEMU runs without
# -no-reboot here, so it is started directly rather than by tools/qemu.sh.
cd "$(dirname "$0")/../.." || exit 1
build=${SYSGATE_BUILD:-build}
log=$(mktemp)
trap 'rm -f "$log"' EXIT

wait_for() { # count text: until the log holds text at least count times (60 s at most)
	i=0
	while [ $i -lt 600 ] && [ "$(grep -ac "$2" "$log")" -lt "$1" ]; do sleep 0.1; i=$((i + 1)); done
}
drive() {
	wait_for 1 'sysgate: starting'
	sleep 2
	printf 'echo c > /proc/sysrq-trigger\r'
	wait_for 1 '^pstore: this log is kept' # saved: only now may the machine reset
	printf '\001csystem_reset\n\001c' # to the monitor, reset, back to the serial line
	wait_for 2 'sysgate: starting'
	sleep 2
	printf 'cat /proc/last_panic > /dev/null\r'
	sleep 2
	printf '\001x'
}
drive | timeout 180 qemu-system-x86_64 -machine pc -accel tcg -cpu max -m 256M -cdrom "$build/sysgate.iso" \
	-boot d -nic none -display none -serial mon:stdio -debugcon "file:$log" > /dev/null 2>&1
if grep -aq '^previous panic: Kernel panic: sysrq triggered crash' "$log"; then
	echo "PASS boot/panic-kept: after a warm reset, 'previous panic:' shows the first boot's panic"
else
	echo "FAIL boot/panic-kept: no 'previous panic:' report after the reset: $(grep -ac 'sysgate: starting' "$log") boots seen"
fi
