#!/bin/sh
# Install what building and booting sysgate needs, from Debian's packages.
# As root it installs what is missing; otherwise it prints the one command.
# `tools/deps.sh --check` only reports (exit 1 if something is missing).
set -eu
need=""
have() { command -v "$1" >/dev/null 2>&1; }
have qemu-system-x86_64 || need="$need qemu-system-x86"
have nasm || need="$need nasm"
have grub-mkrescue || need="$need grub-common"
[ -d /usr/lib/grub/i386-pc ] || need="$need grub-pc-bin"
have xorriso || need="$need xorriso"
have mformat || need="$need mtools"
have gdb || need="$need gdb"
have musl-gcc || need="$need musl-tools"
have gcc || need="$need gcc"
have make || need="$need make"
have timeout || need="$need coreutils"
have strace || need="$need strace" # tools/strace-compare: Debian's strace is the oracle for ours
[ -z "$need" ] && exit 0
[ "${1:-}" = "--check" ] && { echo "missing packages:$need"; exit 1; }
if [ "$(id -u)" = 0 ]; then
	echo "deps: installing$need"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends $need >/dev/null
else
	echo "sysgate needs:$need"
	echo "install them with:  sudo apt-get install -y$need"
	exit 1
fi
