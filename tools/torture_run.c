// SPDX-License-Identifier: GPL-2.0
/*
 * vmeta torture: one strategy's run.  Lay the queue out in a new lab mm,
 * start the host (which sets the queue up in its own context), the guest
 * and the chaos thread; print progress; when the time is up stop the
 * chaos, let the guest drain what is in flight, stop the host.  A
 * watchdog fails the run when nothing completes for
 * TORTURE_WATCHDOG_SEC seconds, and gives up on threads that do not
 * stop.
 */
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include "torture.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static long map_anon(struct mm_struct *mm, unsigned long len)
{
	return umm_mmap(mm, 0, len, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
}

/*
 * RAW has no mm for its rings: they live in plain memory, where no mm
 * event reaches them.  Indirect tables and buffers stay in the lab mm.
 */
static int place_raw_rings(struct torture_run *r)
{
	struct guest_vring *g = &r->g;
	unsigned long len = g->indirect - g->desc;

	r->plain = aligned_alloc(PAGE_SIZE, len);
	if (!r->plain)
		return -ENOMEM;
	memset(r->plain, 0, len);
	g->d = r->plain;
	g->a = r->plain + (g->avail - g->desc);
	g->u = r->plain + (g->used - g->desc);
	return 0;
}

static int setup(struct torture_run *r)
{
	long ring, bufs;

	r->mm = umm_mm_create();
	if (!r->mm)
		return -ENOMEM;
	r->nr_slots = r->num;
	/*
	 * The rings in one transparent huge page (2 MiB, MADV_HUGEPAGE
	 * before the first touch) with the spare page at its end, so that
	 * splits and collapses hit the pages the engine maps.
	 */
	r->ring_len = ALIGN(guest_vring_size(r->num) + PAGE_SIZE, PMD_SIZE);
	ring = map_anon(r->mm, r->ring_len);
	if (ring > 0)
		umm_madvise(r->mm, ring, r->ring_len, MADV_HUGEPAGE);
	bufs = map_anon(r->mm, r->nr_slots * TORTURE_SLOT_SIZE);
	if (ring < 0 || bufs < 0)
		return -ENOMEM;
	r->ring = ring;
	r->spare = ring + r->ring_len - PAGE_SIZE;
	r->bufs = bufs;
	r->slots = kcalloc(r->nr_slots, sizeof(*r->slots), GFP_KERNEL);
	if (!r->slots || guest_vring_init(&r->g, r->mm, ring, r->num, true))
		return -ENOMEM;
	if (r->strategy == VMETA_RAW)
		return place_raw_rings(r);
	return 0;
}

static void teardown(struct torture_run *r)
{
	guest_vring_free(&r->g);
	kfree(r->slots);
	free(r->plain);
	if (r->mm)
		mmput(r->mm);
}

/* Join @t, or give up on the whole program: a thread is stuck. */
static void join_or_die(struct torture_run *r, pthread_t t, const char *who)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 2 * TORTURE_WATCHDOG_SEC;
	if (!pthread_timedjoin_np(t, NULL, &ts))
		return;
	printf("torture: strategy=%s watchdog: the %s thread is stuck\n",
	       vmeta_strategy_name(r->strategy), who);
	printf("torture: strategy=%s result=FAIL\n",
	       vmeta_strategy_name(r->strategy));
	fflush(stdout);
	_exit(1);
}

static u64 events_fired(struct torture_run *r)
{
	u64 n = 0;
	int e;

	for (e = 0; e < EV_NR; e++)
		n += torture_get(&r->events[e]);
	return n;
}

static void progress(struct torture_run *r, double t, double total)
{
	if (r->o->quiet)
		return;
	fprintf(stderr, "torture: %-14s %5.1f/%.1fs chains=%llu events=%llu "
		"stale=%llu dataloss=%llu%s", vmeta_strategy_name(r->strategy),
		t, total, (unsigned long long)torture_get(&r->returned),
		(unsigned long long)events_fired(r),
		(unsigned long long)torture_get(&r->stale),
		(unsigned long long)torture_get(&r->dataloss),
		isatty(2) ? "\r" : "\n");
}

/*
 * Wait until @done, the watchdog or, in the run phase (@done NULL, with
 * a progress line every second), @deadline.  The watchdog bites when no
 * chain completes for TORTURE_WATCHDOG_SEC seconds.
 */
static void watch(struct torture_run *r, double start, double deadline,
		  bool *done, const char *phase)
{
	u64 last = torture_get(&r->returned);
	double last_t = now(), next_print = now() + 1;

	for (;;) {
		double t = now();
		u64 ret = torture_get(&r->returned);

		if ((done && torture_get(done)) || (!done && t >= deadline))
			return;
		if (torture_get(&r->broken))
			return;
		if (ret != last) {
			last = ret;
			last_t = t;
		} else if (t - last_t > TORTURE_WATCHDOG_SEC) {
			r->watchdog = phase;
			return;
		}
		if (!done && t >= next_print) {
			progress(r, t - start, deadline - start);
			next_print += 1;
		}
		usleep(10000);
	}
}

static int start(pthread_t *t, void *(*fn)(void *), struct torture_run *r)
{
	return pthread_create(t, NULL, fn, r) ? -EAGAIN : 0;
}

/* Run the threads for @seconds, drain, stop; the counters are in @r. */
static int run_threads(struct torture_run *r, double seconds)
{
	pthread_t host, guest, chaos;
	double t0;
	int ready;

	if (start(&host, torture_host, r))
		return -EAGAIN;
	while (!(ready = torture_get(&r->host_ready)))
		sched_yield();
	if (ready < 0) {
		pthread_join(host, NULL);
		return ready;
	}
	if (start(&guest, torture_guest, r) || start(&chaos, torture_chaos, r))
		abort();
	t0 = now();
	watch(r, t0, t0 + seconds, NULL, "running");
	torture_set(&r->chaos_stop, true);
	join_or_die(r, chaos, "chaos");
	torture_set(&r->phase, PHASE_DRAIN);
	if (!r->watchdog && !torture_get(&r->broken))
		watch(r, t0, now() + TORTURE_WATCHDOG_SEC, &r->guest_done,
		      "draining");
	torture_set(&r->phase, PHASE_STOP);
	join_or_die(r, guest, "guest");
	torture_set(&r->host_stop, true);
	join_or_die(r, host, "host");
	if (!r->o->quiet && isatty(2))
		fprintf(stderr, "\n");
	r->lost = r->posted - r->returned;
	return 0;
}

/**
 * torture_run_one - torture @r->strategy for @r->o->seconds / strategies
 * Returns 0 when the run happened (its result is in the counters), or a
 * negative errno when it could not be set up.
 */
int torture_run_one(struct torture_run *r, double seconds)
{
	int ret = setup(r);

	if (!ret)
		ret = run_threads(r, seconds);
	teardown(r);
	return ret;
}
