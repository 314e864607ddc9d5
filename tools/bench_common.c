// SPDX-License-Identifier: GPL-2.0
/* vmeta bench: timing, pinning, statistics, reporting, JSON. */
#include <math.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/kernel.h>
#include <linux/virtio_config.h>
#include "bench.h"

#define MAX_RESULTS	256

static struct bench_result results[MAX_RESULTS];
static int nr_results;

double bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

void bench_pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu % CPU_SETSIZE, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

void bench_summarise(struct bench_result *r)
{
	double s[BENCH_MAX_RUNS];
	int n = r->nr_runs;

	memcpy(s, r->runs, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	r->min = s[0];
	r->max = s[n - 1];
	r->median = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/* "ratio_vs_X=" the way a figure compares with X's, both medians. */
static void ratio(char *buf, size_t len, const char *key,
		  const struct bench_result *r, const struct bench_result *ref)
{
	size_t l = strlen(buf);

	if (!ref)
		return;
	snprintf(buf + l, len - l, " %s=%.3f", key, r->median / ref->median);
}

/*
 * Print each result as a table row and a SUMMARY line, with its ratios
 * to raw, uaccess and uaccess-scoped measured in the same run.
 */
void bench_report(struct bench_result *r, int n, const struct bench_result *raw,
		  const struct bench_result *uaccess,
		  const struct bench_result *scoped, bool lower_is_better)
{
	int i;

	for (i = 0; i < n; i++) {
		char ratios[160] = "";

		ratio(ratios, sizeof(ratios), "ratio_vs_raw", &r[i], raw);
		ratio(ratios, sizeof(ratios), "ratio_vs_uaccess", &r[i], uaccess);
		ratio(ratios, sizeof(ratios), "ratio_vs_scoped", &r[i], scoped);
		printf("  %-16s %10.2f %-10s [%.2f .. %.2f]%s\n", r[i].name,
		       r[i].median, r[i].unit, r[i].min, r[i].max, ratios);
		printf("SUMMARY bench=%s strategy=%s %s=%.3f min=%.3f max=%.3f "
		       "runs=%d%s%s%s\n", r[i].bench, r[i].name,
		       !strcmp(r[i].unit, "Mchains/s") ? "mchains_per_s" :
		       !strcmp(r[i].unit, "ns/access") ? "ns_per_access" :
		       "ns_per_chain", r[i].median, r[i].min, r[i].max,
		       r[i].nr_runs, ratios, r[i].extra[0] ? " " : "",
		       r[i].extra);
		bench_json_add(&r[i]);
	}
	if (!lower_is_better)
		printf("  (higher is better: ratios above 1 mean faster)\n");
}

void bench_json_add(const struct bench_result *r)
{
	if (nr_results < MAX_RESULTS)
		results[nr_results++] = *r;
}

const struct bench_result *bench_result_at(int i)
{
	return i < nr_results ? &results[i] : NULL;
}

int bench_json_write(const char *path)
{
	FILE *f = fopen(path, "w");
	int i, j;

	if (!f)
		return -1;
	fprintf(f, "{\n  \"results\": [\n");
	for (i = 0; i < nr_results; i++) {
		const struct bench_result *r = &results[i];

		fprintf(f, "    {\"bench\": \"%s\", \"strategy\": \"%s\", "
			"\"unit\": \"%s\", \"median\": %.4f, \"min\": %.4f, "
			"\"max\": %.4f, \"extra\": \"%s\", \"runs\": [",
			r->bench, r->name, r->unit, r->median, r->min, r->max,
			r->extra);
		for (j = 0; j < r->nr_runs; j++)
			fprintf(f, "%s%.4f", j ? ", " : "", r->runs[j]);
		fprintf(f, "]}%s\n", i + 1 < nr_results ? "," : "");
	}
	fprintf(f, "  ]\n}\n");
	return fclose(f);
}

enum { Q_HUGE = 1, Q_IN_ORDER = 2 };

static int queue_init(struct bench_queue *q, struct mm_struct *mm,
		      enum vmeta_strategy s, unsigned int num, bool event_idx,
		      int how)
{
	bool huge = how & Q_HUGE;
	unsigned long len = ALIGN(guest_vring_size(num), PMD_SIZE);
	struct vmeta_vq_config cfg;

	memset(q, 0, sizeof(*q));
	q->mm = mm;
	q->ring = umm_mmap(mm, 0, len, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
	if (huge && (long)q->ring > 0)
		umm_madvise(mm, q->ring, len, MADV_HUGEPAGE);
	q->data = umm_mmap(mm, 0, 1UL << 20, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
	if ((long)q->ring < 0 || (long)q->data < 0 ||
	    guest_vring_init(&q->g, mm, q->ring, num, event_idx))
		return -ENOMEM;
	/* The guest touches its rings first, as a driver does at probe. */
	memset(q->g.d, 0, guest_vring_size(num) -
	       PAGE_ALIGN(16UL * num * GUEST_MAX_INDIRECT));
	guest_vring_vq_config(&q->g, s, &cfg);
	cfg.features = BIT_ULL(VIRTIO_F_VERSION_1) |
		       (event_idx ? BIT_ULL(VIRTIO_RING_F_EVENT_IDX) : 0);
	if (how & Q_IN_ORDER) {
		guest_vring_set_in_order(&q->g);
		cfg.features |= BIT_ULL(VIRTIO_F_IN_ORDER);
	}
	return vmeta_vq_init(&q->vq, &cfg);
}

int bench_queue_init(struct bench_queue *q, struct mm_struct *mm,
		     enum vmeta_strategy s, unsigned int num, bool event_idx)
{
	return queue_init(q, mm, s, num, event_idx, 0);
}

/* VIRTIO_F_IN_ORDER: heads from the ring order, a used entry per batch. */
int bench_queue_init_in_order(struct bench_queue *q, struct mm_struct *mm,
			      enum vmeta_strategy s, unsigned int num)
{
	return queue_init(q, mm, s, num, true, Q_IN_ORDER);
}

/* The ring in transparent huge pages (MADV_HUGEPAGE before any touch). */
int bench_queue_init_huge(struct bench_queue *q, struct mm_struct *mm,
			  enum vmeta_strategy s, unsigned int num)
{
	return queue_init(q, mm, s, num, true, Q_HUGE);
}

void bench_queue_destroy(struct bench_queue *q)
{
	vmeta_vq_destroy(&q->vq);
	guest_vring_free(&q->g);
	umm_munmap(q->mm, q->ring,
		   ALIGN(guest_vring_size(q->g.num), PMD_SIZE));
	umm_munmap(q->mm, q->data, 1UL << 20);
}
