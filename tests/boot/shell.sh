#!/bin/sh
# Boot test: the whole system, driven over the serial line as a person
# would type (course section: processes; signals; modules).
#
# Boots the normal ISO (init starts the shell on the console), types
# commands with tools/expect and checks their output: redirection and cat,
# a pipeline, || lists, ^C, ^Z, jobs, bg, fg and ^\ on a foreground job, the
# demos, and the module session from the README. A line each: PASS boot/...
# or FAIL boot/...
cd "$(dirname "$0")/../.." || exit 1
top=$(pwd)
build=${SYSGATE_BUILD:-$top/build} # make test-kasan: build/kasan
work=$(mktemp -d)
trap 'cp "$work/expect.log" /tmp/boot-expect.log 2>/dev/null; rm -rf "$work"' EXIT
nbin=$(ls "$build/initrd/bin" | wc -l)
cat > "$work/script" <<SCRIPT
timeout 90
expect boot/banner sysgate: a teaching kernel
expect boot/shell-prompt \$ 
send echo hi > /tmp/x; cat /tmp/x\r
expect boot/redirect-then-cat \nhi\r
wait \$ 
send ln /tmp/x /tmp/y; mv /tmp/y /tmp/z; ls -l /tmp/z; cat /tmp/z\r
expect boot/ln-mv-two-names-one-file  2        3 /tmp/z\r\nhi\r
wait \$ 
send ln -s /tmp/z /tmp/s; ls -l /tmp/s; cat /tmp/s\r
expect boot/ln-s-symbolic-link 6 /tmp/s -> /tmp/z\r\nhi\r
wait \$ 
send ls /bin | wc -l\r
expect boot/pipeline-ls-wc \n$nbin\r
wait \$ 
send false || echo ok\r
expect boot/or-list \nok\r
wait \$ 
send true && echo and-ok; echo \$?\r
expect boot/and-list-and-status and-ok\r\n0\r
wait \$ 
send sleep 100\r
sleep 1500
send \x03
expect boot/ctrl-c-stops-sleep ^C
wait \$ 
send echo back at the prompt\r
expect boot/prompt-after-ctrl-c \nback at the prompt\r
wait \$ 
send sleep 100\r
sleep 1500
send \x1a
expect boot/ctrl-z-stops-sleep Stopped
wait \$ 
send jobs\r
expect boot/jobs-shows-stopped [1]+ Stopped
wait \$ 
send bg\r
wait \$ 
send jobs\r
expect boot/bg-resumes-it [1]+ Running
wait \$ 
send fg\r
sleep 1500
send \x1c
expect boot/ctrl-backslash-quits Quit
wait \$ 
send sleep 100 &\r
wait \$ 
send kill %1; sleep 1\r
expect boot/kill-job-spec Terminated
wait \$ 
send sh -c "ulimit -n 3; cat < /dev/null"\r
expect boot/ulimit-n-limits-descriptors Too many open files
wait \$ 
send sigdemo\r
expect boot/sigdemo-runs-to-the-end sigdemo: done
wait \$ 
send insmod /lib/modules/chardev.ko; echo hi > /dev/hello; cat /dev/hello; lsmod\r
expect boot/chardev-write-then-read \nhi\r
expect boot/lsmod-shows-chardev chardev
wait \$ 
send rmmod chardev; lsmod | wc -l\r
expect boot/rmmod-chardev \n1\r
wait \$ 
send evdemo; echo status \$?\r
expect boot/evdemo-every-source-fires signalfd 2; child exit 0
expect boot/evdemo-exits-0 status 0\r
wait \$ 
send shmdemo; echo status \$?\r
expect boot/shmdemo-runs-to-the-end the last detach destroyed the segment
expect boot/shmdemo-exits-0 status 0\r
wait \$ 
send mmapdemo; echo status \$?\r
expect boot/mmapdemo-runs-to-the-end 5 of 5 answers arrived
expect boot/mmapdemo-exits-0 status 0\r
wait \$ 
send poweroff\r
expect boot/poweroff sysgate: power off
SCRIPT
cd "$work" && "$build/tools/expect" "$work/script" -- "$top/tools/qemu.sh" "$build/sysgate.iso" \
	-display none -serial stdio
status=$?
[ $status = 0 ] || tail -c 3000 "$work/expect.log" | sed 's/^/  | /' >&2
exit $status
