// SPDX-License-Identifier: GPL-2.0
/* vmeta bench: not written yet; refuses to run. */
#include <stdio.h>
#include "tool.h"

int vmeta_bench_main(int argc, char **argv)
{
	fprintf(stderr, "vmeta bench: not implemented yet\n");
	return 2;
}
