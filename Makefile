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

# The tools the build runs must be there: say which Debian packages have
# them (tools/deps.sh --build) rather than fail on the first missing one.
# The targets that start with `deps` (run, test, gdb...) install them first
# instead, as root, or print the same line.
ifneq ($(filter-out help clean deps run run-gui gdb qemu-gdb gdb-attach test,$(or $(MAKECMDGOALS),all)),)
MISSING_TOOLS := $(shell tools/deps.sh --build)
ifneq ($(MISSING_TOOLS),)
$(error $(MISSING_TOOLS))
endif
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

# --- sanitizers: the kernel checking itself (kernel/debug/README.md) -----------
# UBSAN=1: undefined-behaviour checks with the kernel's own handlers; on in
#          test builds (make test, make test-kasan), off by default: it
#          doubles the cost of a syscall, and user/bench measures the kernel.
# KASAN=1: the address sanitizer: every kernel memory access checked against
#          shadow memory (1 byte per 8), redzones, freed memory quarantined.
# The files that implement the checks are not checked; the flags in use are
# recorded, so switching rebuilds the kernel and the modules.
UBSAN ?= 0
KASAN ?= 0
UBSAN_FLAGS :=
KASAN_FLAGS :=
ifeq ($(UBSAN),1)
UBSAN_FLAGS := -fsanitize=shift,integer-divide-by-zero,unreachable,vla-bound,null,bool,enum \
	-fsanitize=signed-integer-overflow,bounds,alignment,builtin,nonnull-attribute
KERNEL_CFLAGS += -DCONFIG_UBSAN
endif
ifeq ($(KASAN),1)
KASAN_FLAGS := -fsanitize=kernel-address -fasan-shadow-offset=0xdffffc0000000000 \
	--param asan-globals=1 --param asan-stack=0 --param asan-instrumentation-with-call-threshold=0
