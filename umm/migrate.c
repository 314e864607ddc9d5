// SPDX-License-Identifier: GPL-2.0
/*
 * umm: migration of one page to a new pfn, as migrate_pages() does it:
 * every mapping is replaced by a migration entry, announcing CLEAR over
 * the page (G rule 12: not MMU_NOTIFY_MIGRATE); if nobody else holds a
 * reference the content moves to a new page and the entries become PTEs
 * of it; otherwise the entries are restored and migration fails.  A
 * fault on a migration entry waits until it is gone.
 */
#include <string.h>
#include <linux/kernel.h>
#include <umm/cache.h>
#include <umm/file.h>
#include <umm/phys.h>
#include <umm/reclaim.h>
#include <umm/swap.h>
#include <umm/thp.h>
#include <umm/swap.h>
#include <umm/unmap.h>

int umm_page_unmovable(struct page *page);

/* References migration expects on an unmapped page: ours and the cache's. */
static int expected_refs(struct page *page)
{
	return 1 + (PageAnon(page) ? 0 : 1);
}

static void move_state(struct page *new, struct page *old)
{
	umm_migrate_copy(new, old);
	new->mapping = old->mapping;
	new->index = old->index;
	if (PageAnon(old))
		SetPageAnon(new);
	if (PageSwapBacked(old))
		SetPageSwapBacked(new);
	if (PageUptodate(old))
		SetPageUptodate(new);
	if (TestClearPageDirty(old))
		SetPageDirty(new);
	/* The slot, and the swap cache's entry, move with the content. */
	umm_swap_cache_replace(old, new);
}

/* A file page: the page cache now holds @new instead of @old. */
static void replace_in_file(struct page *old, struct page *new)
{
	struct umm_file *file = old->mapping->host;

	spin_lock(&file->lock);
	if (file->pages[old->index] == old)
		file->pages[old->index] = new;
	spin_unlock(&file->lock);
	put_page(old);		/* the cache's reference moved to @new */
}

int umm_migrate_page(struct page *page)
{
	struct umm_unmap u = { .migrate = true };
	bool file = !PageAnon(page);
	struct page *new;
	int ret;

	if (umm_page_is_thp(page))
		return umm_migrate_thp(compound_head(page));
	new = alloc_page(GFP_HIGHUSER_MOVABLE);
	if (!new)
		return -ENOMEM;
	lock_page(page);
	ret = umm_page_unmovable(page);
	if (ret)
		goto out;
	umm_try_to_unmap(page, &u);
	if (page_mapped(page) || page_count(page) != expected_refs(page)) {
		/* Someone else holds it: put the old page back. */
		umm_remove_migration_ptes(page, page);
		ret = -EBUSY;
		goto out;
	}
	lock_page(new);
	move_state(new, page);
	if (file)
		replace_in_file(page, new);	/* our reference is the cache's */
	umm_remove_migration_ptes(page, new);
	unlock_page(new);
	page->mapping = NULL;
	ClearPageAnon(page);
out:
	unlock_page(page);
	if (ret || !file)
		put_page(new);
	return ret;
}

/**
 * umm_migrate_addr - migrate the page mapped at @addr of @mm
 * Context: process context, may sleep.  Returns as umm_migrate_page(),
 * or -EFAULT if nothing movable is mapped there.
 */
int umm_migrate_addr(struct mm_struct *mm, unsigned long addr)
{
	struct page *page = umm_page_at(mm, addr);
	int ret;

	if (!page)
		return -EFAULT;
	ret = umm_migrate_page(page);
	put_page(page);
	return ret;
}
