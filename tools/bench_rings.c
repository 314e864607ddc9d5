// SPDX-License-Identifier: GPL-2.0
/*
 * vmeta bench, suite "rings": chain1's host ns per chain as the ring
 * grows from 256 to 32768 entries, the ring in transparent huge pages:
 * kmap reaches it through the direct map (huge TLB entries when the
 * direct map has them), vmap through 4 KiB entries (seed 001's point).
 */
#include <stdio.h>
#include <string.h>
#include <linux/kernel.h>
#include <umm/phys.h>
#include "bench.h"

#define ITERS	20000

static const unsigned int sizes[] = { 256, 1024, 4096, 16384, 32768 };
static const enum vmeta_strategy strategies[] = {
	VMETA_RAW, VMETA_UACCESS_SCOPED, VMETA_VMAP, VMETA_KMAP,
};

int bench_suite_rings(const struct bench_opts *o)
{
	struct bench_result r[ARRAY_SIZE(strategies)] = { 0 };
	static char names[ARRAY_SIZE(sizes)][ARRAY_SIZE(strategies)][40];
	struct mm_struct *mm = umm_mm_create();
	unsigned long iters = ITERS * o->scale;
	unsigned long long dtlb, insns;
	struct bench_perf perf;
	struct bench_queue q;
	unsigned int z, i;
	int k;

	umm_use_mm(mm);
	bench_pin(0);
	bench_perf_open(&perf);
	printf("\n== rings: host ns per chain by ring size, ring in THP, "
	       "direct map %s\n", umm_direct_map_backing());
	if (!perf.ok)
		printf("  (no hardware counters here: perf_event_open: %s; "
		       "dTLB misses not measured)\n", perf.why);
	for (z = 0; z < ARRAY_SIZE(sizes); z++) {
		memset(r, 0, sizeof(r));
		for (i = 0; i < ARRAY_SIZE(strategies); i++) {
			if (bench_queue_init_huge(&q, mm, strategies[i],
						  sizes[z]))
				return -1;
			bench_chain1_run(&q, iters / 10);
			for (k = 0; k < o->runs; k++)
				r[i].runs[r[i].nr_runs++] =
					bench_chain1_run(&q, iters);
			/* One more run under the counters (guest included). */
			bench_perf_start(&perf);
			bench_chain1_run(&q, iters);
			if (!bench_perf_stop(&perf, &dtlb, &insns))
				dtlb = insns = 0;
			snprintf(names[z][i], sizeof(names[z][i]), "%s/%u",
				 vmeta_strategy_name(strategies[i]), sizes[z]);
			r[i].bench = "rings";
			r[i].name = names[z][i];
			r[i].unit = "ns/chain";
			bench_summarise(&r[i]);
			snprintf(r[i].extra, sizeof(r[i].extra),
				 "ring=%u linear_desc=%d", sizes[z],
				 q.vq.meta.area[VMETA_DESC].linear != NULL);
			if (perf.ok)
				snprintf(r[i].extra + strlen(r[i].extra),
					 sizeof(r[i].extra) -
					 strlen(r[i].extra),
					 " dtlb_misses_per_chain=%.3f "
					 "insns_per_chain=%.1f",
					 dtlb / (iters * 32.0),
					 insns / (iters * 32.0));
			bench_queue_destroy(&q);
		}
		bench_report(r, ARRAY_SIZE(strategies), &r[0], NULL, &r[1],
			     true);
	}
	bench_perf_close(&perf);
	umm_unuse_mm(mm);
	mmput(mm);
	return 0;
}
