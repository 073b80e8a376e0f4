/*
 * kmain: bringing the kernel up, in order (course section: booting).
 *
 * boot.asm arrives here in 64-bit mode on the boot stack, with the
 * multiboot2 magic and the address of GRUB's boot information. Each step
 * below needs the ones before it: we can print before we have memory
 * management, we need frames before page tables, page tables before the
 * heap, the heap before tasks, interrupts before a scheduler... The last
 * step starts the first program and turns this boot thread into the idle
 * task, which runs only when nothing else can.
 */
#include "kernel/fs/sysfs.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/idt.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/pic.h"
#include "drivers/console.h"
#include "drivers/keyboard.h"
#include "drivers/memdev.h"
#include "drivers/serial.h"
#include "drivers/timer.h"
#include "drivers/tty.h"
#include "kernel/debug/diag.h"
#include "kernel/debug/kasan.h"
#include "kernel/debug/kmemleak.h"
#include "kernel/debug/knobs.h"
#include "kernel/debug/pstore.h"
#include "kernel/init/bootinfo.h"
#include "kernel/proc/exec.h"
#include "kernel/vdso/vdso.h"
#include "kernel/cred/cred.h"
#include "kernel/fs/file.h"
#include "kernel/log/log_buffer.h"
#include "kernel/init/initrd.h"
#include "kernel/module/module.h"
#include "kernel/tracing/tracefs.h"
#include "kernel/printk.h"
#include "kernel/fs/procfs.h"
#include "kernel/proc/rlimit.h"
#include "kernel/proc/sched.h"
#include "kernel/syscall.h"
#include "kernel/proc/task.h"
#include "kernel/fs/vfs.h"
#include "libc/include/string.h"
#include "mm/frame.h"
#include "mm/heap.h"
#include "mm/paging.h"

extern char _kernel_phys_start[], _kernel_end[];

static struct task idle_task = { .pid = 0, .name = "idle", .state = TASK_RUNNING };

/* Keep the kernel image, the boot information and the modules out of the
 * frame allocator's hands. */
static void init_memory(void)
{
	struct phys_range reserved[BOOT_MAX_MODULES + 3];
	int n = 0;
	reserved[n++] = (struct phys_range){ (uint64_t)_kernel_phys_start, (uint64_t)_kernel_end - KERNEL_VMA };
	reserved[n++] = boot_info.info;
	for (int i = 0; i < boot_info.module_count; i++)
		reserved[n++] = boot_info.modules[i].range;
	reserved[n] = pstore_reserve(boot_info.ram, boot_info.ram_count, reserved, n); /* the kept panic log */
	n++;
	frames_init(boot_info.ram, boot_info.ram_count, reserved, n);
	paging_init();
	pstore_init();
	ist_guards_init();
	bool umip = umip_enable();
	printk("memory: %zu MiB free in %zu frames; NX %s, SMEP %s, SMAP %s, UMIP %s\n",
	       frames_free_count() * PAGE_SIZE >> 20, frames_free_count(), cpu_has_nx ? "on" : "off",
	       cpu_has_smep ? "on" : "off", cpu_has_smap ? "on" : "off", umip ? "on" : "off");
}

static void init_filesystem(void)
{
	vfs_init();
	const struct boot_module *initrd = NULL;
	for (int i = 0; i < boot_info.module_count; i++)
		if (!strcmp(boot_info.modules[i].name, "initrd") || !initrd)
			initrd = &boot_info.modules[i];
	if (initrd) {
		int files = initrd_unpack(phys_to_virt(initrd->range.start), initrd->range.end - initrd->range.start);
		printk("initrd: %d files unpacked into /\n", files);
	} else {
		printk("initrd: no initrd module: the filesystem is empty\n");
	}
	const char *dirs[] = { "dev", "tmp", "proc" };
	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++)
		if (!dir_lookup(root_inode, dirs[i]))
			dir_create(root_inode, dirs[i], S_IFDIR | (i == 1 ? 01777 : 0755), NULL);
	/* /dev/shm: where shm_open (libc/shm.c) keeps POSIX shared memory objects. */
	struct inode *dev = dir_lookup(root_inode, "dev"), *shm;
	fs_mount(dev, FS_DEV);
	if (!dir_lookup(dev, "shm") && dir_create(dev, "shm", S_IFDIR | 01777, &shm) == 0)
		fs_mount(shm, FS_SHM);
	memdev_init();
	kmsg_init();
	tty_init();
	procfs_init();
	sysfs_init();
	tracefs_init(); /* /sys/kernel/tracing (kernel/tracing/) */
	kmemleak_init();
	knobs_init();
	pstore_proc_init();
	modules_init();
}

