#!/bin/sh
# Boot test: poweroff ends QEMU on both of its PC machines (course section:
# devices).
#
# The PM1a control port differs between QEMU's pc (PIIX4) and q35 (ICH9)
# machines, and q35's firmware leaves the chipset in legacy mode: the kernel
# finds the port and the S5 sleep type in the ACPI tables (arch/x86_64/acpi.c)
# and switches the chipset to ACPI mode first. Each machine boots with
# /bin/poweroff as init; QEMU must exit by itself, not by the timeout.
cd "$(dirname "$0")/../.." || exit 1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tools/mkiso "$work/t.iso" build/kernel.elf build/initrd.cpio "init=/bin/poweroff" > /dev/null || exit 1
fail=0
for machine in pc q35; do
	timeout 120 tools/qemu.sh "$work/t.iso" -machine "$machine" -display none \
		-serial "file:$work/serial-$machine" > "$work/qemu-$machine" 2>&1
	status=$?
	line=$(grep -a 'sysgate: power off' "$work/serial-$machine" | tr -d '\r' | head -n 1)
	if [ $status = 0 ] && echo "$line" | grep -q 'ACPI: PM1a_CNT port'; then
		echo "PASS boot/poweroff-$machine: QEMU powered off (${line#sysgate: })"
	else
		echo "FAIL boot/poweroff-$machine: QEMU exit status $status, kernel said: ${line:-nothing}" \
			"($(tail -n 2 "$work/serial-$machine" | tr -d '\r' | tr '\n' ' '))"
		fail=1
	fi
done
exit $fail
