#!/bin/sh
# Boot test: the whole system, driven over the serial line as a person
# would type (course section: processes; signals; modules).
#
# Boots the normal system (init starts the shell on the console; loaded
# by QEMU directly, without the ISO's GRUB, to be quick), types
# commands with tools/expect and checks their output: redirection and cat,
# a pipeline, || lists, the shell's line editing (arrows, Home/End, ^A ^E ^K
# ^U ^W ^L ^C, history, Tab completion) and the terminal's own canonical mode
# under cat (erasing a tab, ECHOCTL, ^U, ^W), ^C, ^Z, jobs, bg, fg and ^\ on
# a foreground job, the demos, the module session from the README (rmmod of
# a module in use, greet's syscall), dmesg. A line each: PASS boot/... or
# FAIL boot/...
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
# Line editing in sh (the terminal in raw mode while it reads a line).
send echo first\r
wait \$ 
send \x1b[A\r
expect boot/lineedit-up-arrow-recalls-the-line \nfirst\r
wait \$ 
send echo ac\x1b[Db\r
expect boot/lineedit-left-arrow-inserts-in-the-middle \nabc\r
wait \$ 
send cho x\x01e\x05y\r
expect boot/lineedit-ctrl-a-ctrl-e \nxy\r
wait \$ 
send echo ab cd\x01\x06\x06\x06\x06\x06\x06\x06\x0b\r
expect boot/lineedit-ctrl-k-kills-to-the-end \nab\r
wait \$ 
send junk\x15echo keep drop\x17\r
expect boot/lineedit-ctrl-u-ctrl-w \nkeep\r
wait \$ 
send echo dell\x1b[D\x1b[D\x1b[3~\x1b[Fo\x1b[H\x1b[3~e\r
expect boot/lineedit-delete-home-end \ndelo\r
wait \$ 
send \x0cecho clear-ok\r
expect boot/lineedit-ctrl-l-clears \x1b[2J
expect boot/lineedit-ctrl-l-not-in-the-line \nclear-ok\r
wait \$ 
send echo no\x03
expect boot/lineedit-ctrl-c-drops-the-line ^C
wait \$ 
send echo data > /tmp/completeme; ech\t tab-ok\r
expect boot/lineedit-tab-completes-a-command \ntab-ok\r
wait \$ 
send cat /tmp/compl\t\r
expect boot/lineedit-tab-completes-a-path \ndata\r
wait \$ 
send history\r
expect boot/lineedit-history-builtin   echo first\r
wait \$ 
send echo one\r
wait \$ 
send echo two\r
wait \$ 
send \x1b[A\x1b[A\x1b[B\r
expect boot/lineedit-up-up-down-recalls-the-last \ntwo\r
wait \$ 
send s\t\t
expect boot/lineedit-tab-twice-lists-the-choices shmdemo
send \x15echo listed\r
expect boot/lineedit-prompt-after-the-list \nlisted\r
wait \$ 
# The terminal's own canonical mode, for programs that read it directly.
send cat\r
sleep 500
send a\tb\x7f\x7fc\r
expect boot/tty-backspace-over-a-tab \nac\r
send q\x1b[A\x7f\x7f\x7fz\r
expect boot/tty-echoctl-shows-escape ^[[A
expect boot/tty-erase-control-characters \nqz\r
send junk\x15ok\r
expect boot/tty-vkill-erases-the-line \nok\r
send one two\x17three\r
expect boot/tty-vwerase-erases-a-word \none three\r
send \x04
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
send insmod /lib/modules/hello.ko; insmod /lib/modules/needs_hello.ko; rmmod hello; rmmod needs_hello; rmmod hello; lsmod | wc -l\r
expect boot/rmmod-names-the-user-module rmmod: ERROR: Module hello is in use by: needs_hello
expect boot/rmmod-after-the-user-went \n1\r
wait \$ 
send insmod /lib/modules/newsyscall.ko; greet 21; rmmod newsyscall; greet\r
expect boot/greet-calls-the-module-syscall says "greetings from a module's syscall" and returns 42
expect boot/greet-enosys-after-rmmod Function not implemented
wait \$ 
send dmesg\r
expect boot/dmesg-prints-the-log ] sysgate: a teaching kernel
wait \$ 
send help\r
expect boot/help-lists-poweroff   poweroff
wait \$ 
send evdemo; echo status \$?\r
expect boot/evdemo-every-source-fires signalfd 2, uevent 1, unix 3; child exit 0
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
send udevmon -n 4 &\r
wait udevmon: monitoring
send insmod /lib/modules/chardev.ko; rmmod chardev\r
expect boot/udevmon-module-add KERNEL add@/module/chardev
expect boot/udevmon-device-add KERNEL add@/devices/virtual/misc/hello
expect boot/udevmon-device-remove KERNEL remove@/devices/virtual/misc/hello
send true\r
wait \$ 
send insmod /lib/modules/hello.ko; cat /sys/module/hello/parameters/whom\r
expect boot/sysfs-module-parameter \nworld\r
wait \$ 
send echo class > /sys/module/hello/parameters/whom; cat /sys/module/hello/parameters/whom; rmmod hello\r
expect boot/sysfs-parameter-written \nclass\r
wait \$ 
send procmon -n 3 & sleep 1; true\r
expect boot/procmon-sees-exit exit  pid
wait \$ 
send poweroff\r
expect boot/poweroff sysgate: power off
SCRIPT
cd "$work" && "$build/tools/expect" "$work/script" -- "$top/tools/qemu.sh" -kernel "$build/kernel.elf" \
	-initrd "$build/initrd.cpio" -append "init=/bin/init" -display none -serial stdio
status=$?
[ $status = 0 ] || tail -c 3000 "$work/expect.log" | sed 's/^/  | /' >&2
exit $status
