// SPDX-License-Identifier: GPL-2.0
/*
 * vmeta.ko: core/ as a Linux module.  It offers /dev/vhost-test
 * (vmeta_vhost.c); the module parameter "strategy" chooses how queues
 * that start from now on access their rings (core/vmeta_meta.h).
 */
#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include "vmeta_vhost.h"

static struct dentry *vmeta_debugfs;

static int vmeta_strategy_set(const char *val, const struct kernel_param *kp)
{
	char name[32];
	int s;

	if (strscpy(name, val, sizeof(name)) < 0)
		return -EINVAL;
	s = vmeta_strategy_parse(strim(name));
	/* raw needs kernel addresses of the rings: benchmarks only. */
	if (s < 0 || s == VMETA_RAW)
		return -EINVAL;
	WRITE_ONCE(vmeta_default_strategy, s);
	return 0;
}

static int vmeta_strategy_get(char *buf, const struct kernel_param *kp)
{
	return scnprintf(buf, PAGE_SIZE, "%s\n",
			 vmeta_strategy_name(READ_ONCE(vmeta_default_strategy)));
}

static const struct kernel_param_ops vmeta_strategy_ops = {
	.set = vmeta_strategy_set,
	.get = vmeta_strategy_get,
};
module_param_cb(strategy, &vmeta_strategy_ops, NULL, 0644);
MODULE_PARM_DESC(strategy,
		 "ring access of queues started from now on: uaccess, uaccess-scoped, vmap-pin, vmap, kmap (default)");

static int __init vmeta_init(void)
{
	int ret;

	vmeta_debugfs = debugfs_create_dir("vmeta", NULL);
	ret = vmeta_vhost_register(vmeta_debugfs);
	if (ret) {
		debugfs_remove(vmeta_debugfs);
		return ret;
	}
	pr_info("vmeta: /dev/vhost-test, strategy %s\n",
		vmeta_strategy_name(READ_ONCE(vmeta_default_strategy)));
	return 0;
}

static void __exit vmeta_exit(void)
{
	vmeta_vhost_unregister();
	debugfs_remove(vmeta_debugfs);
}

module_init(vmeta_init);
module_exit(vmeta_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vhost metadata through kernel mappings, done right");
