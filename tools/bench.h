/* SPDX-License-Identifier: GPL-2.0 */
/* vmeta bench: shared pieces of the suites (tools/bench*.c). */
#ifndef _TOOLS_BENCH_H
#define _TOOLS_BENCH_H

#include <stdio.h>
#include "vmeta_vq.h"
#include "guest_vring.h"

#define BENCH_MAX_RUNS	15

/* One measurement: a figure per run, summarised by its median. */
struct bench_result {
	const char *bench;		/* suite */
	const char *name;		/* strategy or variant */
	const char *unit;		/* "ns/chain", "ns/access", "Mchains/s" */
	double runs[BENCH_MAX_RUNS];
	int nr_runs;
	double median, min, max;
	char extra[160];		/* more key=value fields */
};

struct bench_opts {
	int runs;			/* repetitions per measurement */
	double scale;			/* work per run, 1.0 = default */
	const char *only;		/* a suite name, or NULL */
	const char *json;		/* output path */
	bool quick;
	bool plot;
	bool host_thp;			/* may set shmem_enabled, as root */
};

void bench_host_thp(bool allow);

/* Hardware counters of the calling thread, where there are any. */
struct bench_perf {
	int dtlb, insns;		/* perf_event fds, or -1 */
	bool ok;
	char why[64];			/* strerror() when not ok */
};

void bench_perf_open(struct bench_perf *p);
void bench_perf_close(struct bench_perf *p);
void bench_perf_start(struct bench_perf *p);
bool bench_perf_stop(struct bench_perf *p, unsigned long long *dtlb,
		     unsigned long long *insns);

double bench_now_ns(void);
void bench_pin(int cpu);
void bench_summarise(struct bench_result *r);
void bench_report(struct bench_result *r, int n, const struct bench_result *raw,
		  const struct bench_result *uaccess,
		  const struct bench_result *scoped, bool lower_is_better);
void bench_json_add(const struct bench_result *r);
int bench_json_write(const char *path);
const struct bench_result *bench_result_at(int i);
int bench_plot(const char *dir);

/* A queue over a lab mm, its ring laid out by the guest driver. */
struct bench_queue {
	struct mm_struct *mm;
	unsigned long ring, data;
	struct guest_vring g;
	struct vmeta_vq vq;
};

int bench_queue_init(struct bench_queue *q, struct mm_struct *mm,
		     enum vmeta_strategy s, unsigned int num, bool event_idx);
int bench_queue_init_in_order(struct bench_queue *q, struct mm_struct *mm,
			      enum vmeta_strategy s, unsigned int num);
int bench_queue_init_huge(struct bench_queue *q, struct mm_struct *mm,
			  enum vmeta_strategy s, unsigned int num);
void bench_queue_destroy(struct bench_queue *q);

int bench_suite_access(const struct bench_opts *o);
int bench_suite_alias(const struct bench_opts *o);
int bench_suite_chain1(const struct bench_opts *o);
int bench_suite_inorder(const struct bench_opts *o);
int bench_suite_chain2(const struct bench_opts *o);
int bench_suite_peers(const struct bench_opts *o);
int bench_suite_inval(const struct bench_opts *o);
int bench_suite_rings(const struct bench_opts *o);
double bench_chain1_run(struct bench_queue *q, unsigned long iters);
/* One chain2 run of @s on a fresh queue: Mchains/s. */
double bench_chain2_once(enum vmeta_strategy s);

#endif /* _TOOLS_BENCH_H */
