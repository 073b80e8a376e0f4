#!/bin/sh
# `make gdb` and `make qemu-gdb`: boot sysgate paused, for GDB (course
# section: the syscall gate, step by step).
#
# Usage: tools/gdb.sh [--console-here] ISO [PROG [ARGS...]]
#
# Without PROG: the normal system; GDB gets the kernel's symbols and a
# breakpoint on syscall_entry. With PROG (a program of /bin): the kernel
# command line starts it from the shell (`sh -c "PROG ARGS; sh"`, so a
# shell follows on the console) and GDB gets the kernel's symbols plus that
# program's only, with a breakpoint on its main. Every program of /bin is
# linked at its own address (Makefile: load_address), so that breakpoint
# stops in PROG and nowhere else.
#
# QEMU runs under software emulation (TCG: breakpoints and single steps are
# exact there) with its GDB stub on a port of its own for this user (25000 +
# uid % 5000, or the next free one; GDBPORT=N chooses), written with the
# other GDB commands into build/gdbinit.
#   tools/gdb.sh ISO              QEMU in the background, its console in
#                                 build/gdb-serial.log; GDB on this terminal.
#   tools/gdb.sh --console-here   QEMU's console on this terminal (the shell
#                                 is usable); run `gdb -x build/gdbinit` (or
#                                 `make gdb-attach`) in a second terminal.
# Quitting GDB (or QEMU: Ctrl-A X) stops the session.
set -eu
here=0
if [ "${1:-}" = "--console-here" ]; then here=1; shift; fi
iso=$1
shift
top=$(cd "$(dirname "$0")/.." && pwd)
build=$top/build
prog=${1:-}

# A port nobody listens on: /proc/net/tcp lists the listening ones (state 0A).
port=${GDBPORT:-$((25000 + $(id -u) % 5000))}
while grep -qiE ":$(printf '%04X' "$port") [0-9A-F]+:[0-9A-F]+ 0A " /proc/net/tcp /proc/net/tcp6 2>/dev/null; do
	port=$((port + 1))
done

if [ -n "$prog" ]; then
	[ -x "$build/user/$prog" ] || { echo "gdb.sh: no program build/user/$prog (PROG= names one of /bin)" >&2; exit 2; }
	cmdline="init=/bin/sh -- -c \"$*; sh\""
	iso=$build/gdb-$prog.iso
	"$top/tools/mkiso" "$iso" "$build/kernel.elf" "$build/initrd.cpio" "$cmdline"
fi

# The GDB commands: the shared settings, then where QEMU waits and what to stop at.
gdbinit=${GDBINIT:-$build/gdbinit}
{
	cat "$top/tools/gdbinit"
	echo "target remote localhost:$port"
	if [ -n "$prog" ]; then
		echo "add-symbol-file $build/user/$prog"
		echo "break main"
		printf '%s\n' "echo \\nsysgate: QEMU is paused at the machine's first instruction; \`continue\` boots\\n" \
			"echo sysgate: and runs the shell, which starts $prog: GDB stops at its main.\\n" \
			"echo sysgate: Then \`next\`, \`step\`, \`info registers\`; \`hbreak syscall_entry\` follows a syscall.\\n"
	else
		echo "hbreak syscall_entry"
		cat "$top/tools/gdbinit-syscall"
	fi
} > "$gdbinit"

log=$build/gdb-serial.log
echo "sysgate: QEMU's GDB stub is on localhost:$port (GDB commands in $gdbinit)"
if [ $here = 1 ]; then
	echo "sysgate: QEMU's console is this terminal (Ctrl-A X quits); in a second terminal run:"
	echo "    gdb -x $gdbinit        (or: make gdb-attach)"
	exec env ACCEL=tcg "$top/tools/qemu.sh" "$iso" -display none -serial mon:stdio -S -gdb "tcp:127.0.0.1:$port"
fi
: > "$log"
ACCEL=tcg "$top/tools/qemu.sh" "$iso" -display none -serial "file:$log" -S -gdb "tcp:127.0.0.1:$port" &
qemu=$!
trap 'kill $qemu 2>/dev/null || true' EXIT INT TERM
sleep 0.5
echo "sysgate: the console's output goes to $log (for a usable console: make qemu-gdb)"
gdb -q -x "$gdbinit"
