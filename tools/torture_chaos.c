// SPDX-License-Identifier: GPL-2.0
/*
 * vmeta torture: the chaos thread.  Seeded, it fires mm events at the
 * ring and buffer pages while the guest and the host run:
 *
 *   migrate-ring  a burst of migrations of the desc/avail/used pages, so
 *                 that a remap races with an invalidation now and then
 *   migrate, reclaim, pageout   any ring or buffer page
 *   fork          fork, the child writes to some pages (COW), exits
 *   mprotect      PROT_EXEC added then removed: PROTECTION_VMA over live
 *                 pages, access never lost
 *   dontneed      a free slot (claimed from the guest) or the spare page
 *                 after the ring
 *   remap         munmap and mmap(MAP_FIXED) of a free slot
 *
 * Content nobody needs is the only content ever discarded: a real VMM
 * never unmaps live rings.  Each event is counted when fired and when the
 * lab accepted it (migration of a page someone holds, say, is refused).
 */
#include <string.h>
#include <time.h>
#include <umm/reclaim.h>
#include "torture.h"

const char *const torture_event_names[EV_NR] = {
	[EV_MIGRATE_RING]	= "migrate-ring",
	[EV_MIGRATE]		= "migrate",
	[EV_RECLAIM]		= "reclaim",
	[EV_PAGEOUT]		= "pageout",
	[EV_FORK]		= "fork",
	[EV_MPROTECT]		= "mprotect",
	[EV_DONTNEED]		= "dontneed",
	[EV_REMAP]		= "remap",
	[EV_SPLIT]		= "thp-split",
	[EV_COLLAPSE]		= "thp-collapse",
};

int torture_event_parse(const char *name)
{
	int e;

	for (e = 0; e < EV_NR; e++)
		if (!strcmp(name, torture_event_names[e]))
			return e;
	return -EINVAL;
}

/* Relative frequencies: ring migrations dominate, fork is rarer. */
static const unsigned int weights[EV_NR] = {
	[EV_MIGRATE_RING]	= 8,
	[EV_MIGRATE]		= 4,
	[EV_RECLAIM]		= 4,
	[EV_PAGEOUT]		= 2,
	[EV_FORK]		= 1,
	[EV_MPROTECT]		= 2,
	[EV_DONTNEED]		= 2,
	[EV_REMAP]		= 1,
	[EV_SPLIT]		= 1,
	[EV_COLLAPSE]		= 1,
};

#define RING_BURST	32

struct chaos {
	struct torture_run *r;
	u64 rng;
};

static u64 rnd(struct chaos *c, u64 n)
{
	return torture_rand(&c->rng) % n;
}

/* One of the pages the engine maps: desc, avail, used. */
static unsigned long hot_page(struct chaos *c)
{
	struct guest_vring *g = &c->r->g;
	unsigned long a[3] = { g->desc, g->avail, g->used };

	return a[rnd(c, 3)] & PAGE_MASK;
}

/* Any page of the ring mapping in use, or of the buffer area. */
static unsigned long any_page(struct chaos *c)
{
	struct torture_run *r = c->r;
	unsigned long ring_pages = (r->spare - r->ring) >> PAGE_SHIFT;
	unsigned long buf_pages = r->nr_slots * TORTURE_SLOT_PAGES;
	unsigned long i = rnd(c, ring_pages + buf_pages);

	if (i < ring_pages)
		return r->ring + (i << PAGE_SHIFT);
	return r->bufs + ((i - ring_pages) << PAGE_SHIFT);
}

/*
 * Back-to-back migrations of one ring page: the host's remap after one
 * invalidation races with the next (read_retry, counted as a retry).
 */
static int migrate_ring(struct chaos *c)
{
	unsigned long page = hot_page(c);
	int i, ok = 0;

	for (i = 0; i < RING_BURST; i++)
		ok |= !umm_migrate_addr(c->r->mm, page);
	return ok ? 0 : -EBUSY;
}

static int pageout(struct chaos *c)
{
	unsigned long addr = any_page(c);
	unsigned long end = min(addr + (1 + rnd(c, 4)) * PAGE_SIZE,
				addr < c->r->bufs ? c->r->spare :
				c->r->bufs + c->r->nr_slots * TORTURE_SLOT_SIZE);

	return umm_madvise(c->r->mm, addr, end - addr, MADV_PAGEOUT);
}

/*
 * The child scribbles on its copies; the parent must not see it.  A user
 * store the cache models see, so that a VIVT model knows the child ran.
 */
static void child_write(struct mm_struct *child, unsigned long addr, u64 junk)
{
	umm_user_write(umm_user_ptr(child, addr), &junk, sizeof(junk));
}

static int fork_cow(struct chaos *c)
{
	struct mm_struct *child = umm_fork(c->r->mm);
	unsigned int i, n = 1 + rnd(c, 4);

	if (!child)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		unsigned long page = i ? any_page(c) : hot_page(c);

		child_write(child, page + rnd(c, PAGE_SIZE / 8) * 8,
			    torture_rand(&c->rng));
	}
	mmput(child);
	return 0;
}