/* Open /dev/console as descriptors 0, 1 and 2 of the first process. */
static void open_console(struct task *t)
{
	struct inode *console;
	if (path_lookup(NULL, "/dev/console", &console))
		panic("no /dev/console");
	int err;
	struct file *f = file_open_inode(console, O_RDWR, &err);
	if (!f)
		panic("cannot open /dev/console");
	for (int fd = 0; fd < 3; fd++) {
		t->files->fd[fd] = f;
		if (fd)
			file_get(f);
	}
}

/* argv comes from the command line: init=PATH, and the words after "--". */
static int init_arguments(struct exec_args *a, const char *path)
{
	int err = exec_args_init(a);
	if (!err)
		err = exec_args_add(a, path, false);
	bool after_dashes = false;
	for (int i = 0; i < boot_info.argc && !err; i++) {
		if (after_dashes)
			err = exec_args_add(a, boot_info.argv[i], false);
		else if (!strcmp(boot_info.argv[i], "--"))
			after_dashes = true;
	}
	const char *env[] = { "HOME=/", "PATH=/bin:/tests", "TERM=vt100" };
	for (size_t i = 0; i < ARRAY_SIZE(env) && !err; i++)
		err = exec_args_add(a, env[i], true);
	return err;
}

static void start_init(void)
{
	const char *path = bootinfo_option("init");
	if (!path)
		path = "/bin/init";
	struct task *t = task_alloc(NULL);
	if (!t)
		panic("cannot create the first task");
	init_task = t;
	t->pgid = t->sid = t->pid;
	t->cred = cred_new_root();
	if (!t->cred)
		panic("no memory for init's credentials");
	rlimits_init(t);
	t->files = fd_table_create();
	t->fs = fs_context_create(root_inode, 022); /* umask 022, as Linux starts init */
	t->sighand = sighand_create();
	t->exit_signal = SIGCHLD;
	if (!t->files || !t->fs || !t->sighand)
		panic("cannot create the first task");
	open_console(t);
	tty_set_foreground(t->pgid);
	t->start_ticks = timer_ticks();

	struct exec_args a;
	int err = init_arguments(&a, path);
	if (!err)
		err = do_execve(t, path, &a);
	exec_args_free(&a);
	if (err)
		panic("cannot run %s as the first process (error %d)", path, -err);
	task_prepare_first_run(t);
	sched_enqueue(t);
}

void kmain(uint32_t magic, uint32_t boot_info_phys)
{
	uint64_t kmain_tsc = rdtsc();
	console_init();
	bootinfo_parse(magic, boot_info_phys);
	printk_quiet = bootinfo_flag("quiet");
	printk("\nsysgate: a teaching kernel -- the interface between programs and the OS\n");
	printk("boot: loaded by %s; command line: %s\n", boot_info.loader, boot_info.cmdline);

	gdt_init();
	idt_init();
	init_memory();
	kstacks_init();
	percpu_init();
	if (KASAN_ENABLED)
		kasan_init();
	printk("checks: UBSAN %s, KASAN %s\n", UBSAN_ENABLED ? "on" : "off", KASAN_ENABLED ? "on" : "off");
	this_cpu()->current_task = &idle_task;
	idle_task.cred = &kernel_cred; /* the kernel's own work at boot runs as root */
	sched_init(&idle_task);
	if (!thread_group_create(&idle_task))
		panic("no memory for the idle task");
	fpu_init();
	fpu_init_state(idle_task.fpu_state);
	syscall_init();

	pic_init();
	timer_init();
	serial_enable_input();
	keyboard_init();
	init_filesystem();
	vdso_init();
	start_init();
	/* The first user instruction follows within microseconds: the idle
	 * loop's first schedule() switches to init. */
	printk("sysgate: starting %s, %lu us after kmain\n", init_task->name,
	       (rdtsc() - kmain_tsc) * 1000000 / tsc_hz());
	irq_enable();
	idle_loop();
}
