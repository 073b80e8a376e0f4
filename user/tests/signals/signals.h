/*
 * signals: what the files of the signals test (course section: testing) share: its constants,
 * types, and the functions each file defines for the others. main.c says what the test covers and
 * runs every part.
 */
#ifndef SIGNALS_TEST_H
#define SIGNALS_TEST_H

#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

#include "testlib.h"

#define BAD_PTR ((long)-1)			/* (void *)-1: never mapped */
#define KERNEL_PTR 0xffffffff80000000L		/* mapped, but not ours */
#define SIGSET_SIZE 8				/* the kernel's sigset_t: 64 bits */
#define PAGE 4096UL

/* ---- forged frames (badinput 22) ------------------------------------------------------- */

enum forgery { FORGE_CS, FORGE_CS_RING0_RPL3, FORGE_SS, FORGE_IOPL, FORGE_RIP_KERNEL, FORGE_RIP_NONCANONICAL,
	       FORGE_ALL, FORGE_SS_NOT_STRICT, FORGE_MXCSR };

extern volatile int info_code, info_pid, info_signo;
extern volatile sig_atomic_t stop_spinning;
extern void *volatile resume_at, *volatile fault_at;
extern volatile long seen_r12, seen_rip, seen_trapno, seen_err, seen_cr2, seen_addr, seen_code;
extern volatile unsigned long seen_csgsfs;
extern volatile unsigned long handler_sp;
extern volatile int alt_flags_inside, alt_change_errno, uc_stack_flags;
extern volatile int autodisarm_inside_flags, autodisarm_change_ok;
extern volatile unsigned long autodisarm_uc_flags;
extern unsigned char *below_alt;
extern volatile int forgery;
extern sigjmp_buf recover;
extern volatile int fault_sig, fault_code;
extern void *volatile fault_addr, *volatile fault_rip;
extern void *volatile insn_at;
extern void *volatile insn_next;
extern char *ro_page;
extern char *bus_page;
extern volatile unsigned long overflow_handler_sp;
extern char overflow_alt[4 * SIGSTKSZ];
extern volatile unsigned seen_xmm0;
extern jmp_buf jb;
extern volatile sig_atomic_t hits, last_sig, depth, max_depth;
extern volatile sigset_t mask_in_handler;
extern char trail[64];
extern volatile int trail_len;

long raw_sigaction(long sig, long act, long oact, long size);
void test_sigaction_args(void);
void group_sigaction_roundtrip(void);
void test_mask_args(void);
void group_mask_semantics(void);
void probe_own_group(long arg);
void test_kill_args(void);
extern char alt_mem[4 * SIGSTKSZ];
void group_sigaltstack_args(void);
void info_handler(int sig, siginfo_t *info, void *ctx);
void group_handler_basics(void);
void group_blocked_then_released(void);
void resethand_handler(int sig);
void group_resethand(void);
void raise_twice(long sig);
void nesting_handler(int sig);
void group_nodefer(void);
void outer_handler(int sig);
void inner_handler(int sig);
void group_nested(void);
void mask_changing_handler(int sig, siginfo_t *info, void *ctx);
void group_sigreturn_mask(void);
void group_ignore(void);
void exit_7(int sig);
void no_restorer(long arg);
void stop_spin(int sig);
void spin_until_signal(long parent);
void got_ready(int sig);
void test_interrupt_delivery(void);
void regs_handler(int sig, siginfo_t *info, void *ctx);
long fault_then_resume(void);
void group_frame_registers(void);
void altstack_handler(int sig, siginfo_t *info, void *ctx);
void group_altstack_use(void);
void autodisarm_handler(int sig, siginfo_t *info, void *ctx);
void group_autodisarm(void);
void small_altstack(long arg);
void recurse_on_altstack(int sig);
void overflow_altstack(long arg);
void test_altstack_overflow(void);
void try_cli(void);
void set_csgsfs(greg_t *g, unsigned cs, unsigned ss);
void forging_handler(int sig, siginfo_t *info, void *ctx);
void forge(long kind);
void bare_sigreturn(long fill);
void test_forged_frames(void);
void recovering_handler(int sig, siginfo_t *info, void *ctx);
void do_null_read(void);
void do_div0(void);
void do_ud2(void);
void do_int3(void);
void do_ro_write(void);
void do_text_write(void);
void do_bus(void);
int faulted(void (*fn)(void));
void expect_fault(const char *what, void (*fn)(void), int sig, int code, void *addr);
void group_exceptions(void);
void fault_blocked(long how);
void fault_escape_nomask(long arg);
void test_fault_rules(void);
void overflow_handler(int sig, siginfo_t *info, void *ctx);
int recurse(int n);
void overflow_recovered(long arg);
void fpu_handler(int sig, siginfo_t *info, void *ctx);
void group_fpu(void);
void raise_it(long sig);
void kill_all_blocked(long sig);
void test_default_actions(void);
void jump_back(int v);
void test_libc(void);
void note(char c);
void reset_notes(void);
sigset_t one(int sig);
int install(int sig, void (*fn)(int), unsigned long flags, sigset_t mask);
int install_info(int sig, void (*fn)(int, siginfo_t *, void *), unsigned long flags);
void block(int sig);
void unblock(int sig);
void note_handler(int sig);
void count_handler(int sig);
pid_t unused_pid(void);

#endif
