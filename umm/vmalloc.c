// SPDX-License-Identifier: GPL-2.0
/*
 * umm: vmap areas.  Each is a reserved PROT_NONE range of count + 1
 * pages; the pages are mapped into it from the memfd, one mmap() per run
 * of contiguous pfns, and the last page stays PROT_NONE as the guard.
 * The areas are on a list, with the pages, for vunmap() and
 * vmalloc_to_page().
 */
#include <linux/cacheflush.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <umm/alias.h>
#include <umm/phys.h>

struct vmap_area {
	struct list_head list;		/* on vmap_areas, vmap_lock */
	char *addr;
	unsigned int nr_pages;		/* not counting the guard page */
	struct page **pages;
};

static DEFINE_SPINLOCK(vmap_lock);
static LIST_HEAD(vmap_areas);		/* vmap_lock */

/* Pages from @i on whose pfns follow each other. */
static unsigned int pfn_run(struct page **pages, unsigned int i,
			    unsigned int count)
{
	unsigned int n = 1;

	while (i + n < count &&
	       page_to_pfn(pages[i + n]) == page_to_pfn(pages[i]) + n)
		n++;
	return n;
}

static int map_area(struct vmap_area *va, bool writable)
{
	unsigned int i, n;
	int err;

	for (i = 0; i < va->nr_pages; i += n) {
		n = pfn_run(va->pages, i, va->nr_pages);
		err = umm_alias_map(va->addr + ((unsigned long)i << PAGE_SHIFT),
				    page_to_pfn(va->pages[i]), n, writable);
		if (err)
			return err;
	}
	return 0;
}

static void free_area(struct vmap_area *va)
{
	if (va->addr)
		umm_alias_release(va->addr, va->nr_pages + 1);
	kfree(va->pages);
	kfree(va);
}

/**
 * vmap - map pages into one virtually contiguous range
 * @pages: the pages; they need not be contiguous, or lowmem
 * @count: how many
 * @flags: VM_MAP
 * @prot: PAGE_KERNEL, or PAGE_KERNEL_RO for a read-only mapping
 *
 * The caller keeps its references to the pages until vunmap().
 * Context: process context; might sleep.  Returns the address or NULL.
 */
void *vmap(struct page **pages, unsigned int count, unsigned long flags,
	   pgprot_t prot)
{
	struct vmap_area *va;

	might_sleep();
	if (!count || count > umm_max_pfn)
		return NULL;
	va = kzalloc(sizeof(*va), GFP_KERNEL);
	if (!va)
		return NULL;
	va->nr_pages = count;
	va->pages = kmalloc_array(count, sizeof(*pages), GFP_KERNEL);
	va->addr = umm_alias_reserve(count + 1);
	if (!va->pages || !va->addr)
		goto fail;
	umm_cache_alias_tag(va->addr, count, "vmap");
	memcpy(va->pages, pages, count * sizeof(*pages));
	if (map_area(va, pgprot_val(prot) & UMM_PGPROT_RW))
		goto fail;
	spin_lock(&vmap_lock);
	list_add(&va->list, &vmap_areas);
	spin_unlock(&vmap_lock);
	return va->addr;
fail:
	free_area(va);
	return NULL;
}

/* The area that holds @addr, or NULL. */
static struct vmap_area *find_area(const void *addr)
{
	struct vmap_area *va;
	const char *p = addr;

	lockdep_assert_held(&vmap_lock);
	list_for_each_entry(va, &vmap_areas, list)
		if (p >= va->addr &&
		    p < va->addr + ((unsigned long)va->nr_pages << PAGE_SHIFT))
			return va;
	return NULL;
}

/**
 * vunmap - remove a vmap() mapping
 * @addr: what vmap() returned
 *
 * On return the range no longer reaches the pages.  An address that is
 * not the start of a vmap area is reported.
 * Context: process context; might sleep.
 */
void vunmap(const void *addr)
{
	struct vmap_area *va;

	might_sleep();
	spin_lock(&vmap_lock);
	va = find_area(addr);
	if (va && va->addr == addr)
		list_del(&va->list);
	else
		va = NULL;
	spin_unlock(&vmap_lock);
	if (WARN(!va, "Trying to vunmap() nonexistent vm area (%p)", addr))
		return;
	flush_cache_vunmap((unsigned long)va->addr, (unsigned long)va->addr +
			   ((unsigned long)va->nr_pages << PAGE_SHIFT));
	free_area(va);
}

/**
 * vmalloc_to_page - the page a vmap address maps
 * @addr: an address in a vmap area
 *
 * Context: any.  Returns NULL for an address outside every area.
 */
struct page *vmalloc_to_page(const void *addr)
{
	struct vmap_area *va;
	struct page *page = NULL;

	spin_lock(&vmap_lock);
	va = find_area(addr);
	if (va)
		page = va->pages[((const char *)addr - va->addr) >> PAGE_SHIFT];
	spin_unlock(&vmap_lock);
	return page;
}

/**
 * is_vmalloc_addr - is @addr inside a vmap area?
 * @addr: any address
 *
 * Context: any.
 */
bool is_vmalloc_addr(const void *addr)
{
	bool found;

	spin_lock(&vmap_lock);
	found = find_area(addr);
	spin_unlock(&vmap_lock);
	return found;
}
