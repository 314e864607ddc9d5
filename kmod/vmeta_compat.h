/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmeta: what differs between the kernels the module builds for, so that
 * core/ needs no version checks.  Included before everything else.
 */
#ifndef _VMETA_COMPAT_H
#define _VMETA_COMPAT_H

#include <linux/version.h>
#include <linux/cacheflush.h>
#include <linux/cacheinfo.h>
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

/*
 * cpu_dcache_is_aliasing() came in 6.9.  For 6.1, conservatively: any
 * architecture with a flush_dcache_page() of its own, which is the test
 * the 2019 series made (VHOST_ARCH_CAN_ACCEL_UACCESS).
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 9, 0)
#define cpu_dcache_is_aliasing()	(ARCH_IMPLEMENTS_FLUSH_DCACHE_PAGE != 0)
#endif

/*
 * KMAP on an aliasing data cache maps each page at the user address's
 * colour with kmap_coherent().  No kernel exports such a window to
 * modules (MIPS has kmap_coherent(), unexported), so here there is none:
 * on such a CPU the module's KMAP queues run through user access, counted
 * as VMETA_FB_ALIAS.  On x86 cpu_dcache_is_aliasing() is false and these
 * are never called.
 */
static inline void *vmeta_no_kmap_coherent(struct page *page,
					   unsigned long addr)
{
	return NULL;
}

#define kmap_coherent(page, addr)	vmeta_no_kmap_coherent(page, addr)
#define kunmap_coherent()		do { } while (0)

#endif /* _VMETA_COMPAT_H */
