#!/bin/sh
# Boot test: seccomp in `make run` (course section: seccomp).
#
# Boots the normal ISO and, at root's shell, types what a student would:
# `seccompdemo`, which installs a filter (mkdir -> EPERM, getpid -> kill)
# and calls getpid -- the shell reports "Bad system call"; then the same
# under strace, which shows its end; then `seccompdemo trap`, whose SIGSYS
# strace shows with seccomp's siginfo, as Debian's strace prints it.
# A line each: PASS boot/seccomp-... or FAIL boot/seccomp-...
cd "$(dirname "$0")/../.." || exit 1
top=$(pwd)
work=$(mktemp -d)
trap 'cp "$work/expect.log" /tmp/boot-seccomp-expect.log 2>/dev/null; rm -rf "$work"' EXIT
cat > "$work/script" <<SCRIPT
timeout 60
expect boot/seccomp-banner sysgate: a teaching kernel
wait \$ 
send seccompdemo\r
expect boot/seccomp-errno-verdict failed: Operation not permitted (the filter said so)
expect boot/seccomp-killed-by-sigsys Bad system call
wait \$ 
send strace seccompdemo\r
expect boot/seccomp-strace-sees-the-kill +++ killed by SIGSYS
wait \$ 
send strace seccompdemo trap\r
expect boot/seccomp-strace-trap-siginfo --- SIGSYS {si_signo=SIGSYS, si_code=SYS_SECCOMP, si_errno=EIO, si_call_addr=
expect boot/seccomp-strace-trap-call si_syscall=__NR_getppid, si_arch=AUDIT_ARCH_X86_64} ---
wait \$ 
send poweroff\r
expect boot/seccomp-powers-off sysgate: power off
SCRIPT
cd "$work" && "$top/build/tools/expect" "$work/script" -- "$top/tools/qemu.sh" "$top/build/sysgate.iso" \
	-display none -serial stdio
status=$?
[ $status = 0 ] || tail -c 3000 "$work/expect.log" | sed 's/^/  | /' >&2
exit $status