static int mprotect_exec(struct chaos *c)
{
	unsigned long addr = rnd(c, 2) ? hot_page(c) : any_page(c);
	int ret;

	ret = umm_mprotect(c->r->mm, addr, PAGE_SIZE,
			   PROT_READ | PROT_WRITE | PROT_EXEC);
	if (!ret)
		ret = umm_mprotect(c->r->mm, addr, PAGE_SIZE,
				   PROT_READ | PROT_WRITE);
	return ret;
}

/* A free slot, taken from the guest until release_slot(); or -1. */
static int claim_slot(struct chaos *c)
{
	int i = rnd(c, c->r->nr_slots), free = SLOT_FREE;

	if (__atomic_compare_exchange_n(&c->r->slots[i].state, &free,
					SLOT_CHAOS, false, __ATOMIC_ACQUIRE,
					__ATOMIC_RELAXED))
		return i;
	return -1;
}

static void release_slot(struct chaos *c, int i)
{
	torture_set(&c->r->slots[i].state, SLOT_FREE);
}

static unsigned long slot_addr(struct torture_run *r, int i)
{
	return r->bufs + (unsigned long)i * TORTURE_SLOT_SIZE;
}

static int dontneed(struct chaos *c)
{
	int slot, ret;

	if (!rnd(c, 4))
		return umm_madvise(c->r->mm, c->r->spare, PAGE_SIZE,
				   MADV_DONTNEED);
	slot = claim_slot(c);
	if (slot < 0)
		return -EBUSY;
	ret = umm_madvise(c->r->mm, slot_addr(c->r, slot), TORTURE_SLOT_SIZE,
			  MADV_DONTNEED);
	release_slot(c, slot);
	return ret;
}

static int remap(struct chaos *c)
{
	int slot = claim_slot(c);
	unsigned long addr;
	long ret;

	if (slot < 0)
		return -EBUSY;
	addr = slot_addr(c->r, slot);
	ret = umm_munmap(c->r->mm, addr, TORTURE_SLOT_SIZE);
	if (!ret)
		ret = umm_mmap(c->r->mm, addr, TORTURE_SLOT_SIZE,
			       PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0);
	/* The guest would die on a slot left unmapped: stop here. */
	if (ret != addr) {
		fprintf(stderr, "torture: remap of slot %d failed: %ld\n",
			slot, ret);
		abort();
	}
	release_slot(c, slot);
	return 0;
}

static int fire(struct chaos *c, enum torture_event ev)
{
	struct mm_struct *mm = c->r->mm;

	switch (ev) {
	case EV_MIGRATE_RING:
		return migrate_ring(c);
	case EV_MIGRATE:
		return umm_migrate_addr(mm, any_page(c));
	case EV_RECLAIM:
		return umm_reclaim_addr(mm, any_page(c));
	case EV_PAGEOUT:
		return pageout(c);
	case EV_FORK:
		return fork_cow(c);
	case EV_MPROTECT:
		return mprotect_exec(c);
	case EV_DONTNEED:
		return dontneed(c);
	case EV_REMAP:
		return remap(c);
	case EV_SPLIT:
		/* The spare page shares the ring's THP: its PMD splits. */
		return umm_madvise(mm, c->r->spare, PAGE_SIZE, MADV_DONTNEED);
	case EV_COLLAPSE:
		return umm_madvise(mm, c->r->ring, PMD_SIZE, MADV_COLLAPSE);
	default:
		return -EINVAL;
	}
}

static unsigned int weight(struct chaos *c, int ev)
{
	return c->r->o->events & BIT(ev) ? weights[ev] : 0;
}

static enum torture_event pick(struct chaos *c)
{
	unsigned int total = 0, w;
	int ev;

	for (ev = 0; ev < EV_NR; ev++)
		total += weight(c, ev);
	w = rnd(c, total);
	for (ev = 0; w >= weight(c, ev); ev++)
		w -= weight(c, ev);
	return ev;
}

static void pace(const struct torture_opts *o)
{
	struct timespec ts = { 0, 20000 };	/* as fast as possible */

	if (o->rate)
		ts.tv_nsec = 1000000000UL / o->rate;
	if (o->rate == 1)
		ts = (struct timespec){ 1, 0 };
	nanosleep(&ts, NULL);
}

void *torture_chaos(void *arg)
{
	struct chaos c = { .r = arg };

	c.rng = torture_mix(c.r->seed ^ 0x6368616f73ULL);
	while (!torture_get(&c.r->chaos_stop)) {
		enum torture_event ev;

		if (!c.r->o->events) {
			pace(c.r->o);
			continue;
		}
		ev = pick(&c);

		torture_inc(&c.r->events[ev]);
		if (!fire(&c, ev))
			torture_inc(&c.r->events_done[ev]);
		pace(c.r->o);
	}
	return NULL;
}
