// SPDX-License-Identifier: GPL-2.0
/*
 * vmeta bench: the suites, side by side in one run (see README).
 *
 *   vmeta bench [--quick] [--only SUITE] [--runs N] [--json PATH]
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <linux/kernel.h>
#include <umm/phys.h>
#include "bench.h"
#include "tool.h"

struct suite {
	const char *name;
	int (*run)(const struct bench_opts *o);
};

static const struct suite suites[] = {
	{ "access", bench_suite_access },
	{ "chain1", bench_suite_chain1 },
	{ "inorder", bench_suite_inorder },
	{ "chain2", bench_suite_chain2 },
	{ "inval", bench_suite_inval },
	{ "rings", bench_suite_rings },
	{ "alias", bench_suite_alias },
	{ "peers", bench_suite_peers },
};

static int usage(void)
{
	printf("usage: vmeta bench [--quick] [--only SUITE] [--runs N] "
	       "[--json PATH] [--no-plot] [--no-host-thp]\n"
	       "  suites: access, chain1, inorder, chain2, inval, rings, alias,\n"
	       "  peers\n"
	       "  as root, shmem_enabled is set to [advise] for the run (the\n"
	       "  lab's direct map in huge pages) unless --no-host-thp\n");
	return 2;
}

static int parse(int argc, char **argv, struct bench_opts *o)
{
	static const struct option longopts[] = {
		{ "quick", no_argument, NULL, 'q' },
		{ "only", required_argument, NULL, 'o' },
		{ "runs", required_argument, NULL, 'r' },
		{ "json", required_argument, NULL, 'j' },
		{ "no-plot", no_argument, NULL, 'n' },
		{ "no-host-thp", no_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'q':
			o->quick = true;
			o->runs = 3;
			o->scale = 0.2;
			break;
		case 'o':
			o->only = optarg;
			break;
		case 'r':
			o->runs = atoi(optarg);
			if (o->runs < 1 || o->runs > BENCH_MAX_RUNS)
				return -1;
			break;
		case 'j':
			o->json = optarg;
			break;
		case 'n':
			o->plot = false;
			break;
		case 't':
			o->host_thp = false;
			break;
		default:
			return -1;
		}
	}
	return 0;
}

int vmeta_bench_main(int argc, char **argv)
{
	struct bench_opts o = { .runs = 7, .scale = 1.0, .plot = true,
				.host_thp = true,
				.json = "build/results/bench.json" };
	struct umm_config cfg = { .ram_mb = 256 };
	unsigned int i;
	int ret = 0;

	if (parse(argc, argv, &o))
		return usage();
	bench_host_thp(o.host_thp);
	if (umm_boot(&cfg))
		return 1;
	printf("vmeta bench: %d runs per figure, medians [min .. max]; "
	       "direct map %s\n", o.runs, umm_direct_map_backing());
	for (i = 0; i < ARRAY_SIZE(suites) && !ret; i++)
		if (!o.only || !strcmp(o.only, suites[i].name))
			ret = suites[i].run(&o);
	mkdir("build", 0755);
	mkdir("build/results", 0755);
	if (bench_json_write(o.json))
		fprintf(stderr, "vmeta bench: cannot write %s\n", o.json);
	else
		printf("\nresults: %s\n", o.json);
	if (o.plot && bench_plot("build/results") < 0)
		printf("plots: gnuplot not found\n");
	return ret ? 1 : 0;
}
