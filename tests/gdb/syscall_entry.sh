#!/bin/sh
# GDB test (course section: the syscall gate, step by step).
#
# Boots sysgate with /bin/hello as the first process, paused under QEMU's GDB
# stub. GDB stops at syscall_entry when rax == 39 (the first getpid), checks
# the number, then single-steps the entry assembly until it reaches the C
# dispatcher, and checks the saved frame holds the same number. This is the
# walk-through README.md describes, made into a test.
cd "$(dirname "$0")/../.." || exit 1
work=$(mktemp -d)
trap 'kill $qemu 2>/dev/null; rm -rf "$work"' EXIT
port=$((20000 + $$ % 20000))
ACCEL=tcg tools/qemu.sh -kernel build/kernel.elf -initrd build/initrd.cpio -append "quiet init=/bin/hello" \
	-display none -serial "file:$work/serial" \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 -S -gdb "tcp:127.0.0.1:$port" &
qemu=$!
cat > "$work/cmds" <<GDB
set pagination off
set confirm off
file build/kernel.elf
target remote 127.0.0.1:$port
hbreak syscall_entry if \$rax == 39
continue
printf "AT_ENTRY rax=%d user_rip_in_rcx=%d\n", \$rax, (\$rcx < 0x800000000000)
delete
set \$steps = 0
while \$pc != (unsigned long)syscall_dispatch && \$steps < 200
  stepi
  set \$steps = \$steps + 1
end
printf "IN_DISPATCH=%d steps=%d\n", \$pc == (unsigned long)syscall_dispatch, \$steps
printf "FRAME_NR=%d\n", ((struct regs *)\$rdi)->orig_rax
printf "FRAME_FROM_USER=%d\n", (((struct regs *)\$rdi)->cs & 3) == 3
kill
quit
GDB
timeout 120 gdb -batch -nx -x "$work/cmds" > "$work/out" 2>&1
grep -q 'AT_ENTRY rax=39 user_rip_in_rcx=1' "$work/out" &&
	echo "PASS gdb: stops at syscall_entry on the first getpid with rax == 39" ||
	{ echo "FAIL gdb: no stop at syscall_entry with rax == 39: $(tail -n 5 "$work/out" | tr '\n' ' ')"; fail=1; }
grep -q 'IN_DISPATCH=1' "$work/out" &&
	echo "PASS gdb: single-steps the entry assembly into syscall_dispatch ($(sed -n 's/.*steps=\([0-9]*\).*/\1/p' "$work/out") instructions)" ||
	{ echo "FAIL gdb: stepping did not reach syscall_dispatch"; fail=1; }
grep -q 'FRAME_NR=39' "$work/out" && grep -q 'FRAME_FROM_USER=1' "$work/out" &&
	echo "PASS gdb: the saved frame holds the syscall number and a user cs" ||
	{ echo "FAIL gdb: the frame given to syscall_dispatch is wrong"; fail=1; }
exit ${fail:-0}
