// SPDX-License-Identifier: GPL-2.0
/*
 * vmeta.ko: for now, the proof that core/ builds and links as a module of
 * the kernels Debian ships; the /dev/vhost-test device comes next.
 */
#include <linux/module.h>
#include "vmeta_vq.h"

static int __init vmeta_init(void)
{
	pr_info("vmeta: core loaded; strategies raw..%s\n",
		vmeta_strategy_name(VMETA_NR_STRATEGIES - 1));
	return 0;
}

static void __exit vmeta_exit(void)
{
}

module_init(vmeta_init);
module_exit(vmeta_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vhost metadata through kernel mappings, done right");
