/*
 * BPF_PROG_TEST_RUN: run a program on a context user space gives (course
 * section: eBPF, the revolution in kernel programming).
 *
 * Testing a program by waiting for its tracepoint is slow and uncertain;
 * this command runs it at once on made-up input and reports its return
 * value (retval) and the average time of `repeat` runs (duration, ns).
 * Like Linux, only some program types can be run this way:
 *   - SOCKET_FILTER on a packet (data_in, at least an Ethernet header:
 *     skb->len counts the bytes after it, LD_ABS reads from there); the
 *     packet is copied back to data_out, ENOSPC if data_size_out is smaller;
 *   - RAW_TRACEPOINT on ctx_in, the tracepoint's u64 arguments, once;
 *   - the others answer ENOTSUPP (524), as Linux.
 * A long repeat gives the CPU away when another task needs it and stops
 * with EINTR when a signal is pending, so a loop of 2^32 runs cannot take
 * the machine.
 */
#include "kernel/bpf/core.h"
#include "kernel/proc/sched.h"
#include "kernel/signal/signal.h"
#include "drivers/timer.h"
#include "libc/include/abi/errno.h"
#include "libc/include/string.h"
#include "mm/heap.h"
#include "mm/uaccess.h"

#define ETH_HLEN 14
/* Linux's limit: a page less its headroom (64) and shared info (320). */
#define TEST_PACKET_MAX (4096 - 64 - 320)
#define BPF_F_TEST_RUN_ON_CPU 1u
#define PACKET_BROADCAST 1 /* Linux's skb->pkt_type values (PACKET_HOST is 0) */
#define PACKET_MULTICAST 2
#define PACKET_OTHERHOST 3
#define LOOPBACK_IFINDEX 1

#define PUT_FIELD(uattr, field, v)                                                                       \
	copy_to_user(user_field(uattr, union bpf_attr, field), &(v), sizeof(v))

/* Run prog repeat times (0 meaning once); the last result and the mean ns. */
static long run_repeat(const struct bpf_prog *prog, const void *ctx, uint32_t repeat, uint32_t *retval,
		       uint32_t *duration)
{
	repeat = repeat ? repeat : 1;
	uint64_t start = clock_monotonic_ns(), spent = 0;
	for (uint32_t i = 0; i < repeat; i++) {
		*retval = (uint32_t)bpf_prog_run(prog, ctx);
		if (i + 1 < repeat && signal_work_pending(current))
			return -EINTR;
		if (need_resched()) { /* the time away is not the program's */
			spent += clock_monotonic_ns() - start;
			schedule();
			start = clock_monotonic_ns();
		}
	}
	spent += clock_monotonic_ns() - start;
	uint64_t mean = spent / repeat;
	*duration = mean > UINT32_MAX ? UINT32_MAX : (uint32_t)mean;
	return 0;
}

/* What Linux's eth_type_trans makes of a frame on the loopback device
 * (address 00:00:00:00:00:00, ifindex 1): the header pulled off, the
 * EtherType as the protocol, the destination as the packet type. */
static void skb_from_frame(struct bpf_skb *skb, const uint8_t *frame, uint32_t size)
{
	static const uint8_t broadcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }, zero[6];
	memset(skb, 0, sizeof(*skb));
	skb->ctx.len = size - ETH_HLEN;
	skb->ctx.protocol = (uint32_t)frame[12] | (uint32_t)frame[13] << 8; /* __be16, as stored */
	if (!memcmp(frame, broadcast, 6))
		skb->ctx.pkt_type = PACKET_BROADCAST;
	else if (frame[0] & 1)
		skb->ctx.pkt_type = PACKET_MULTICAST;
	else if (memcmp(frame, zero, 6))
		skb->ctx.pkt_type = PACKET_OTHERHOST;
	skb->ctx.ifindex = LOOPBACK_IFINDEX;
	skb->data = frame + ETH_HLEN;
}

/* Linux's bpf_test_finish: the packet (as much as data_size_out allows,
 * else ENOSPC), its whole size, the result and the time. */
