// SPDX-License-Identifier: GPL-2.0
/*
 * vmeta bench: hardware counters of the calling thread, where the machine
 * has them (perf_event_open(2)): data-TLB load misses and instructions,
 * for the rings suite.  Many VMs, this project's among them, expose none;
 * then every figure is reported as unavailable, with the reason, once.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/perf_event.h>
#include "bench.h"

static int open_counter(__u32 type, __u64 config)
{
	struct perf_event_attr a;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.type = type;
	a.config = config;
	a.disabled = 1;
	a.exclude_kernel = 1;
	a.exclude_hv = 1;
	return syscall(SYS_perf_event_open, &a, 0, -1, -1, 0);
}

/**
 * bench_perf_open - the thread's dTLB-miss and instruction counters
 * @p: filled; p->ok says whether both opened, p->why if not
 */
void bench_perf_open(struct bench_perf *p)
{
	p->dtlb = open_counter(PERF_TYPE_HW_CACHE,
			       PERF_COUNT_HW_CACHE_DTLB |
			       (PERF_COUNT_HW_CACHE_OP_READ << 8) |
			       (PERF_COUNT_HW_CACHE_RESULT_MISS << 16));
	p->insns = p->dtlb < 0 ? -1 :
		   open_counter(PERF_TYPE_HARDWARE,
				PERF_COUNT_HW_INSTRUCTIONS);
	p->ok = p->dtlb >= 0 && p->insns >= 0;
	snprintf(p->why, sizeof(p->why), "%s", p->ok ? "" : strerror(errno));
	if (!p->ok)
		bench_perf_close(p);
}

void bench_perf_close(struct bench_perf *p)
{
	if (p->dtlb >= 0)
		close(p->dtlb);
	if (p->insns >= 0)
		close(p->insns);
	p->dtlb = p->insns = -1;
}

/* Start counting from zero. */
void bench_perf_start(struct bench_perf *p)
{
	if (!p->ok)
		return;
	ioctl(p->dtlb, PERF_EVENT_IOC_RESET, 0);
	ioctl(p->insns, PERF_EVENT_IOC_RESET, 0);
	ioctl(p->dtlb, PERF_EVENT_IOC_ENABLE, 0);
	ioctl(p->insns, PERF_EVENT_IOC_ENABLE, 0);
}

/* Stop; the counts since bench_perf_start(), or false. */
bool bench_perf_stop(struct bench_perf *p, unsigned long long *dtlb,
		     unsigned long long *insns)
{
	if (!p->ok)
		return false;
	ioctl(p->dtlb, PERF_EVENT_IOC_DISABLE, 0);
	ioctl(p->insns, PERF_EVENT_IOC_DISABLE, 0);
	return read(p->dtlb, dtlb, sizeof(*dtlb)) == sizeof(*dtlb) &&
	       read(p->insns, insns, sizeof(*insns)) == sizeof(*insns);
}
