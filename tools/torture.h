/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmeta torture: shared pieces of tools/torture*.c.
 *
 * One run per strategy: a lab mm holding a ring (laid out by the guest
 * driver) and a buffer area cut into slots, one slot per chain in flight;
 * a guest thread posting chains and checking what comes back, a host
 * thread serving them as a loopback device through the engine, and a
 * chaos thread firing mm events at the ring and buffer pages.
 */
#ifndef _TOOLS_TORTURE_H
#define _TOOLS_TORTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <linux/kernel.h>
#include "vmeta_vq.h"
#include "guest_vring.h"

#define TORTURE_SLOT_PAGES	4
#define TORTURE_SLOT_SIZE	(TORTURE_SLOT_PAGES * PAGE_SIZE)
#define TORTURE_MAX_OUT		3	/* readable buffers per chain */
#define TORTURE_MAX_IN		2	/* writable buffers per chain */
#define TORTURE_MAX_BUFS	(TORTURE_MAX_OUT + TORTURE_MAX_IN)
#define TORTURE_MAX_BUF_LEN	2048
#define TORTURE_BATCH		8	/* chains per host batch */
#define TORTURE_WATCHDOG_SEC	5	/* no progress that long: FAIL */

struct torture_opts {
	double seconds;			/* total, split across strategies */
	unsigned int strategies;	/* bit mask of enum vmeta_strategy */
	unsigned long long seed;
	unsigned long rate;		/* chaos events per second, 0: fast */
	unsigned int num;		/* ring size */
	unsigned int events;		/* bit mask of enum torture_event */
	unsigned int archs;		/* bit mask of enum umm_cache_arch */
	bool quiet;
};

/* What a chain looks like: a function of the seed and its sequence. */
struct torture_shape {
	unsigned int out, in;		/* readable, writable buffers */
	bool indirect;
	u32 off[TORTURE_MAX_BUFS];	/* offset in the slot */
	u32 len[TORTURE_MAX_BUFS];
	u32 in_len;			/* writable bytes */
	u32 written;			/* bytes the device writes: used len */
};

/* Pattern streams: what the guest writes, what the device writes. */
enum torture_stream {
	TORTURE_GUEST,			/* readable buffers */
	TORTURE_DEVICE,			/* writable buffers, as written */
	TORTURE_POISON,			/* writable buffers, before */
};

void torture_shape(u64 seed, u64 seq, unsigned int num,
		   struct torture_shape *s);
u64 torture_key(u64 seed, u64 seq, enum torture_stream stream);
void torture_fill(void *p, u32 len, u64 key, u32 pos);
bool torture_check(const void *p, u32 len, u64 key, u32 pos);
u64 torture_rand(u64 *state);
u64 torture_mix(u64 x);

/* The chaos thread's events. */
enum torture_event {
	EV_MIGRATE_RING,		/* a burst on desc/avail/used pages */
	EV_MIGRATE,			/* any ring or buffer page */
	EV_RECLAIM,
	EV_PAGEOUT,			/* MADV_PAGEOUT of 1-4 pages */
	EV_FORK,			/* fork, COW writes in the child */
	EV_MPROTECT,			/* add PROT_EXEC, then remove it */
	EV_DONTNEED,			/* a free slot or the spare page */
	EV_REMAP,			/* munmap + mmap a free slot */
	EV_SPLIT,			/* DONTNEED of the spare page: THP split */
	EV_COLLAPSE,			/* MADV_COLLAPSE of the ring's 2 MiB */
	EV_NR
};

extern const char *const torture_event_names[EV_NR];
int torture_event_parse(const char *name);

enum torture_slot_state { SLOT_FREE, SLOT_GUEST, SLOT_CHAOS };

struct torture_slot {
	int state;			/* enum torture_slot_state, atomic */
	bool in_flight;			/* guest only */
	u64 seq;			/* guest only: the chain using it */
};

enum torture_phase { PHASE_RUN, PHASE_DRAIN, PHASE_STOP };

struct torture_run {
	const struct torture_opts *o;
	enum vmeta_strategy strategy;
	int arch;			/* enum umm_cache_arch */
	u64 seed;
	struct mm_struct *mm;
	unsigned int num, nr_slots;
	unsigned long ring, ring_len;	/* user: the ring mapping */
	unsigned long spare;		/* a page of it nobody uses */
	unsigned long bufs;		/* user: the slots */
	void *plain;			/* RAW: rings in plain memory */
	struct guest_vring g;
	struct vmeta_vq vq;
	struct torture_slot *slots;

	int phase;			/* enum torture_phase, atomic */
	int host_ready;			/* 1, or -errno; atomic */
	bool guest_done, host_stop, chaos_stop;	/* atomic */
	bool failed_setup;

	/* Counters: written by one thread, read by main (atomic). */
	u64 posted, returned;		/* guest */
	u64 dup, dataloss;		/* guest */
	u64 served, stale, notifies;	/* host */
	u64 events[EV_NR], events_done[EV_NR];	/* chaos */
	u64 lost;			/* main, after the drain */
	struct vmeta_meta_stats stats;	/* host, at its end */
	int broken;			/* host: the queue broke */
	const char *why;
	const char *watchdog;		/* main: what stalled */
};

#define torture_get(p)		__atomic_load_n(p, __ATOMIC_ACQUIRE)
#define torture_set(p, v)	__atomic_store_n(p, v, __ATOMIC_RELEASE)
#define torture_inc(p)		__atomic_fetch_add(p, 1, __ATOMIC_RELAXED)

void *torture_guest(void *arg);
void *torture_host(void *arg);
void *torture_chaos(void *arg);
int torture_run_one(struct torture_run *r, double seconds);

#endif /* _TOOLS_TORTURE_H */
