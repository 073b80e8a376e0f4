#!/bin/sh
# GDB test: a user program's main (course section: debugging programs).
#
# The session `make gdb PROG=hello` gives, driven by a script: tools/gdb.sh
# starts QEMU paused with hello run from the shell, and writes the GDB
# commands (kernel symbols, hello's symbols only, a breakpoint on main).
# GDB must stop in hello's main (every /bin program is linked at its own
# address, so no other program's code is there), and after GDB detaches
# the program prints its line and the shell's prompt follows on the console.
cd "$(dirname "$0")/../.." || exit 1
work=$(mktemp -d)
trap 'kill $qemu 2>/dev/null; rm -rf "$work"' EXIT
GDBINIT=$work/gdbinit GDBPORT=$((27000 + $$ % 3000)) tools/gdb.sh --console-here build/sysgate.iso hello \
	< /dev/null > "$work/console" 2>&1 &
qemu=$!
for i in $(seq 120); do grep -q 'GDB stub is on' "$work/console" 2>/dev/null && break; sleep 0.5; done
sleep 1
cat > "$work/cmds" <<'GDB'
continue
printf "STOPPED_IN=%s\n", $_as_string($pc == (unsigned long)main)
info symbol $pc
printf "ARGC=%d\n", $rdi
delete
detach
GDB
timeout 120 gdb -batch -nx -x "$work/gdbinit" -x "$work/cmds" > "$work/out" 2>&1
fail=0
grep -q 'Breakpoint 1, main () at user/hello.c' "$work/out" && grep -q 'STOPPED_IN=1' "$work/out" &&
	echo "PASS gdb/user-main: stops at hello's main ($(grep -m1 '^main in section' "$work/out" | sed 's#/.*/##'))" ||
	{ echo "FAIL gdb/user-main: no stop in hello's main: $(tail -n 5 "$work/out" | tr '\n' ' ')"; fail=1; }
grep -q 'ARGC=1' "$work/out" &&
	echo "PASS gdb/user-main-argc: rdi holds argc (1) at main" ||
	{ echo "FAIL gdb/user-main-argc: $(grep ARGC "$work/out")"; fail=1; }
for i in $(seq 60); do grep -q '^\$ ' "$work/console" && break; sleep 0.5; done
grep -q 'Hello from user mode!' "$work/console" && grep -q '^\$ ' "$work/console" &&
	echo "PASS gdb/user-main-then-shell: after GDB detaches, hello prints and the shell's prompt follows" ||
	{ echo "FAIL gdb/user-main-then-shell: console: $(tail -c 300 "$work/console" | tr '\n' ' ')"; fail=1; }
exit $fail
