# sysgate: build, boot and test (run `make help`).
#
# Everything is written under build/. `V=1` shows the full commands;
# `WERROR=1` turns warnings into errors (tests and CI use it).

BUILD := build
GEN := $(BUILD)/gen
V ?= 0
WERROR ?= 0

ifeq ($(V),1)
Q :=
msg = @true
else
Q := @
msg = @printf '  %-6s %s\n' $(1) $(2)
endif

CC := gcc
LD := ld
NASM := nasm
AR := ar
GCC_INCLUDE := $(shell $(CC) -print-file-name=include)

WARN := -Wall -Wextra $(if $(filter 1,$(WERROR)),-Werror)
COMMON_CFLAGS := -std=gnu11 -O2 -g $(WARN) -ffreestanding -fno-builtin -nostdinc \
	-isystem $(GCC_INCLUDE) -fno-pic -fno-pie -fno-stack-protector \
	-fno-asynchronous-unwind-tables -fno-omit-frame-pointer -I. -I$(GEN)

# The kernel: no red zone (interrupts push onto the kernel stack below rsp),
# no SSE registers (the kernel does not save them for itself), addresses in
# the top 2 GiB (-mcmodel=kernel), frame pointers for backtraces.
KERNEL_CFLAGS := $(COMMON_CFLAGS) -mno-red-zone -mcmodel=kernel -mgeneral-regs-only \
	-fno-strict-aliasing -MMD -MP
KERNEL_LDFLAGS := -nostdlib -z max-page-size=0x1000 -z noexecstack --no-warn-rwx-segments -T linker.ld

# User programs and libc: static, freestanding, our own libc only. The same
# binaries run on sysgate and on Linux.
USER_CFLAGS := $(COMMON_CFLAGS) -Ilibc/include -Ilibc -MMD -MP
USER_LDFLAGS := -static -nostdlib -no-pie -Wl,-z,noexecstack -Wl,--build-id=none

NASMFLAGS := -f elf64 -g -F dwarf -I$(GEN)/ -I./