KERNEL_CFLAGS += -DCONFIG_KASAN
endif
SANITIZE := $(UBSAN_FLAGS) $(KASAN_FLAGS)
NO_SANITIZE := $(wildcard kernel/debug/ubsan.c kernel/debug/kasan*.c kernel/debug/kmemleak.c)
$(NO_SANITIZE:%.c=$(BUILD)/kernel/%.o): private SANITIZE :=
# Walked in O(n^2) by the lock-limit test (16,384 locks): too slow checked.
NO_KASAN := kernel/fs/filelock.c
$(NO_KASAN:%.c=$(BUILD)/kernel/%.o): private SANITIZE := $(UBSAN_FLAGS)
# FTRACE=1: the function tracer (kernel/tracing/ftrace.c). gcc puts a 5-byte
#          nop at the entry of every kernel function and records where
#          (-pg -mfentry -mnop-mcount -mrecord-mcount, the __mcount_loc
#          section); `echo function > current_tracer` patches them into
#          calls. Off by default: each nop is one more instruction per
#          function called (user/bench's getpid: kernel/tracing/README.md).
# Never traced: arch/x86_64 (the entry and exception code runs before
# `current` and the stack are the kernel's), kernel/tracing (the tracer would
# trace itself), libc's memcpy and formatting and the clock (the tracer
# calls them), and the sanitizers' handlers.
FTRACE ?= 0
FTRACE_FLAGS :=
ifeq ($(FTRACE),1)
FTRACE_FLAGS := -pg -mfentry -mnop-mcount -mrecord-mcount
KERNEL_CFLAGS += -DCONFIG_FTRACE
endif
NO_FTRACE := $(wildcard arch/x86_64/*.c kernel/tracing/*.c libc/*.c drivers/timer.c kernel/debug/ubsan.c \
	kernel/debug/kasan*.c kernel/debug/kmemleak.c)
$(NO_FTRACE:%.c=$(BUILD)/kernel/%.o): private FTRACE_FLAGS :=
SANITIZE_USED := $(SANITIZE) except $(NO_SANITIZE) $(NO_KASAN) ftrace $(FTRACE_FLAGS)
SANITIZE_STAMP := $(BUILD)/kernel/sanitize.flags

# User programs and libc: static, freestanding, our own libc only. The same
# binaries run on sysgate and on Linux.
USER_CFLAGS := $(COMMON_CFLAGS) -Ilibc/include -Ilibc -MMD -MP
USER_LDFLAGS := -static -nostdlib -no-pie -Wl,-z,noexecstack -Wl,--build-id=none

NASMFLAGS := -f elf64 -g -F dwarf -I$(GEN)/ -I./

# --- sources ----------------------------------------------------------------
KERNEL_C := $(sort $(wildcard arch/x86_64/*.c kernel/*.c kernel/*/*.c mm/*.c drivers/*.c)) \
	libc/format.c libc/string.c
KERNEL_ASM := $(sort $(wildcard arch/x86_64/*.asm))
KERNEL_GEN_C := $(GEN)/syscall_table.c $(GEN)/syscall_info.c $(GEN)/syscall_events.c
KERNEL_OBJS := $(KERNEL_ASM:%.asm=$(BUILD)/kernel/%.o) $(KERNEL_C:%.c=$(BUILD)/kernel/%.o) \
	$(KERNEL_GEN_C:$(GEN)/%.c=$(BUILD)/kernel/gen/%.o)
ASM_INCLUDES := $(GEN)/arch/x86_64/x86.inc $(GEN)/arch/x86_64/segments.inc \
	$(GEN)/arch/x86_64/percpu.inc $(GEN)/arch/x86_64/regs.inc
GEN_HEADERS := $(GEN)/syscall_nr.h $(GEN)/syscall_protos.h $(GEN)/syscall_wrappers.h

LIBC_C := $(sort $(wildcard libc/*.c))
LIBC_OBJS := $(LIBC_C:%.c=$(BUILD)/%.o) $(BUILD)/libc/gen/syscalls.o
CRT0 := $(BUILD)/libc/crt0.o
LIBC := $(BUILD)/libc/libc.a

PROGRAMS := $(patsubst user/%.c,%,$(sort $(wildcard user/*.c)))
# A folder user/NAME/ with a main.c is one program NAME made of all its files.
FOLDER_PROGRAMS := $(patsubst user/%/main.c,%,$(sort $(wildcard user/*/main.c)))
PROGRAMS += $(FOLDER_PROGRAMS)
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

.PHONY: all kernel user modules iso run run-gui gdb qemu-gdb gdb-attach test test-kasan unit costs clean help deps compile_commands
all: $(ISO) $(EXPECT) $(BUILD)/compile_commands.json

help:
	@echo "sysgate, a teaching kernel: the interface between programs and the OS"
	@echo
	@echo "  make            build the kernel, the user programs and the bootable ISO"
	@echo "  make run        boot in QEMU on this terminal (serial console; Ctrl-A X quits)"
	@echo "  make run-gui    boot in a QEMU window with the VGA screen"
	@echo "  make gdb        boot paused under GDB, stopped at the syscall entry"
	@echo "  make gdb PROG=hello   the same, GDB stopped at that program's main"
	@echo "  make qemu-gdb [PROG=hello]   QEMU's console here; make gdb-attach in another terminal"
	@echo "  make modules    build the sample modules (modules/*.c -> build/modules/*.ko)"
	@echo "  make test       host unit tests, the user suite on Linux and on sysgate, the GDB test"
	@echo "  make test-kasan the sysgate suite on a kernel built with KASAN=1 (build/kasan/)"
	@echo "  make clean      remove build/"
	@echo "  tools/run-elf FILE [ARGS]   boot with FILE (any static x86_64 ELF) as the first process"
	@echo "  tools/run-elf build/user/bench   what each mechanism costs (ICOUNT=1: exact counts);"
	@echo "                              tools/bench-linux runs the same binary on Linux in QEMU"
	@echo "  make costs      every bench figure on sysgate beside Linux's, with the ratio (ICOUNT)"
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
$(GEN)/syscall_wrappers.h: kernel/syscalls.tbl tools/gensyscalls.awk
	$(call msg,GEN,$@)
	@mkdir -p $(@D)
	$(Q)awk -v out=wrappers -f tools/gensyscalls.awk $< > $@.tmp && mv $@.tmp $@
