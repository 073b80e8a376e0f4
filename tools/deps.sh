#!/bin/sh
# Install what building and booting sysgate needs, from Debian's packages.
# As root it installs what is missing; otherwise it prints the one command.
# `tools/deps.sh --check` only reports (exit 1 if something is missing).
# `tools/deps.sh --build` reports what `make` itself needs, as the one line
# that installs it (the Makefile runs it first, so a missing nasm is not
# "make: nasm: No such file or directory"). `tools/deps.sh --gui` checks
# that QEMU can open a window (make run-gui).
set -eu
need=""
have() { command -v "$1" >/dev/null 2>&1; }
if [ "${1:-}" = "--gui" ]; then
	qemu-system-x86_64 -display help 2>/dev/null | grep -qxE 'gtk|sdl' && exit 0
	echo "make run-gui: this QEMU cannot open a window (no gtk or sdl display)."
	echo "install it with:  sudo apt-get install -y qemu-system-gui     (or use make run)"
	exit 1
fi
if [ "${1:-}" = "--build" ]; then
	have gcc || need="$need gcc"
	have ld && have ar && have nm || need="$need binutils"
	have awk || need="$need gawk"
	have nasm || need="$need nasm"
	have grub-mkrescue || need="$need grub-common"
	[ -d /usr/lib/grub/i386-pc ] || need="$need grub-pc-bin"
	have xorriso || need="$need xorriso"
	have mformat || need="$need mtools"
	have clang || need="$need clang llvm" # BPF programs in C (user/bpf/): clang -target bpf
	[ -z "$need" ] && exit 0
	echo "sysgate's build needs:$need; install with: sudo apt-get install -y$need (or run tools/deps.sh as root)"
	exit 1
fi
have qemu-system-x86_64 || need="$need qemu-system-x86"
have nasm || need="$need nasm"
have grub-mkrescue || need="$need grub-common"
[ -d /usr/lib/grub/i386-pc ] || need="$need grub-pc-bin"
have xorriso || need="$need xorriso"
have mformat || need="$need mtools"
have gdb || need="$need gdb"
have musl-gcc || need="$need musl-tools"
have gcc || need="$need gcc"
have clang || need="$need clang llvm" # BPF programs in C (user/bpf/*.bpf.c); llvm-objdump -d shows them
have make || need="$need make"
have timeout || need="$need coreutils"
[ -x /bin/busybox ] || need="$need busybox-static" # the busybox comparison test
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
