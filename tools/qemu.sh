#!/bin/sh
# Start QEMU on a sysgate ISO (course section: running the kernel).
#
# Usage: tools/qemu.sh ISO [more QEMU arguments]
#        tools/qemu.sh -kernel KERNEL.elf -initrd INITRD -append CMDLINE [more]
# The first boots GRUB from the ISO (make run); the second has QEMU load the
# kernel itself by its PVH note (arch/x86_64/boot.asm): no GRUB, a quicker
# boot, which tools/run-elf and the tests use.
# Environment:
#   ACCEL=kvm|tcg   force an accelerator. By default KVM is used only where it
#                   really works: /dev/kvm read-write, a CPU with vmx or svm,
#                   and not the paravirtual kvm_pvm module (which cannot run
#                   an ordinary kernel). Otherwise TCG, QEMU's own emulation.
#   ICOUNT=1        TCG with -icount shift=0,sleep=off: the TSC counts guest
#                   instructions, so benchmark figures repeat exactly.
#   QEMU_EXTRA=...  extra arguments, appended.
#   MEM=256M        guest memory.
set -eu
if [ "$1" = -kernel ]; then
	boot_args=""                  # -kernel ... stays in "$@"
else
	boot_args="-cdrom $1 -boot d"
	shift
fi

kvm_works() {
	[ -r /dev/kvm ] && [ -w /dev/kvm ] || return 1
	grep -qE '^flags.* (vmx|svm)( |$)' /proc/cpuinfo || return 1
	! grep -q '^kvm_pvm ' /proc/modules 2>/dev/null
}

accel=${ACCEL:-}
if [ -z "$accel" ]; then
	if [ "${ICOUNT:-0}" != 1 ] && kvm_works; then accel=kvm; else accel=tcg; fi
fi
case $accel in
kvm) accel_args="-accel kvm -cpu host" ;;
tcg)
	accel_args="-accel tcg -cpu max"
	[ "${ICOUNT:-0}" = 1 ] && accel_args="$accel_args -icount shift=0,sleep=off"
	;;
*) echo "qemu.sh: ACCEL must be kvm or tcg" >&2; exit 2 ;;
esac

# shellcheck disable=SC2086
exec qemu-system-x86_64 -machine pc $accel_args -m "${MEM:-256M}" \
	$boot_args -no-reboot -nic none "$@" ${QEMU_EXTRA:-}
