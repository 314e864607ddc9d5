/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmeta: what differs between the kernels the module builds for, so that
 * core/ needs no version checks.  Included before everything else.
 */
#ifndef _VMETA_COMPAT_H
#define _VMETA_COMPAT_H

#include <linux/version.h>
#include <linux/uaccess.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 12, 0)
/*
 * 6.12's masked user access, for 6.1: an address above the user range is
 * replaced by its top (cmp/cmov, no branch, no fence), then stac.
 */
static inline void __user *vmeta_mask_user_address(const void __user *ptr)
{
	void __user *ret;

	asm("cmp %1,%0\n\tcmova %1,%0"
	    : "=r" (ret) : "r" (TASK_SIZE_MAX - 1), "0" (ptr));
	return ret;
}

#define masked_user_access_begin(x) ({					\
	__auto_type __vmeta_masked = (x);				\
	__vmeta_masked = vmeta_mask_user_address(__vmeta_masked);	\
	__uaccess_begin();						\
	__vmeta_masked; })
#endif

/*
 * eventfd_signal() lost its count argument in 6.8 (it always adds 1 now):
 * "void eventfd_signal(ctx)" on 6.12, "__u64 eventfd_signal(ctx, n)" on
 * 6.1.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
#define vmeta_eventfd_signal(ctx)	eventfd_signal(ctx)
#else
#define vmeta_eventfd_signal(ctx)	eventfd_signal((ctx), 1)
#endif

#endif /* _VMETA_COMPAT_H */