# --- sources ----------------------------------------------------------------
KERNEL_C := $(sort $(wildcard arch/x86_64/*.c kernel/*.c kernel/*/*.c mm/*.c drivers/*.c)) \
	libc/format.c libc/string.c
KERNEL_ASM := $(sort $(wildcard arch/x86_64/*.asm))
KERNEL_GEN_C := $(GEN)/syscall_table.c $(GEN)/syscall_info.c
KERNEL_OBJS := $(KERNEL_ASM:%.asm=$(BUILD)/kernel/%.o) $(KERNEL_C:%.c=$(BUILD)/kernel/%.o) \
	$(KERNEL_GEN_C:$(GEN)/%.c=$(BUILD)/kernel/gen/%.o)
ASM_INCLUDES := $(GEN)/arch/x86_64/x86.inc $(GEN)/arch/x86_64/segments.inc \
	$(GEN)/arch/x86_64/percpu.inc $(GEN)/arch/x86_64/regs.inc
GEN_HEADERS := $(GEN)/syscall_nr.h $(GEN)/syscall_protos.h

LIBC_C := $(sort $(wildcard libc/*.c))
LIBC_OBJS := $(LIBC_C:%.c=$(BUILD)/%.o) $(BUILD)/libc/gen/syscalls.o
CRT0 := $(BUILD)/libc/crt0.o
LIBC := $(BUILD)/libc/libc.a

PROGRAMS := $(patsubst user/%.c,%,$(sort $(wildcard user/*.c)))
TESTS := $(patsubst user/tests/%.c,%,$(sort $(wildcard user/tests/*.c)))
TESTLIB := $(patsubst %.c,$(BUILD)/%.o,$(sort $(wildcard user/tests/lib/*.c)))
PROGRAM_BINS := $(PROGRAMS:%=$(BUILD)/user/%)
TEST_BINS := $(TESTS:%=$(BUILD)/user/tests/%)
# Test programs built by other toolchains: raw syscalls without any libc, and musl.
RAW_C := $(sort $(wildcard user/raw/*.c))
MUSL_C := $(sort $(wildcard user/musl/*.c))
RAW_BINS := $(RAW_C:user/raw/%.c=$(BUILD)/user/raw/%)
MUSL_BINS := $(if $(shell command -v musl-gcc),$(MUSL_C:user/musl/%.c=$(BUILD)/user/musl/%))
GLIBC_C := $(sort $(wildcard user/glibc/*.c))
GLIBC_BINS := $(GLIBC_C:user/glibc/%.c=$(BUILD)/user/glibc/%)

MODULE_SRCS := $(sort $(wildcard modules/*.c))
MODULE_KOS := $(MODULE_SRCS:modules/%.c=$(BUILD)/modules/%.ko)

KERNEL := $(BUILD)/kernel.elf
INITRD := $(BUILD)/initrd.cpio
ISO := $(BUILD)/sysgate.iso
MKCPIO := $(BUILD)/tools/mkcpio
EXPECT := $(BUILD)/tools/expect

# Keep object files between runs (make would delete them as intermediates).
.SECONDARY:

.PHONY: all kernel user modules iso run run-gui gdb test unit clean help deps compile_commands
all: $(ISO) $(EXPECT) $(BUILD)/compile_commands.json

help:
	@echo "sysgate, a teaching kernel: the interface between programs and the OS"
	@echo
	@echo "  make            build the kernel, the user programs and the bootable ISO"
	@echo "  make run        boot in QEMU on this terminal (serial console; Ctrl-A X quits)"
	@echo "  make run-gui    boot in a QEMU window with the VGA screen"
	@echo "  make gdb        boot paused under GDB, stopped at the syscall entry"
	@echo "  make modules    build the sample modules (modules/*.c -> build/modules/*.ko)"
	@echo "  make test       host unit tests, the user suite on Linux and on sysgate, the GDB test"
	@echo "  make clean      remove build/"
	@echo "  tools/run-elf FILE [ARGS]   boot with FILE (any static x86_64 ELF) as the first process"
	@echo "  tools/run-elf build/user/bench   what each mechanism costs (ICOUNT=1: exact counts);"
	@echo "                              tools/bench-linux runs the same binary on Linux in QEMU"
	@echo "  tools/run-elf build/user/fuzz [ROUNDS [SEED]]   random hostile syscalls, then a leak check"
	@echo
	@echo "  V=1 shows commands; WERROR=1 makes warnings errors; ACCEL=tcg|kvm, ICOUNT=1,"
	@echo "  QEMU_EXTRA='...' change how QEMU runs (see README.md)."

# --- generated files ----------------------------------------------------------
$(GEN)/syscall_nr.h: kernel/syscalls.tbl tools/gensyscalls.awk
	$(call msg,GEN,$@)
	@mkdir -p $(@D)
	$(Q)awk -v out=nr -f tools/gensyscalls.awk $< > $@.tmp && mv $@.tmp $@
$(GEN)/syscall_protos.h: kernel/syscalls.tbl tools/gensyscalls.awk
	$(call msg,GEN,$@)
	@mkdir -p $(@D)
	$(Q)awk -v out=protos -f tools/gensyscalls.awk $< > $@.tmp && mv $@.tmp $@
$(GEN)/syscall_table.c: kernel/syscalls.tbl tools/gensyscalls.awk
	$(call msg,GEN,$@)
	@mkdir -p $(@D)
	$(Q)awk -v out=table -f tools/gensyscalls.awk $< > $@.tmp && mv $@.tmp $@
$(GEN)/syscall_info.c: kernel/syscalls.tbl tools/gensyscalls.awk
	$(call msg,GEN,$@)
	@mkdir -p $(@D)
	$(Q)awk -v out=info -f tools/gensyscalls.awk $< > $@.tmp && mv $@.tmp $@
$(GEN)/syscalls.c: kernel/syscalls.tbl tools/gensyscalls.awk
	$(call msg,GEN,$@)
	@mkdir -p $(@D)
	$(Q)awk -v out=libc -f tools/gensyscalls.awk $< > $@.tmp && mv $@.tmp $@
$(GEN)/%.inc: %.h tools/h2inc.awk
	$(call msg,GEN,$@)
	@mkdir -p $(@D)
	$(Q)awk -f tools/h2inc.awk $< > $@

# --- kernel -------------------------------------------------------------------
kernel: $(KERNEL)

$(BUILD)/kernel/%.o: %.c | $(GEN_HEADERS)
	$(call msg,CC,$<)
	@mkdir -p $(@D)
	$(Q)$(CC) $(KERNEL_CFLAGS) -c $< -o $@
$(BUILD)/kernel/gen/%.o: $(GEN)/%.c $(GEN_HEADERS)
	$(call msg,CC,$<)
	@mkdir -p $(@D)
	$(Q)$(CC) $(KERNEL_CFLAGS) -c $< -o $@
$(BUILD)/kernel/%.o: %.asm $(ASM_INCLUDES)
	$(call msg,AS,$<)
	@mkdir -p $(@D)
	$(Q)$(NASM) $(NASMFLAGS) -MD $(@:.o=.d) -MP $< -o $@

# Two links: the first gives the addresses of all functions; gensyms.awk
# turns them into the .ksyms table; the second link adds the table, which
# sits last in the image so no function moves (see linker.ld).
$(BUILD)/kernel.stage1.elf: $(KERNEL_OBJS) linker.ld
	$(call msg,LD,$@)
	$(Q)awk -f tools/gensyms.awk /dev/null > $(GEN)/ksyms_empty.asm
	$(Q)$(NASM) -f elf64 $(GEN)/ksyms_empty.asm -o $(BUILD)/kernel/ksyms_empty.o
	$(Q)$(LD) $(KERNEL_LDFLAGS) -o $@ $(KERNEL_OBJS) $(BUILD)/kernel/ksyms_empty.o
$(KERNEL): $(BUILD)/kernel.stage1.elf tools/gensyms.awk
	$(call msg,LD,$@)
	$(Q)nm -n $< | awk -f tools/gensyms.awk > $(GEN)/ksyms.asm
	$(Q)$(NASM) -f elf64 $(GEN)/ksyms.asm -o $(BUILD)/kernel/ksyms.o
	$(Q)$(LD) $(KERNEL_LDFLAGS) -o $@ $(KERNEL_OBJS) $(BUILD)/kernel/ksyms.o
	$(Q)nm -n $@ | awk -f tools/gensyms.awk | cmp -s - $(GEN)/ksyms.asm || \
		{ echo "kernel symbols moved between the two links"; exit 1; }

# --- modules: relocatable objects the kernel links at run time ---------------
# Compiled exactly like the kernel (they run inside it), then `ld -r`.
$(BUILD)/modules/%.o: modules/%.c | $(GEN_HEADERS)
	$(call msg,CC,$<)
	@mkdir -p $(@D)
	$(Q)$(CC) $(KERNEL_CFLAGS) -fno-common -c $< -o $@
$(BUILD)/modules/%.ko: $(BUILD)/modules/%.o
	$(call msg,LD,$@)
	$(Q)$(LD) -r -o $@ $<
modules: $(MODULE_KOS)

# --- libc and user programs ---------------------------------------------------
$(BUILD)/libc/%.o: libc/%.c | $(GEN_HEADERS)
	$(call msg,CC,$<)
	@mkdir -p $(@D)
	$(Q)$(CC) $(USER_CFLAGS) -c $< -o $@
$(BUILD)/libc/gen/syscalls.o: $(GEN)/syscalls.c $(GEN_HEADERS)
	$(call msg,CC,$<)
	@mkdir -p $(@D)
	$(Q)$(CC) $(USER_CFLAGS) -c $< -o $@
$(CRT0): libc/crt0.asm
	$(call msg,AS,$<)
	@mkdir -p $(@D)
	$(Q)$(NASM) $(NASMFLAGS) $< -o $@
$(LIBC): $(LIBC_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(BUILD)/user/%.o: user/%.c | $(GEN_HEADERS)
	$(call msg,CC,$<)
	@mkdir -p $(@D)
	$(Q)$(CC) $(USER_CFLAGS) -Iuser/tests/lib -c $< -o $@
# The test library's objects by a static rule: as prerequisites of the
# pattern rule below they would otherwise be matched by it too.
$(TESTLIB): $(BUILD)/user/tests/lib/%.o: user/tests/lib/%.c | $(GEN_HEADERS)
	$(call msg,CC,$<)
	@mkdir -p $(@D)
	$(Q)$(CC) $(USER_CFLAGS) -Iuser/tests/lib -c $< -o $@
$(BUILD)/user/tests/%: $(BUILD)/user/tests/%.o $(TESTLIB) $(CRT0) $(LIBC)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(USER_LDFLAGS) -o $@ $(CRT0) $< $(TESTLIB) $(LIBC) -lgcc
$(BUILD)/user/%: $(BUILD)/user/%.o $(CRT0) $(LIBC)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(USER_LDFLAGS) -o $@ $(CRT0) $< $(LIBC) -lgcc

# No libc at all: _start and raw `syscall` instructions (gcc -static -nostdlib).
$(BUILD)/user/raw/%: user/raw/%.c
	$(call msg,CC,$<)
	@mkdir -p $(@D)
	$(Q)$(CC) -static -nostdlib -no-pie -fno-pic -O2 -fno-stack-protector -ffreestanding \
		-fno-tree-loop-distribute-patterns -o $@ $<
# musl's own libc, as any Linux program would be built (musl-gcc -static).
$(BUILD)/user/musl/%: user/musl/%.c
	$(call msg,MUSL,$<)
	@mkdir -p $(@D)
	$(Q)musl-gcc -static -pthread -O2 -o $@ $<
# The system's glibc, statically, as most Linux programs are built.
$(BUILD)/user/glibc/%: user/glibc/%.c
	$(call msg,GLIBC,$<)
	@mkdir -p $(@D)
	$(Q)$(CC) -static -pthread -O2 -o $@ $<

user: $(PROGRAM_BINS) $(TEST_BINS) $(RAW_BINS) $(MUSL_BINS) $(GLIBC_BINS)

# --- initrd and ISO -----------------------------------------------------------
$(BUILD)/tools/%: tools/%.c
	$(call msg,HOSTCC,$<)
	@mkdir -p $(@D)
	$(Q)$(CC) -O2 -Wall -Wextra -o $@ $<

# The initrd is a cpio "newc" archive of build/initrd/: programs in /bin,
# tests in /tests, the files of user/root/ as they are. initrd.list names
# what goes in and changes only when that list does, so that deleting a
# program or a module also rebuilds the initrd (without it, nothing newer).
INITRD_FILES := $(PROGRAM_BINS) $(TEST_BINS) $(RAW_BINS) $(MUSL_BINS) $(GLIBC_BINS) $(MODULE_KOS)
$(BUILD)/initrd.list: FORCE
	@mkdir -p $(@D)
	@echo "$(INITRD_FILES)" | cmp -s - $@ || echo "$(INITRD_FILES)" > $@
FORCE:
.PHONY: FORCE
$(INITRD): $(INITRD_FILES) $(BUILD)/initrd.list $(MKCPIO) $(shell find user/root -type f 2>/dev/null)
	$(call msg,CPIO,$@)
	$(Q)rm -rf $(BUILD)/initrd && mkdir -p $(BUILD)/initrd/bin $(BUILD)/initrd/tests $(BUILD)/initrd/tmp \
		$(BUILD)/initrd/lib/modules
	$(Q)[ ! -d user/root ] || cp -r user/root/. $(BUILD)/initrd/
	$(Q)cp $(PROGRAM_BINS) $(BUILD)/initrd/bin/
	$(Q)for f in $(TEST_BINS) $(RAW_BINS) $(MUSL_BINS) $(GLIBC_BINS); do cp $$f $(BUILD)/initrd/tests/; done
	$(Q)for f in $(MODULE_KOS); do cp $$f $(BUILD)/initrd/lib/modules/; done
	$(Q)$(MKCPIO) $@ $(BUILD)/initrd

$(ISO): $(KERNEL) $(INITRD) tools/mkiso
	$(call msg,ISO,$@)
	$(Q)tools/mkiso $@ $(KERNEL) $(INITRD) "init=/bin/init"
iso: $(ISO)

# --- running ------------------------------------------------------------------
deps:
	@tools/deps.sh

run: deps $(ISO)
	@tools/qemu.sh $(ISO) -serial mon:stdio -display none

run-gui: deps $(ISO)
	@tools/qemu.sh $(ISO) -serial vc

gdb: deps $(ISO)
	@tools/gdb.sh $(ISO)

# --- tests ----------------------------------------------------------------------
test: deps
	@$(MAKE) --no-print-directory WERROR=1 all user
	@tools/test.sh

unit:
	@tools/test.sh unit

compile_commands: $(BUILD)/compile_commands.json
# For clangd: remade when the list of sources changes (initrd.list follows
# the programs and modules), not on every edit.
USER_SRCS := $(LIBC_C) $(wildcard user/*.c user/tests/*.c user/tests/lib/*.c)
$(BUILD)/compile_commands.json: Makefile $(BUILD)/initrd.list
	@mkdir -p $(@D)
	$(Q)tools/compile-commands.sh "$(CC) $(KERNEL_CFLAGS)" "$(KERNEL_C) $(MODULE_SRCS)" "$(CC) $(USER_CFLAGS)" \
		"$(USER_SRCS)" > $@

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# user/strace decodes arguments with the tracer table generated from
# kernel/syscalls.tbl (build/gen/syscall_info.c), compiled into it.
$(BUILD)/user/strace.o: USER_CFLAGS += -I. -I$(GEN)
$(BUILD)/user/strace.o: $(GEN)/syscall_info.c
