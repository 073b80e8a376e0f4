#!/bin/sh
# Boot test: the BPF tools from the shell (course section: advanced eBPF
# tracing), as issue 17's "done when" has them in `make run`:
# opensnoop in the background shows a file that another program (cat)
# opens; bpftool lists opensnoop's program meanwhile; `syscount -L -- ls /`
# prints its counts and a latency histogram; execsnoop shows a command
# with its arguments. A line each: PASS boot/bpf-... or FAIL boot/bpf-...
cd "$(dirname "$0")/../.." || exit 1
top=$(pwd)
build=${SYSGATE_BUILD:-$top/build}
# Until the kernel side of issue 17 is in (bpf(2), and a verifier: without
# one nothing loads), there is nothing to boot for.
if ! grep -q '^[0-9]*[[:space:]]*bpf[[:space:]]' kernel/syscalls.tbl ||
	grep -q '^#pragma weak bpf_check' kernel/bpf/pending.h 2>/dev/null; then # TEMPORARY
	echo "SKIP boot/bpf: this kernel loads no BPF program yet (no bpf(2) or no verifier)"
	exit 0
fi
work=$(mktemp -d)
trap 'cp "$work/expect.log" /tmp/boot-bpf-expect.log 2>/dev/null; rm -rf "$work"' EXIT
cat > "$work/script" <<SCRIPT
timeout 90
expect boot/bpf-banner sysgate: a teaching kernel
expect boot/bpf-shell-prompt \$ 
send echo hi > /tmp/bpfboot\r
wait \$ 
send opensnoop &\r
expect boot/bpf-opensnoop-header PID    COMM               FD ERR PATH
send cat /tmp/bpfboot\r
expect boot/bpf-opensnoop-sees-cat-open-the-file  0 /tmp/bpfboot\r
send bpftool prog\r
expect boot/bpf-bpftool-lists-opensnoop tracepoint  name enter_openat
wait \$ 
send fg\r
sleep 500
send \x03
wait \$ 
send syscount -L -- ls /\r
expect boot/bpf-syscount-header SYSCALL                   COUNT        TIME (us)
expect boot/bpf-syscount-histogram nsecs               : count     distribution
wait \$ 
send execsnoop -d 3 & sleep 1; echo bpf-exec-marker | wc -c\r
expect boot/bpf-execsnoop-header PCOMM
expect boot/bpf-execsnoop-sees-wc wc -c
# The prompt came before execsnoop's lines; it ends after its 3 seconds.
sleep 3000
send true\r
wait \$ 
send poweroff\r
expect boot/bpf-poweroff sysgate: power off
SCRIPT
cd "$work" && "$build/tools/expect" "$work/script" -- "$top/tools/qemu.sh" -kernel "$build/kernel.elf" \
	-initrd "$build/initrd.cpio" -append "init=/bin/init" -display none -serial stdio
status=$?
[ $status = 0 ] || tail -c 3000 "$work/expect.log" | sed 's/^/  | /' >&2
exit $status
