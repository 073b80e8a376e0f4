#!/bin/sh
# Host unit test of the syscall table generator, tools/gensyscalls.awk
# (course section: the syscall gate).
#
# Runs the generator on a small table and checks each output: numbers,
# prototypes, the dispatch thunks (arguments from the right registers),
# the tracer's argument kinds and libc's wrappers; and that a broken table
# is refused.
cd "$(dirname "$0")/../.." || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { # what, file, fixed string expected in it
	if grep -qF -- "$3" "$2"; then echo "PASS unit/gensyscalls: $1"
	else echo "FAIL unit/gensyscalls: $1: '$3' not in the output"; fail=1; fi
}
cat > "$tmp/t.tbl" <<'TBL'
# a comment
0	read	ssize_t	(int fd, void __user *buf, size_t count)
9	mmap	-	(unsigned long addr, unsigned long len, unsigned long prot, unsigned long flags, int fd, unsigned long off)
21	access	int	(const char __user *path, int mode)
TBL
for o in nr protos table info libc; do
	awk -v out=$o -f tools/gensyscalls.awk "$tmp/t.tbl" > "$tmp/$o" || { echo "FAIL unit/gensyscalls: $o output"; fail=1; }
done
check "numbers" "$tmp/nr" "#define __NR_access 21"
check "the table has room for 512 syscalls (free slots for modules)" "$tmp/nr" "#define NR_SYSCALLS 512"
check "prototypes keep __user" "$tmp/protos" "long sys_read(int fd, void __user *buf, size_t count);"
check "thunk reads rdi, rsi, rdx" "$tmp/table" "return sys_read((int)r->rdi, (void __user *)r->rsi, (size_t)r->rdx);"
check "the fourth argument comes from r10, not rcx" "$tmp/table" "(unsigned long)r->r10, (int)r->r8, (unsigned long)r->r9"
check "table slot" "$tmp/table" "[21] = thunk_access,"
check "a path is a string for the tracer" "$tmp/info" '{ "path", ARG_STR }'
check "read's buffer is output" "$tmp/info" '{ "buf", ARG_BUF_OUT }'
check "libc wrapper without __user" "$tmp/libc" "ssize_t read(int fd, void *buf, size_t count)"
if grep -q "mmap(" "$tmp/libc"; then echo "FAIL unit/gensyscalls: '-' must mean no libc wrapper"; fail=1
else echo "PASS unit/gensyscalls: '-' means no libc wrapper"; fi
printf '1\twrite\tssize_t\t(int fd)\n1\tdup\tint\t(int fd)\n' > "$tmp/dup.tbl"
if awk -v out=nr -f tools/gensyscalls.awk "$tmp/dup.tbl" >/dev/null 2>&1; then
	echo "FAIL unit/gensyscalls: a number used twice must be refused"; fail=1
else echo "PASS unit/gensyscalls: a number used twice is refused"; fi
exit $fail
