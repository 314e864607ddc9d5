/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umm: memremap() (umm/memremap.c).  As in Linux, RAM that has struct
 * pages and a direct-map address is returned at that address; anything
 * else that is backed (reserved pages, the device range, HIGHMEM RAM) gets
 * a new mapping of its memfd offsets, a real alias; absent memory, or a
 * range that mixes RAM with something else, gets NULL.  The lab has one
 * kind of cacheability: WB, WT and WC all map the same memory.
 */
#ifndef _LINUX_IO_H
#define _LINUX_IO_H

#include <linux/types.h>

typedef phys_addr_t resource_size_t;

enum {
	MEMREMAP_WB = 1 << 0,
	MEMREMAP_WT = 1 << 1,
	MEMREMAP_WC = 1 << 2,
};

void *memremap(resource_size_t offset, size_t size, unsigned long flags);
void memunmap(void *addr);

#endif /* _LINUX_IO_H */
