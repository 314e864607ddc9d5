// SPDX-License-Identifier: GPL-2.0
/* umm: kmalloc and friends; a blocking gfp mask might sleep. */
#include <stdlib.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/slab.h>

static void slab_might_sleep(gfp_t gfp)
{
	if (gfpflags_allow_blocking(gfp))
		might_sleep();
}

void *kmalloc(size_t size, gfp_t gfp)
{
	slab_might_sleep(gfp);
	return (gfp & __GFP_ZERO) ? calloc(1, size) : malloc(size);
}

void *kzalloc(size_t size, gfp_t gfp)
{
	return kmalloc(size, gfp | __GFP_ZERO);
}

void *kcalloc(size_t n, size_t size, gfp_t gfp)
{
	slab_might_sleep(gfp);
	return calloc(n, size);
}

void kfree(const void *p)
{
	free((void *)p);
}
