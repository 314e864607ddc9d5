// SPDX-License-Identifier: GPL-2.0
/*
 * umm: kmap() (persistent kernel mappings of HIGHMEM pages) and the
 * helpers that copy or clear through a temporary mapping.
 *
 * A persistent mapping is a fresh alias of the memfd page, counted per
 * page in a small table; the last kunmap() removes it.  The copies and
 * clears below are kernel accesses through a kmap: the cache model sees
 * them in every build.  Linux waits for
 * a free entry when its table is full; the lab reports instead.
 */
#include <linux/highmem.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <umm/alias.h>
#include <umm/cache.h>

#define LAST_PKMAP	512

struct pkmap {
	struct page *page;	/* NULL: the entry is free */
	void *addr;
	int count;		/* kmap()s not yet undone */
};

static DEFINE_SPINLOCK(pkmap_lock);
static struct pkmap pkmaps[LAST_PKMAP];	/* pkmap_lock */

static struct pkmap *pkmap_find(struct page *page)
{
	int i;

	lockdep_assert_held(&pkmap_lock);
	for (i = 0; i < LAST_PKMAP; i++)
		if (pkmaps[i].page == page)
			return &pkmaps[i];
	return NULL;
}

static struct pkmap *pkmap_new(struct page *page)
{
	struct pkmap *pk = pkmap_find(NULL);

	if (!pk) {
		umm_report(UMM_REPORT_BUG, __FILE__, __LINE__,
			   "kmap: all %d persistent mappings in use",
			   LAST_PKMAP);
		return NULL;
	}
	pk->addr = umm_alias_reserve(1);
	if (!pk->addr)
		BUG();
	umm_cache_alias_tag(pk->addr, 1, "kmap");
	if (umm_alias_map(pk->addr, page_to_pfn(page), 1, true))
		BUG();
	pk->page = page;
	return pk;
}

/**
 * kmap - map a page until kunmap()
 * @page: the page
 *
 * Returns the direct-map address of a lowmem page; a HIGHMEM page gets a
 * persistent mapping, shared by all its kmap()s.
 * Context: process context; might sleep.
 */
void *kmap(struct page *page)
{
	struct pkmap *pk;
	void *addr = NULL;

	might_sleep();
	if (!PageHighMem(page))
		return page_address(page);
	spin_lock(&pkmap_lock);
	pk = pkmap_find(page);
	if (!pk)
		pk = pkmap_new(page);
	if (pk) {
		pk->count++;
		addr = pk->addr;
	}
	spin_unlock(&pkmap_lock);
	return addr;
}

/**
 * kunmap - undo a kmap()
 * @page: the page given to kmap()
 *
 * Context: any (it does not sleep).  A page that is not kmapped is
 * reported.
 */
void kunmap(struct page *page)
{
	struct pkmap *pk;

	if (!PageHighMem(page)) {
		umm_cache_kunmap(page_address(page), false);	/* parisc */
		return;
	}
	spin_lock(&pkmap_lock);
	pk = pkmap_find(page);
	if (WARN(!pk, "kunmap: pfn %#lx is not kmapped", page_to_pfn(page))) {
		spin_unlock(&pkmap_lock);
		return;
	}
	umm_cache_kunmap(pk->addr, pk->count == 1);	/* flush_cache_kmaps */
	if (!--pk->count) {
		umm_alias_release(pk->addr, 1);
		pk->page = NULL;
		pk->addr = NULL;
	}
	spin_unlock(&pkmap_lock);
}

/**
 * clear_highpage - zero a page, HIGHMEM or not
 * @page: the page
 *
 * Context: any; does not sleep.
 */
void clear_highpage(struct page *page)
{
	void *kaddr = kmap_local_page(page);

	umm_cache_memset(kaddr, 0, PAGE_SIZE, __FILE__, __LINE__);
	kunmap_local(kaddr);
}

/**
 * copy_highpage - copy one page's contents to another
 * @to: destination page
 * @from: source page
 *
 * Context: any; does not sleep.
 */
void copy_highpage(struct page *to, struct page *from)
{
	char *vfrom = kmap_local_page(from);
	char *vto = kmap_local_page(to);

	umm_cache_memcpy(vto, vfrom, PAGE_SIZE, __FILE__, __LINE__);
	kunmap_local(vto);
	kunmap_local(vfrom);
}

/**
 * memcpy_to_page - copy into part of a page
 * @page: destination page
 * @offset: where in it
 * @from: source
 * @len: bytes; @offset + @len must not pass the end of the page
 *
 * Context: any; does not sleep.
 */
void memcpy_to_page(struct page *page, size_t offset, const char *from,
		    size_t len)
{
	char *to = kmap_local_page(page);

	VM_BUG_ON(offset + len > PAGE_SIZE);
	umm_cache_memcpy(to + offset, from, len, __FILE__, __LINE__);
	kunmap_local(to);
}

/**
 * memcpy_from_page - copy out of part of a page
 * @to: destination
 * @page: source page
 * @offset: where in it
 * @len: bytes; @offset + @len must not pass the end of the page
 *
 * Context: any; does not sleep.
 */
void memcpy_from_page(char *to, struct page *page, size_t offset,
		      size_t len)
{
	char *from = kmap_local_page(page);

	VM_BUG_ON(offset + len > PAGE_SIZE);
	umm_cache_memcpy(to, from + offset, len, __FILE__, __LINE__);
	kunmap_local(from);
}

/**
 * memzero_page - zero part of a page
 * @page: the page
 * @offset: where in it
 * @len: bytes; @offset + @len must not pass the end of the page
 *
 * Context: any; does not sleep.
 */
void memzero_page(struct page *page, size_t offset, size_t len)
{
	char *addr = kmap_local_page(page);

	VM_BUG_ON(offset + len > PAGE_SIZE);
	umm_cache_memset(addr + offset, 0, len, __FILE__, __LINE__);
	kunmap_local(addr);
}
