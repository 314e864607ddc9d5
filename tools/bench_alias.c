// SPDX-License-Identifier: GPL-2.0
/*
 * vmeta bench, suite "alias": what each strategy costs in cache
 * maintenance on the aliasing cache models (Documentation/cache-models.md),
 * per 1 000 chains: flush calls, cache-line operations, parisc's global
 * pa_tlb_lock acquisitions, whole-cache flushes, kmap_coherent windows
 * installed, and the share of batches that fell back to user access.
 * Counts, not times: the models count what the architecture's code would
 * issue, and one thread runs the same chains every time, so the figures
 * are the same on every run and machine.
 */
#include <linux/kernel.h>
#include <umm/cache.h>
#include <umm/phys.h>
#include "bench.h"

#define NUM		256
#define BATCHES		1000
#define WARM		10

static const int models[] = { UMM_ARCH_PARISC, UMM_ARCH_ARMV6,
			      UMM_ARCH_MIPS_R4K, UMM_ARCH_ARMV5 };
static const enum vmeta_strategy strategies[] = {
	VMETA_UACCESS, VMETA_UACCESS_SCOPED, VMETA_VMAP_PIN, VMETA_VMAP,
	VMETA_KMAP,
};

struct alias_counts {
	double flush_calls, lines, locks, whole, windows, fallback_pct;
};

/* Per 1 000 chains of @q over @batches batches, after a warm-up. */
static void measure(struct bench_queue *q, unsigned long batches,
		    struct alias_counts *c)
{
	struct vmeta_meta_stats *st = &q->vq.meta.stats;
	struct umm_cache_stats a, b;
	u64 batches0, fb0;
	double k;

	bench_chain1_run(q, WARM);	/* faults in, maps: not per chain */
	batches0 = st->batches;
	fb0 = vmeta_meta_fallbacks(st);
	umm_cache_get_stats(&a);
	bench_chain1_run(q, batches);
	umm_cache_get_stats(&b);
	k = 1000.0 / (batches * 32);
	c->flush_calls = (b.flush_calls - a.flush_calls) * k;
	c->lines = (b.lines_flushed - a.lines_flushed) * k;
	c->locks = (b.lock_acquisitions - a.lock_acquisitions) * k;
	c->whole = (b.whole_cache_flushes - a.whole_cache_flushes) * k;
	c->windows = (b.coherent_maps - a.coherent_maps) * k;
	c->fallback_pct = 100.0 * (vmeta_meta_fallbacks(st) - fb0) /
			  (st->batches - batches0);
}

static void report(int model, enum vmeta_strategy s,
		   const struct alias_counts *c)
{
	static struct bench_result r;
	const char *arch = umm_cache_arch_name(model);

	printf("  %-9s %-15s %8.1f %9.1f %8.1f %7.1f %9.1f %8.1f%%\n", arch,
	       vmeta_strategy_name(s), c->flush_calls, c->lines, c->locks,
	       c->whole, c->windows, c->fallback_pct);
	printf("SUMMARY bench=alias arch=%s strategy=%s flush_calls_per_1k=%.1f "
	       "lines_per_1k=%.1f lock_per_1k=%.1f whole_cache_per_1k=%.1f "
	       "windows_per_1k=%.1f fallback_pct=%.1f\n", arch,
	       vmeta_strategy_name(s), c->flush_calls, c->lines, c->locks,
	       c->whole, c->windows, c->fallback_pct);
	memset(&r, 0, sizeof(r));
	r.bench = "alias";
	r.name = vmeta_strategy_name(s);
	r.unit = "lines/1k chains";
	r.median = r.min = r.max = r.runs[0] = c->lines;
	r.nr_runs = 1;
	snprintf(r.extra, sizeof(r.extra), "arch=%s flush_calls_per_1k=%.1f "
		 "lock_per_1k=%.1f whole_cache_per_1k=%.1f windows_per_1k=%.1f "
		 "fallback_pct=%.1f", arch, c->flush_calls, c->locks, c->whole,
		 c->windows, c->fallback_pct);
	bench_json_add(&r);
}

int bench_suite_alias(const struct bench_opts *o)
{
	struct mm_struct *mm = umm_mm_create();
	unsigned long batches = BATCHES * o->scale;
	int prev = umm_cache_arch();
	struct alias_counts c;
	struct bench_queue q;
	unsigned int m, i;

	umm_use_mm(mm);
	bench_pin(0);
	printf("\n== alias: cache maintenance per 1 000 chains on the aliasing "
	       "cache models (counts from the models, deterministic)\n");
	printf("  %-9s %-15s %8s %9s %8s %7s %9s %9s\n", "model", "strategy",
	       "flushes", "lines", "pa_lock", "whole", "windows", "fallback");
	for (m = 0; m < ARRAY_SIZE(models); m++) {
		umm_cache_set_arch(models[m]);
		for (i = 0; i < ARRAY_SIZE(strategies); i++) {
			if (bench_queue_init(&q, mm, strategies[i], NUM, true))
				return -1;
			measure(&q, batches, &c);
			report(models[m], strategies[i], &c);
			bench_queue_destroy(&q);
		}
	}
	umm_cache_set_arch(prev);
	umm_unuse_mm(mm);
	mmput(mm);
	return 0;
}
