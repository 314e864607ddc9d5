/* SPDX-License-Identifier: GPL-2.0 */
/* umm: kmalloc over malloc; a blocking allocation might sleep. */
#ifndef _LINUX_SLAB_H
#define _LINUX_SLAB_H

#include <linux/gfp.h>
#include <linux/compiler.h>

void *kmalloc(size_t size, gfp_t gfp);
void *kzalloc(size_t size, gfp_t gfp);
void *kcalloc(size_t n, size_t size, gfp_t gfp);
void kfree(const void *p);

#define kvmalloc(s, g)		kmalloc(s, g)
#define kvzalloc(s, g)		kzalloc(s, g)
#define kvcalloc(n, s, g)	kcalloc(n, s, g)
#define kvfree(p)		kfree(p)
#define kmalloc_array(n, s, g)	kcalloc(n, s, g)

#endif /* _LINUX_SLAB_H */
