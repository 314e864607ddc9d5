// SPDX-License-Identifier: GPL-2.0
/*
 * vmeta bench, suite "inval": chain1's loop (guest and host on CPU 0)
 * while a thread on CPU 1 migrates the ring pages at a set rate: what
 * invalidations cost each strategy.  Mchains/s relative to no events,
 * and the map cache's retries and fallbacks per million chains.
 */
#include <pthread.h>
#include <time.h>
#include <linux/kernel.h>
#include <umm/reclaim.h>
#include "bench.h"

#define NUM		256
#define BATCH		32
#define RUN_NS		3e8

static const enum vmeta_strategy strategies[] = {
	VMETA_UACCESS, VMETA_UACCESS_SCOPED, VMETA_VMAP_PIN, VMETA_VMAP,
	VMETA_KMAP,
};
static const int rates[] = { 0, 100, 1000, 10000 };

struct chaos {
	struct bench_queue *q;
	int rate;
	bool stop;			/* atomic */
	unsigned long events, moved;
};

static void *chaos_thread(void *arg)
{
	struct chaos *c = arg;
	unsigned long pages[3] = { c->q->g.desc, c->q->g.avail, c->q->g.used };
	struct timespec gap = { 0, 1000000000L / (c->rate ? c->rate : 1) };

	bench_pin(1);
	while (!__atomic_load_n(&c->stop, __ATOMIC_ACQUIRE)) {
		nanosleep(&gap, NULL);
		c->moved += !umm_migrate_addr(c->q->mm,
					      pages[c->events++ % 3]);
	}
	return NULL;
}

static void post_and_serve(struct bench_queue *q)
{
	struct guest_buf b = { q->data, 64, false };
	static struct vmeta_chain ch;
	struct vring_used_elem e[BATCH];
	unsigned int k, n = 0;

	for (k = 0; k < BATCH; k++)
		guest_vring_add(&q->g, &b, 1, false, (void *)1);
	guest_vring_publish(&q->g);
	vmeta_vq_begin(&q->vq);
	while (n < BATCH && vmeta_vq_get_chain(&q->vq, &ch) == 1) {
		e[n].id = ch.head;
		e[n++].len = 0;
	}
	vmeta_vq_add_used_n(&q->vq, e, n);
	vmeta_vq_end(&q->vq);
	while (guest_vring_get_used(&q->g, NULL, NULL))
		;
}

/* Mchains/s of one run at @rate migrations per second. */
static double inval_run(struct bench_queue *q, int rate, unsigned long *moved)
{
	struct chaos c = { .q = q, .rate = rate };
	unsigned long chains = 0;
	double t0 = bench_now_ns(), t;
	pthread_t th;

	if (rate)
		pthread_create(&th, NULL, chaos_thread, &c);
	do {
		post_and_serve(q);
		chains += BATCH;
		t = bench_now_ns();
	} while (t - t0 < RUN_NS);
	__atomic_store_n(&c.stop, true, __ATOMIC_RELEASE);
	if (rate)
		pthread_join(th, NULL);
	*moved += c.moved;
	return chains / ((t - t0) / 1e3);
}

static void one_strategy(const struct bench_opts *o, enum vmeta_strategy s,
			 struct mm_struct *mm)
{
	struct bench_result r[ARRAY_SIZE(rates)] = { 0 };
	static char names[ARRAY_SIZE(rates)][48];
	struct vmeta_meta_stats *st;
	struct bench_queue q;
	unsigned long moved[ARRAY_SIZE(rates)] = { 0 };
	unsigned int i;
	int k;

	if (bench_queue_init(&q, mm, s, NUM, true))
		return;
	st = &q.vq.meta.stats;
	for (k = 0; k < o->runs; k++)
		for (i = 0; i < ARRAY_SIZE(rates); i++)
			r[i].runs[r[i].nr_runs++] =
				inval_run(&q, rates[i], &moved[i]);
	for (i = 0; i < ARRAY_SIZE(rates); i++) {
		snprintf(names[i], sizeof(names[i]), "%s@%d/s",
			 vmeta_strategy_name(s), rates[i]);
		r[i].bench = "inval";
		r[i].name = names[i];
		r[i].unit = "Mchains/s";
		bench_summarise(&r[i]);
		snprintf(r[i].extra, sizeof(r[i].extra),
			 "rel_to_no_events=%.3f migrated=%lu",
			 r[i].median / r[0].median, moved[i]);
	}
	bench_report(r, ARRAY_SIZE(rates), NULL, NULL, NULL, false);
	printf("  %s: per million chains over the suite: %.1f retries, "
	       "%.1f fallbacks, %.1f invalidations\n", vmeta_strategy_name(s),
	       st->retries * 1e6 / q.vq.chains,
	       (st->fallbacks[0] + st->fallbacks[1] + st->fallbacks[2] +
		st->fallbacks[3]) * 1e6 / q.vq.chains,
	       st->invalidations * 1e6 / q.vq.chains);
	bench_queue_destroy(&q);
}

int bench_suite_inval(const struct bench_opts *o)
{
	struct mm_struct *mm = umm_mm_create();
	unsigned int i;

	umm_use_mm(mm);
	bench_pin(0);
	printf("\n== inval: Mchains/s on CPU 0 while CPU 1 migrates the ring "
	       "pages at 0, 100, 1000, 10000 per second\n");
	for (i = 0; i < ARRAY_SIZE(strategies); i++)
		one_strategy(o, strategies[i], mm);
	umm_unuse_mm(mm);
	mmput(mm);
	return 0;
}
