// SPDX-License-Identifier: GPL-2.0
/*
 * vmeta bench, suites "chain1" and "chain2": the engine's cost per chain
 * under each strategy.  chain1: one thread is guest and host, the host's
 * part timed alone (the metadata path).  chain2: guest and host threads
 * pinned to the two CPUs, polling, throughput.
 */
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <linux/kernel.h>
#include <umm/phys.h>
#include "bench.h"

#define NUM		256
#define BATCH		32
#define ITERS		20000
#define CHAIN2_NS	4e8

static enum vmeta_strategy order[] = {
	VMETA_RAW, VMETA_UACCESS, VMETA_UACCESS_SCOPED, VMETA_VMAP_PIN,
	VMETA_VMAP, VMETA_KMAP,
};
#define NR_ORDER	ARRAY_SIZE(order)

static void guest_post(struct guest_vring *g, unsigned long data,
		       unsigned int n)
{
	struct guest_buf b = { data, 64, false };
	unsigned int k;

	for (k = 0; k < n; k++)
		guest_vring_add(g, &b, 1, false, (void *)1);
	guest_vring_publish(g);
}

/* The host's side of one batch: what a vhost worker does per wake-up. */
static unsigned int host_batch(struct vmeta_vq *vq)
{
	static struct vmeta_chain c;
	struct vring_used_elem e[BATCH];
	unsigned int n = 0;

	vmeta_vq_begin(vq);
	while (n < BATCH && vmeta_vq_get_chain(vq, &c) == 1) {
		e[n].id = c.head;
		e[n].len = 0;
		n++;
	}
	if (n) {
		vmeta_vq_add_used_n(vq, e, n);
		vmeta_vq_need_notify(vq);
	}
	vmeta_vq_end(vq);
	return n;
}

/* ns of host time per chain over @iters batches. */
double bench_chain1_run(struct bench_queue *q, unsigned long iters)
{
	double host = 0, t;
	unsigned long i;
	u32 len;

	for (i = 0; i < iters; i++) {
		guest_post(&q->g, q->data, BATCH);
		t = bench_now_ns();
		host_batch(&q->vq);
		host += bench_now_ns() - t;
		while (guest_vring_get_used(&q->g, &len, NULL))
			;
	}
	return host / (iters * BATCH);
}

static int find(enum vmeta_strategy s)
{
	unsigned int i;

	for (i = 0; i < NR_ORDER; i++)
		if (order[i] == s)
			return i;
	return -1;
}

/*
 * chain1, and with @in_order the same under VIRTIO_F_IN_ORDER: heads
 * from the ring order (no avail-ring read per chain), one used entry per
 * batch (the buffers' lengths are 0).
 */
static int chain1_suite(const struct bench_opts *o, bool in_order)
{
	const char *bench = in_order ? "inorder" : "chain1";
	struct bench_result r[NR_ORDER] = { 0 };
	struct bench_queue q[NR_ORDER];
	struct mm_struct *mm = umm_mm_create();
	unsigned long iters = ITERS * o->scale;
	unsigned int i;
	int k;

	umm_use_mm(mm);
	bench_pin(0);
	for (i = 0; i < NR_ORDER; i++)
		if (in_order ?
		    bench_queue_init_in_order(&q[i], mm, order[i], NUM) :
		    bench_queue_init(&q[i], mm, order[i], NUM, true))
			return -1;
	printf("\n== %s: host ns per chain, guest and host on one CPU, "
	       "batches of %d one-buffer chains, ring %d%s\n", bench, BATCH,
	       NUM, in_order ? ", VIRTIO_F_IN_ORDER" : "");
	for (k = 0; k < o->runs; k++)
		for (i = 0; i < NR_ORDER; i++) {
			bench_chain1_run(&q[i], iters / 10);	/* warm */
			r[i].runs[r[i].nr_runs++] = bench_chain1_run(&q[i], iters);
		}
	for (i = 0; i < NR_ORDER; i++) {
		r[i].bench = bench;
		r[i].name = vmeta_strategy_name(order[i]);
		r[i].unit = "ns/chain";
		bench_summarise(&r[i]);
		snprintf(r[i].extra, sizeof(r[i].extra),
			 "hits=%llu fallbacks=%llu",
			 (unsigned long long)q[i].vq.meta.stats.hits,
			 (unsigned long long)
			 vmeta_meta_fallbacks(&q[i].vq.meta.stats));
	}
	bench_report(r, NR_ORDER, &r[find(VMETA_RAW)], &r[find(VMETA_UACCESS)],
		     &r[find(VMETA_UACCESS_SCOPED)], true);
	for (i = 0; i < NR_ORDER; i++)
		bench_queue_destroy(&q[i]);
	umm_unuse_mm(mm);
	mmput(mm);
	return 0;
}

