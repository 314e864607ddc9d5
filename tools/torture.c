// SPDX-License-Identifier: GPL-2.0
/* vmeta torture: not written yet (see the issue); refuses to run. */
#include <stdio.h>
#include "tool.h"

int vmeta_torture_main(int argc, char **argv)
{
	fprintf(stderr, "vmeta torture: not implemented yet\n");
	return 2;
}
