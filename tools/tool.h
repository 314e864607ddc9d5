/* SPDX-License-Identifier: GPL-2.0 */
/* vmeta: the tool's commands. */
#ifndef _TOOLS_TOOL_H
#define _TOOLS_TOOL_H

struct vmeta_cmd {
	const char *name;
	int (*main)(int argc, char **argv);
	const char *help;
};

int vmeta_torture_main(int argc, char **argv);
int vmeta_bench_main(int argc, char **argv);

#endif /* _TOOLS_TOOL_H */
