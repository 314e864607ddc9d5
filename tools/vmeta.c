// SPDX-License-Identifier: GPL-2.0
/*
 * vmeta: the project's command-line tool.
 *
 *   vmeta torture [options]   guest, host and chaos threads over every
 *                             strategy (tools/torture.c)
 *   vmeta bench [options]     the benchmarks (tools/bench.c)
 */
#include <stdio.h>
#include <string.h>
#include "tool.h"

static const struct vmeta_cmd cmds[] = {
	{ "torture", vmeta_torture_main, "torture the engine under mm events" },
	{ "bench", vmeta_bench_main, "measure every strategy" },
};

static int usage(FILE *f)
{
	unsigned int i;

	fprintf(f, "usage: vmeta COMMAND [options]   (COMMAND --help for more)\n");
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "  %-10s %s\n", cmds[i].name, cmds[i].help);
	return f == stderr ? 2 : 0;
}

int main(int argc, char **argv)
{
	unsigned int i;

	if (argc < 2)
		return usage(stderr);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return usage(stdout);
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].main(argc - 1, argv + 1);
	fprintf(stderr, "vmeta: unknown command '%s'\n", argv[1]);
	return usage(stderr);
}
