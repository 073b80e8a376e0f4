#!/bin/sh
# Boot test: our strace (course section: syscall tracing).
#
# On the host Linux, tools/strace-compare checks that user/strace prints
# the same lines as Debian's strace for the same programs (addresses and
# pids masked). On sysgate, `strace -f sh -c 'ls / | wc -l'` must show the
# whole pipeline: both children's execs, the data going through the pipe,
# and every process's exit.
cd "$(dirname "$0")/../.." || exit 1
out=$(mktemp)
trap 'rm -f "$out"' EXIT
if tools/strace-compare > "$out" 2>&1; then
	echo "PASS boot/strace-same-as-debian: $(tail -n 1 "$out")"
else
	echo "FAIL boot/strace-same-as-debian: $(grep -v '(100%)' "$out" | tr '\n' ' ' | cut -c1-300)"
fi
tools/run-elf -t 200 build/user/strace -f /bin/sh -c 'ls / | wc -l' > "$out" 2>&1
ok=1
for want in 'execve("/bin/ls", \["ls", "/"\]' 'execve("/bin/wc", \["wc", "-l"\]' 'read(0, "bin\\n", 4096)' \
	'+++ exited with 0 +++' 'SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED'; do
	grep -aq "$want" "$out" || { ok=0; echo "FAIL boot/strace-pipeline: no line like '$want'"; }
done
[ $(grep -ac '+++ exited with 0 +++' "$out") -ge 3 ] || { ok=0; echo "FAIL boot/strace-pipeline: fewer than 3 exits"; }
[ $ok = 1 ] && echo "PASS boot/strace-pipeline: strace -f sh -c 'ls / | wc -l' shows the pipeline on sysgate"
