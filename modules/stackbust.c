/*
 * stackbust: a module whose code corrupts the stack pointer (course
 * section: debugging the kernel; how a double fault is reported).
 *
 * Loading it points rsp into the unmapped guard page of its own kernel
 * stack and pushes: the push page-faults, and the CPU cannot push the page
 * fault's frame either -- rsp is still in the guard page -- so it raises a
 * double fault, which runs on its own IST stack (arch/x86_64/gdt.c). The
 * report must come out whole, with the module's function named, and the
 * machine stops: tests/boot/doublefault.sh boots it and reads the log.
 * Never load it on a system you want to keep running.
 */
#include "kernel/module/module_api.h"

MODULE_NAME("stackbust");
MODULE_AUTHOR("sysgate");
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corrupts the stack pointer on load: a double fault on purpose");

int init_module(void)
{
	/* A 16 KiB stack sits at the top of its 32 KiB slot, the guard below
	 * it (mm/layout.h): rsp rounded down to the slot is in the guard. */
	__asm__ volatile("and $~0x7fff, %%rsp\n\t"
			 "add $0x100, %%rsp\n\t"
			 "push %%rax"
			 :
			 :
			 : "memory");
	return 0;
}
