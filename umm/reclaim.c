// SPDX-License-Identifier: GPL-2.0
/*
 * umm: reclaim of one page, as shrink_folio_list() does it.  Order
 * matters and is Linux's: first every mapping is torn down, announcing
 * CLEAR (so a secondary MMU, such as the map cache, stops using the page
 * and dirties it if it wrote), and the PTE dirty bits move to the page;
 * only then is the page written back if dirty, or dropped if clean.
 */
#include <linux/kernel.h>
#include <umm/file.h>
#include <umm/ops.h>
#include <umm/reclaim.h>
#include <umm/swap.h>
#include <umm/thp.h>
#include <umm/unmap.h>

#define GUP_PIN_COUNTING_BIAS	1024

/**
 * umm_page_at_locked - the page mapped at @addr of @mm, with a reference
 * Context: mmap_lock held.
 */
struct page *umm_page_at_locked(struct mm_struct *mm, unsigned long addr)
{
	struct page *page = NULL;
	pmd_t *pmdp;
	pte_t *ptep;

	mmap_assert_locked(mm);
	spin_lock(&mm->page_table_lock);
	pmdp = umm_pmd_lookup(mm, addr);
	ptep = umm_pte_lookup(mm, addr);
	if (pmdp && pmd_present(*pmdp) && pmd_trans_huge(*pmdp) &&
	    !pmd_special(*pmdp)) {
		/* A THP's page: hugetlb pages are not reclaimed or moved */
		page = pfn_to_page(pmd_pfn(*pmdp)) +
		       ((addr & ~PMD_MASK) >> PAGE_SHIFT);
		page = PageAnon(page) ? page : NULL;
	} else if (ptep && pte_present(*ptep) && !pte_special(*ptep)) {
		page = pfn_to_page(pte_pfn(*ptep));
	}
	if (page)
		get_page(page);
	spin_unlock(&mm->page_table_lock);
	return page;
}

/**
 * umm_page_at - umm_page_at_locked() taking mmap_lock for read itself
 * Context: process context.
 */
struct page *umm_page_at(struct mm_struct *mm, unsigned long addr)
{
	struct page *page;

	mmap_read_lock(mm);
	page = umm_page_at_locked(mm, addr);
	mmap_read_unlock(mm);
	return page;
}

/*
 * What reclaim and migration refuse: pinned, compound but for an
 * anonymous THP, not user memory.
 */
int umm_page_unmovable(struct page *page)
{
	struct page *head = compound_head(page);

	if ((PageCompound(head) && !umm_page_is_thp(head)) ||
	    PageReserved(head) || !head->mapping)
		return -EINVAL;
	/* folio_maybe_dma_pinned(): a long-term pin keeps it in place. */
	if (page_count(page) >= GUP_PIN_COUNTING_BIAS)
		return -EBUSY;
	return 0;
}

static unsigned long page_slot(struct page *page)
{
	unsigned long slot;

	if (PageSwapCache(page))
		return page->private;
	slot = umm_swap_alloc();
	if (!slot)
		return 0;
	if (PageAnon(page)) {
		umm_swap_cache_add(page, slot);
	} else {
		page->private = slot;
		SetPageSwapCache(page);
	}
	SetPageDirty(page);	/* a new slot holds nothing yet */
	return slot;
}

/*
 * The file gives the page up, unless a fault mapped it again meanwhile
 * (faults take their reference under file->lock); its index now refers
 * to the slot.
 */
static void file_drop_page(struct page *page, unsigned long slot)
{
	struct umm_file *file = page->mapping->host;
	bool cached;

	spin_lock(&file->lock);
	cached = file->pages[page->index] == page && page_count(page) == 2;
	if (cached) {
		file->pages[page->index] = NULL;
		file->slots[page->index] = slot;
		ClearPageSwapCache(page);	/* the slot is the file's now */
		page->private = 0;
	}
	spin_unlock(&file->lock);
	if (cached)
		put_page(page);		/* the page cache's reference */
}

/*
 * A lazyfree page (MADV_FREE) is not written: each clean mapping is just
 * cleared; a redirtied one stops the walk and the page stays.
 */
static int discard_lazyfree(struct page *page)
{
	struct umm_unmap u = { .lazyfree = true };

	umm_try_to_unmap(page, &u);
	return page_mapped(page) ? -EAGAIN : 0;
}

int umm_reclaim_page(struct page *page)
{
	struct umm_unmap u = { .migrate = false };
	unsigned long slot;
	bool anon;
	int ret;

	if (umm_page_is_thp(page))
		return umm_reclaim_thp(compound_head(page));
	lock_page(page);
	ret = umm_page_unmovable(page);
	if (ret)
		goto out;
	/* Mapped in a VM_LOCKED VMA: unevictable. */
	ret = -EBUSY;
	if (umm_page_mlocked(page))
		goto out;
	anon = PageAnon(page);
	if (anon && !PageSwapBacked(page)) {
		ret = discard_lazyfree(page);
		goto out;
	}
	slot = page_slot(page);
	ret = -ENOMEM;
	if (!slot)
		goto out;
	/* Anonymous PTEs keep the slot; file PTEs just go (the file has it). */
	u.slot = anon ? slot : 0;
	umm_try_to_unmap(page, &u);
	ret = -EAGAIN;
	if (page_mapped(page)) {
		/*
		 * Still mapped elsewhere (a fork or a fault raced the walk),
		 * so only read-only, shared until COW: its content is final
		 * for the swap entries we left, which read the slot once the
		 * page is gone from the swap cache (the lab's swap cache
		 * holds no reference, Linux's does).  Write it now.
		 */
		if (anon && TestClearPageDirty(page))
			umm_swap_write(slot, page);
		goto out;
	}
	if (TestClearPageDirty(page))
		umm_swap_write(slot, page);
	/* Written: now a fault may read the slot instead of this page. */
	if (anon)
		umm_swap_cache_try_remove(page, 1);
	else
		file_drop_page(page, slot);
	ret = 0;
out:
	unlock_page(page);
	return ret;
}

/**
 * umm_reclaim_addr - reclaim the page mapped at @addr of @mm
 * Context: process context, may sleep.  Returns as umm_reclaim_page(),
 * or -EFAULT if nothing reclaimable is mapped there.
 */
int umm_reclaim_addr(struct mm_struct *mm, unsigned long addr)
{
	struct page *page = umm_page_at(mm, addr);
	int ret;

	if (!page)
		return -EFAULT;
	ret = umm_reclaim_page(page);
	put_page(page);
	return ret;
}
