/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmeta.ko: /dev/vhost-test, the vhost ioctl ABI of Linux's
 * drivers/vhost/test.c over core/'s engine and test device.
 */
#ifndef _VMETA_VHOST_H
#define _VMETA_VHOST_H

#include <linux/dcache.h>
#include "vmeta_meta.h"

int vmeta_vhost_register(struct dentry *debugfs_root);
void vmeta_vhost_unregister(void);

/* The strategy new queues start with: the module parameter. */
extern int vmeta_default_strategy;

#endif /* _VMETA_VHOST_H */