$(GEN)/syscall_table.c: kernel/syscalls.tbl tools/gensyscalls.awk
	$(call msg,GEN,$@)
	@mkdir -p $(@D)
	$(Q)awk -v out=table -f tools/gensyscalls.awk $< > $@.tmp && mv $@.tmp $@
$(GEN)/syscall_info.c: kernel/syscalls.tbl tools/gensyscalls.awk
	$(call msg,GEN,$@)
	@mkdir -p $(@D)
	$(Q)awk -v out=info -f tools/gensyscalls.awk $< > $@.tmp && mv $@.tmp $@
$(GEN)/syscall_events.c: kernel/syscalls.tbl tools/gensyscalls.awk
	$(call msg,GEN,$@)
	@mkdir -p $(@D)
	$(Q)awk -v out=events -f tools/gensyscalls.awk $< > $@.tmp && mv $@.tmp $@
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

# The sanitizer flags in use: rewritten when they change, which rebuilds
# every kernel and module object.
$(SANITIZE_STAMP): FORCE
	@mkdir -p $(@D)
	@echo "$(SANITIZE_USED)" | cmp -s - $@ || echo "$(SANITIZE_USED)" > $@

$(BUILD)/kernel/%.o: %.c $(SANITIZE_STAMP) | $(GEN_HEADERS)
	$(call msg,CC,$<)
	@mkdir -p $(@D)
	$(Q)$(CC) $(KERNEL_CFLAGS) $(SANITIZE) $(FTRACE_FLAGS) -c $< -o $@
$(BUILD)/kernel/gen/%.o: $(GEN)/%.c $(GEN_HEADERS) $(SANITIZE_STAMP)
	$(call msg,CC,$<)
	@mkdir -p $(@D)
	$(Q)$(CC) $(KERNEL_CFLAGS) $(SANITIZE) $(FTRACE_FLAGS) -c $< -o $@
$(BUILD)/kernel/%.o: %.asm $(ASM_INCLUDES)
	$(call msg,AS,$<)
	@mkdir -p $(@D)
	$(Q)$(NASM) $(NASMFLAGS) -MD $(@:.o=.d) -MP $< -o $@

# The vDSO: user-mode code the kernel maps into every process, built as a
# small shared object of its own and carried in the kernel image
# (arch/x86_64/vdso_image.asm incbins it; see kernel/vdso/README.md).
VDSO_CFLAGS := -std=gnu11 -O2 $(WARN) -fPIC -shared -nostdlib -ffreestanding -fno-builtin \
	-fno-stack-protector -fno-asynchronous-unwind-tables -I. \
	-Wl,-T,arch/x86_64/vdso/vdso.lds -Wl,--hash-style=both -Wl,-soname=linux-vdso.so.1 \
	-Wl,--build-id=none -Wl,-z,max-page-size=4096 -Wl,--no-undefined
