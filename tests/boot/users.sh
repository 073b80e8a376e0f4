#!/bin/sh
# Boot test: a session as an ordinary user (course section: kernel design
# -- privilege).
#
# Boots the normal ISO, where init starts root's shell, and types: `id` and
# `whoami` as root; `su - user` into the ordinary user of /etc/passwd, who
# works in its own home but is refused what only root may do -- writing
# root's files, killing root's processes (init), loading a module,
# powering off, becoming root again; then `exit` back to root, who
# powers off. A line each: PASS boot/users-... or FAIL boot/users-...
cd "$(dirname "$0")/../.." || exit 1
top=$(pwd)
work=$(mktemp -d)
trap 'cp "$work/expect.log" /tmp/boot-users-expect.log 2>/dev/null; rm -rf "$work"' EXIT
cat > "$work/script" <<SCRIPT
timeout 60
expect boot/users-banner sysgate: a teaching kernel
expect boot/users-root-prompt \$ 
send id; whoami\r
expect boot/users-root-id uid=0(root) gid=0(root) groups=0(root)\r\nroot\r
wait \$ 
send su - user\r
sleep 500
send id; whoami; pwd\r
expect boot/users-user-id uid=1000(user) gid=1000(user) groups=1000(user),100(users)\r\nuser\r\n/home/user\r
wait \$ 
send echo mine > note; cat note\r
expect boot/users-writes-own-home \nmine\r
wait \$ 
send echo x >> /etc/passwd\r
expect boot/users-root-file-refused Permission denied
wait \$ 
send kill 1\r
expect boot/users-kill-root-refused Operation not permitted
wait \$ 
send insmod /lib/modules/hello.ko\r
expect boot/users-insmod-refused Operation not permitted
wait \$ 
send poweroff\r
expect boot/users-reboot-refused Operation not permitted
wait \$ 
send su\r
expect boot/users-su-refused su: setgroups: Operation not permitted
wait \$ 
send exit\r
sleep 500
send whoami\r
expect boot/users-back-to-root \nroot\r
wait \$ 
send poweroff\r
expect boot/users-root-powers-off sysgate: power off
SCRIPT
cd "$work" && "$top/build/tools/expect" "$work/script" -- "$top/tools/qemu.sh" "$top/build/sysgate.iso" \
	-display none -serial stdio
status=$?
[ $status = 0 ] || tail -c 3000 "$work/expect.log" | sed 's/^/  | /' >&2
exit $status
