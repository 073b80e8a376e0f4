#!/bin/sh
# `make gdb`: boot sysgate paused, with GDB attached (course section: the
# syscall gate, step by step).
#
# QEMU runs in the background under software emulation (TCG: breakpoints
# and single steps are exact there), waiting for GDB on port 1234; its
# serial console goes to build/gdb-serial.log (watch it with
# `tail -f build/gdb-serial.log` in another terminal). GDB starts with
# tools/gdbinit: kernel symbols loaded, a breakpoint on syscall_entry.
# Quitting GDB stops QEMU.
set -eu
iso=$1
log=build/gdb-serial.log
: > "$log"
ACCEL=tcg tools/qemu.sh "$iso" -display none -serial "file:$log" -S -gdb tcp:127.0.0.1:1234 &
qemu=$!
trap 'kill $qemu 2>/dev/null || true' EXIT INT TERM
sleep 0.5
gdb -q -x tools/gdbinit
