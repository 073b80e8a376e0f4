/*
 * Magic SysRq: commands for a kernel in trouble (course section: kernel
 * debugging techniques).
 *
 * One letter, written to /proc/sysrq-trigger or typed right after a break
 * on the serial console (QEMU: Ctrl-A B), runs at once in the kernel,
 * whatever the programs are doing -- the way to look inside a system
 * whose shell no longer answers. The letters are Linux's:
 *
 *   h help   t every task with its kernel stack   m memory
 *   l, p the registers and call trace of this CPU   c crash (panic) on purpose
 *   e SIGTERM, i SIGKILL to every process but init   s sync   o power off
 */
#include "kernel/debug/sysrq.h"
#include "kernel/debug/diag.h"
#include "arch/x86_64/oops.h"
#include "arch/x86_64/power.h"
#include "kernel/printk.h"
#include "kernel/proc/task.h"
#include "kernel/signal/signal.h"
#include "mm/frame.h"
#include "mm/heap.h"

static const char state_letter[] = { [TASK_RUNNING] = 'R', [TASK_SLEEPING] = 'S', [TASK_STOPPED] = 'T',
				     [TASK_ZOMBIE] = 'Z', [TASK_DEAD] = 'X' };

/* A switched-out task's stack starts with what context_switch pushed:
 * r15 r14 r13 r12 rbp rbx, then its return address (arch/x86_64/switch.asm). */
static void show_task(struct task *t)
{
	printk("task:%-15s state:%c pid:%d ppid:%d\n", t->name, state_letter[t->state], t->pid,
	       t->parent ? t->parent->pid : 0);
	if (t == current) {
		diag_dump_stack(0);
	} else if (t->saved_rsp && t->kstack_top && t->saved_rsp < t->kstack_top) {
		const uint64_t *frame = (const uint64_t *)t->saved_rsp;
		print_backtrace(frame[6], frame[4], t->saved_rsp, t->kstack_top);
	}
}

static void signal_all(int sig)
{
	struct list_node *n;
	list_for_each(n, &all_tasks) {
		struct task *t = list_entry(n, struct task, all);
		if (t->pid > 1 && t->state != TASK_ZOMBIE && t->state != TASK_DEAD)
			send_signal(t, sig, NULL);
	}
}

void sysrq_handle(char key)
{
	switch (key) {
	case 't':
		printk("sysrq: Show State\n");
		struct list_node *n;
		list_for_each(n, &all_tasks)
			show_task(list_entry(n, struct task, all));
		break;
	case 'm':
		printk("sysrq: Show Memory\n");
		printk("Mem-Info: %zu of %zu frames free (%zu KiB), heap %zu bytes in use\n", frames_free_count(),
		       frames_total_count(), frames_free_count() * 4, heap_bytes_in_use());
		break;
	case 'l':
	case 'p':
		printk("sysrq: Show backtrace of all active CPUs\nCPU: 0 PID: %d Comm: %s\n", current->pid,
		       current->name);
		diag_dump_stack(0);
		break;
	case 'c':
		printk("sysrq: Trigger a crash\n");
		panic("sysrq triggered crash");
	case 'e':
		printk("sysrq: Terminate All Tasks\n");
		signal_all(SIGTERM);
		break;
	case 'i':
		printk("sysrq: Kill All Tasks\n");
		signal_all(SIGKILL);
		break;
	case 's':
		printk("sysrq: Emergency Sync\nEmergency Sync complete (the filesystems live in memory)\n");
		break;
	case 'o':
		printk("sysrq: Power Off\n");
		machine_power_off();
	default:
		printk("sysrq: HELP : crash(c) terminate-all-tasks(e) kill-all-tasks(i) show-backtrace-all-active-cpus(l) "
		       "show-memory-usage(m) poweroff(o) show-registers(p) sync(s) show-task-states(t)\n");
		break;
	}
}
