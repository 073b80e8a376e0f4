/*
 * rseq(2)'s ABI, as Linux's <linux/rseq.h> defines it (course sections:
 * syscall basics; high-performance patterns: restartable sequences).
 */
#ifndef ABI_RSEQ_H
#define ABI_RSEQ_H

#include <stdint.h>

#define RSEQ_FLAG_UNREGISTER 1
#define RSEQ_CPU_ID_UNINITIALIZED ((uint32_t)-1)
#define RSEQ_CPU_ID_REGISTRATION_FAILED ((uint32_t)-2)
#define RSEQ_ORIG_SIZE 32 /* the first layout: what every kernel accepts */

/* The area a thread registers; the kernel keeps cpu_id up to date. */
struct rseq {
	uint32_t cpu_id_start;
	uint32_t cpu_id;
	uint64_t rseq_cs; /* the critical section running now (struct rseq_cs *), or 0 */
	uint32_t flags;
	uint32_t node_id;
	uint32_t mm_cid;
	char end[];
} __attribute__((aligned(32)));

/* A critical section: if the thread is preempted or gets a signal while its
 * instruction pointer is in [start_ip, start_ip + post_commit_offset), the
 * kernel sends it to abort_ip instead, where the 4 bytes before must be the
 * signature given at registration. */
struct rseq_cs {
	uint32_t version; /* 0 */
	uint32_t flags;
	uint64_t start_ip;
	uint64_t post_commit_offset;
	uint64_t abort_ip;
} __attribute__((aligned(32)));

#endif