$(GEN)/vdso.so: arch/x86_64/vdso/vdso.c arch/x86_64/vdso/vdso.lds kernel/vdso/vvar.h libc/include/abi/time.h
	$(call msg,VDSO,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(VDSO_CFLAGS) -o $@ $<
$(BUILD)/kernel/arch/x86_64/vdso_image.o: $(GEN)/vdso.so

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
$(BUILD)/modules/%.o: modules/%.c $(SANITIZE_STAMP) | $(GEN_HEADERS)
	$(call msg,CC,$<)
	@mkdir -p $(@D)
	$(Q)$(CC) $(KERNEL_CFLAGS) $(SANITIZE) -fno-common -c $< -o $@
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
# Each program of /bin at its own address (the n-th at n * 16 MiB + 4 MiB),
# so that a breakpoint on one program's main under GDB (make gdb PROG=...)
# never stops another program, whose code would be at the same address.
load_address = -Wl,-Ttext-segment=$$(echo $(PROGRAMS) | tr ' ' '\n' | \
	awk -v p=$(1) '$$0 == p { printf "0x%x", 4194304 + NR * 16777216 }')
$(BUILD)/user/%: $(BUILD)/user/%.o $(CRT0) $(LIBC)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(USER_LDFLAGS) $(call load_address,$*) -o $@ $(CRT0) $< $(LIBC) -lgcc
# Its objects go to build/obj/user/NAME/, since build/user/NAME is the program.
$(BUILD)/obj/user/%.o: user/%.c | $(GEN_HEADERS)
	$(call msg,CC,$<)
	@mkdir -p $(@D)
	$(Q)$(CC) $(USER_CFLAGS) -c $< -o $@
define folder_program
$(BUILD)/user/$(1): $(patsubst %.c,$(BUILD)/obj/%.o,$(sort $(wildcard user/$(1)/*.c))) $(CRT0) $(LIBC)
	$$(call msg,LINK,$$@)
	$$(Q)$$(CC) $$(USER_LDFLAGS) $$(call load_address,$(1)) -o $$@ $$(CRT0) $$(filter-out $$(CRT0) $$(LIBC),$$^) $$(LIBC) -lgcc
endef
$(foreach p,$(FOLDER_PROGRAMS),$(eval $(call folder_program,$(p))))
# bench links its scaling benchmarks (user/benchlib/) too.
BENCHLIB := $(patsubst %.c,$(BUILD)/%.o,$(sort $(wildcard user/benchlib/*.c)))
$(BENCHLIB): $(BUILD)/user/benchlib/%.o: user/benchlib/%.c | $(GEN_HEADERS)
	$(call msg,CC,$<)
	@mkdir -p $(@D)
	$(Q)$(CC) $(USER_CFLAGS) -c $< -o $@
$(BUILD)/user/bench: $(BUILD)/user/bench.o $(BENCHLIB) $(CRT0) $(LIBC)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(USER_LDFLAGS) $(call load_address,bench) -o $@ $(CRT0) $< $(BENCHLIB) $(LIBC) -lgcc

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
	$(Q)chmod 1777 $(BUILD)/initrd/tmp   # /tmp: anyone adds names, only owners remove them
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
	@tools/deps.sh --gui
	@tools/qemu.sh $(ISO) -serial vc

# PROG=hello: that program started from the shell, GDB stopped at its main.
gdb: deps $(ISO)
	@tools/gdb.sh $(ISO) $(PROG)
qemu-gdb: deps $(ISO)
	@tools/gdb.sh --console-here $(ISO) $(PROG)
gdb-attach:
	@gdb -q -x build/gdbinit

# --- tests ----------------------------------------------------------------------
test: deps
	@$(MAKE) --no-print-directory WERROR=1 UBSAN=1 all user
	@tools/test.sh

unit:
	@tools/test.sh unit

# What each mechanism costs, sysgate beside Linux (tools/costs).
costs: all user
	@tools/costs
# The sysgate half of the suite and the boot tests, the fuzzer's campaign
# grown to 100,200 calls, on a kernel built with KASAN (and UBSAN), in its
# own build directory: build/ stays as it is.
test-kasan: deps
	@$(MAKE) --no-print-directory WERROR=1 UBSAN=1 KASAN=1 BUILD=$(BUILD)/kasan all user
	@SYSGATE_BUILD=$(CURDIR)/$(BUILD)/kasan FUZZ_ROUNDS=334 tools/test.sh sysgate boot

compile_commands: $(BUILD)/compile_commands.json
# For clangd: remade when the list of sources changes (initrd.list follows
# the programs and modules), not on every edit.
USER_SRCS := $(LIBC_C) $(wildcard user/*.c user/*/*.c user/tests/*.c user/tests/lib/*.c)
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