static long finish_skb(const union bpf_attr *attr, union bpf_attr __user *uattr, const uint8_t *data, uint32_t size,
		       uint32_t retval, uint32_t duration)
{
	uint32_t copy = size;
	long err = 0;
	if (attr->test.data_size_out && copy > attr->test.data_size_out) {
		copy = attr->test.data_size_out;
		err = -ENOSPC;
	}
	if (attr->test.data_out && copy_to_user((void __user *)attr->test.data_out, data, copy))
		return -EFAULT;
	if (PUT_FIELD(uattr, test.data_size_out, size) || PUT_FIELD(uattr, test.retval, retval) ||
	    PUT_FIELD(uattr, test.duration, duration))
		return -EFAULT;
	return err;
}

static long test_run_skb(const struct bpf_prog *prog, const union bpf_attr *attr, union bpf_attr __user *uattr)
{
	uint32_t size = attr->test.data_size_in;
	if (attr->test.flags || attr->test.cpu || attr->test.batch_size)
		return -EINVAL;
	if (size < ETH_HLEN || size > TEST_PACKET_MAX)
		return -EINVAL;
	if (attr->test.ctx_in || attr->test.ctx_out)
		return -EINVAL; /* sysgate takes no __sk_buff to start from */
	uint8_t *data = kmalloc(size);
	if (!data)
		return -ENOMEM;
	long err = copy_from_user(data, (const void __user *)attr->test.data_in, size) ? -EFAULT : 0;
	struct bpf_skb skb;
	skb_from_frame(&skb, data, size);
	uint32_t retval = 0, duration = 0;
	if (!err)
		err = run_repeat(prog, &skb, attr->test.repeat, &retval, &duration);
	if (!err)
		err = finish_skb(attr, uattr, data, size, retval, duration);
	kfree(data);
	return err;
}

static long test_run_raw_tp(const struct bpf_prog *prog, const union bpf_attr *attr, union bpf_attr __user *uattr)
{
	uint32_t size = attr->test.ctx_size_in;
	if (attr->test.data_in || attr->test.data_out || attr->test.ctx_out || attr->test.duration ||
	    attr->test.repeat || attr->test.batch_size)
		return -EINVAL;
	if (size < prog->max_ctx_offset || size > BPF_MAX_FUNC_ARGS * sizeof(uint64_t))
		return -EINVAL;
	if ((attr->test.flags & ~BPF_F_TEST_RUN_ON_CPU) ||
	    (!(attr->test.flags & BPF_F_TEST_RUN_ON_CPU) && attr->test.cpu))
		return -EINVAL;
	if ((attr->test.flags & BPF_F_TEST_RUN_ON_CPU) && attr->test.cpu)
		return -ENXIO; /* one CPU: only CPU 0 is online */
	uint64_t args[BPF_MAX_FUNC_ARGS] = { 0 };
	if (size && copy_from_user(args, (const void __user *)attr->test.ctx_in, size))
		return -EFAULT;
	/* Linux passes NULL without ctx_in, and refuses a program that reads
	 * more than ctx_in holds; zeros past ctx_in keep any read inside args. */
	uint32_t retval = (uint32_t)bpf_prog_run(prog, args);
	return PUT_FIELD(uattr, test.retval, retval) ? -EFAULT : 0;
}

long bpf_prog_test_run(const union bpf_attr *attr, union bpf_attr __user *uattr)
{
	if (!bpf_attr_tail_zero(attr, BPF_ATTR_END(test)))
		return -EINVAL;
	if (!attr->test.ctx_size_in != !attr->test.ctx_in || !attr->test.ctx_size_out != !attr->test.ctx_out)
		return -EINVAL;
	long err = 0;
	struct bpf_prog *prog = bpf_prog_get_fd((int)attr->test.prog_fd, &err);
	if (!prog)
		return err;
	if (prog->type == BPF_PROG_TYPE_SOCKET_FILTER)
		err = test_run_skb(prog, attr, uattr);
	else if (prog->type == BPF_PROG_TYPE_RAW_TRACEPOINT)
		err = test_run_raw_tp(prog, attr, uattr);
	else
		err = -ENOTSUPP;
	bpf_prog_put(prog);
	return err;
}