int bench_suite_chain1(const struct bench_opts *o)
{
	return chain1_suite(o, false);
}

int bench_suite_inorder(const struct bench_opts *o)
{
	return chain1_suite(o, true);
}

struct chain2 {
	struct bench_queue *q;
	double stop_at;
	unsigned long chains;
	bool stop;			/* atomic */
};

static __umm_user_code void *chain2_guest(void *arg)
{
	struct chain2 *c = arg;
	struct guest_vring *g = &c->q->g;
	u32 len;

	bench_pin(0);
	while (!__atomic_load_n(&c->stop, __ATOMIC_ACQUIRE)) {
		unsigned int free = g->num_free;

		if (free >= BATCH)
			guest_post(g, c->q->data, free);
		while (guest_vring_get_used(g, &len, NULL))
			c->chains++;
		if (bench_now_ns() > c->stop_at)
			__atomic_store_n(&c->stop, true, __ATOMIC_RELEASE);
	}
	return NULL;
}

static double chain2_run(struct bench_queue *q)
{
	struct chain2 c = { .q = q };
	double t0;
	pthread_t g;

	t0 = bench_now_ns();
	c.stop_at = t0 + CHAIN2_NS;
	pthread_create(&g, NULL, chain2_guest, &c);
	while (!__atomic_load_n(&c.stop, __ATOMIC_ACQUIRE))
		if (!host_batch(&q->vq))
			sched_yield();
	pthread_join(g, NULL);
	/* Drain what is still in flight so the next run starts empty. */
	while (host_batch(&q->vq))
		;
	while (guest_vring_get_used(&q->g, NULL, NULL))
		;
	return c.chains / ((bench_now_ns() - t0) / 1e3);
}

int bench_suite_chain2(const struct bench_opts *o)
{
	struct bench_result r[NR_ORDER] = { 0 };
	struct bench_queue q[NR_ORDER];
	struct mm_struct *mm = umm_mm_create();
	unsigned int i;
	int k;

	umm_use_mm(mm);
	bench_pin(1);
	for (i = 0; i < NR_ORDER; i++)
		if (bench_queue_init(&q[i], mm, order[i], NUM, true))
			return -1;
	printf("\n== chain2: Mchains/s, guest on CPU 0 and host on CPU 1, "
	       "polling, ring %d\n", NUM);
	for (k = 0; k < o->runs; k++)
		for (i = 0; i < NR_ORDER; i++)
			r[i].runs[r[i].nr_runs++] = chain2_run(&q[i]);
	for (i = 0; i < NR_ORDER; i++) {
		r[i].bench = "chain2";
		r[i].name = vmeta_strategy_name(order[i]);
		r[i].unit = "Mchains/s";
		bench_summarise(&r[i]);
	}
	bench_report(r, NR_ORDER, &r[find(VMETA_RAW)], &r[find(VMETA_UACCESS)],
		     &r[find(VMETA_UACCESS_SCOPED)], false);
	for (i = 0; i < NR_ORDER; i++)
		bench_queue_destroy(&q[i]);
	umm_unuse_mm(mm);
	mmput(mm);
	return 0;
}

double bench_chain2_once(enum vmeta_strategy s)
{
	struct mm_struct *mm = umm_mm_create();
	struct bench_queue q;
	double mcps = -1;

	umm_use_mm(mm);
	bench_pin(1);
	if (!bench_queue_init(&q, mm, s, NUM, true)) {
		chain2_run(&q);		/* warm */
		mcps = chain2_run(&q);
		bench_queue_destroy(&q);
	}
	umm_unuse_mm(mm);
	mmput(mm);
	return mcps;
}
