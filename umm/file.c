// SPDX-License-Identifier: GPL-2.0
/*
 * umm: shared memory objects.  A file is an array of pages indexed by
 * 4 KiB offset (its page cache); a hugetlbfs file allocates 2 MiB
 * compound pages and stores the head at every index of it.  The file
 * holds one reference on each page it caches; each mapping holds one
 * more.
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <umm/file.h>
#include <umm/swap.h>

/**
 * umm_file_create - a new shared memory object of @size bytes
 * Context: process context.  Returns the file or ERR_PTR(-errno).
 */
struct umm_file *umm_file_create(unsigned long size, bool hugetlb)
{
	struct umm_file *file;
	unsigned long align = hugetlb ? PMD_SIZE : PAGE_SIZE;

	if (!size || size & (align - 1))
		return ERR_PTR(-EINVAL);
	file = kzalloc(sizeof(*file), GFP_KERNEL);
	if (!file)
		return ERR_PTR(-ENOMEM);
	file->nr_pages = size >> PAGE_SHIFT;
	file->pages = kcalloc(file->nr_pages, sizeof(*file->pages),
			      GFP_KERNEL);
	file->slots = kcalloc(file->nr_pages, sizeof(*file->slots),
			      GFP_KERNEL);
	if (!file->pages || !file->slots) {
		kfree(file->pages);
		kfree(file->slots);
		kfree(file);
		return ERR_PTR(-ENOMEM);
	}
	file->mapping.host = file;
	file->hugetlb = hugetlb;
	atomic_set(&file->refs, 1);
	spin_lock_init(&file->lock);
	init_rwsem(&file->i_mmap_rwsem);
	INIT_LIST_HEAD(&file->i_mmap);
	return file;
}

void umm_file_get(struct umm_file *file)
{
	atomic_inc(&file->refs);
}

static void file_release_pages(struct umm_file *file)
{
	unsigned long step = file->hugetlb ? HPAGE_PMD_NR : 1;
	unsigned long i;

	for (i = 0; i < file->nr_pages; i += step) {
		struct page *page = file->pages[i];

		if (file->slots[i])
			umm_swap_free(file->slots[i]);
		if (!page)
			continue;
		page->mapping = NULL;
		put_page(page);
	}
}

static void file_free_rcu(struct rcu_head *rcu)
{
	struct umm_file *file = container_of(rcu, struct umm_file, rcu);

	kfree(file->pages);
	kfree(file->slots);
	kfree(file);
}

/**
 * umm_file_put - drop a reference; the last one frees the pages
 *
 * The struct itself is freed after an RCU grace period, because the
 * rmap walk finds a file through page->mapping under rcu_read_lock().
 *
 * Context: process context; no VMA maps the file any more at the last put.
 */
void umm_file_put(struct umm_file *file)
{
	if (!atomic_dec_and_test(&file->refs))
		return;
	WARN_ON(!list_empty(&file->i_mmap));
	file_release_pages(file);
	call_rcu(&file->rcu, file_free_rcu);
}

/* A new page for @index; its content comes from the store if it was
 * swapped out, and the slot goes with it (PageSwapCache). */
static struct page *file_new_page(struct umm_file *file, pgoff_t index)
{
	unsigned int order = file->hugetlb ? HPAGE_PMD_ORDER : 0;
	gfp_t gfp = GFP_HIGHUSER | __GFP_ZERO | (order ? __GFP_COMP : 0);
	struct page *page = alloc_pages(gfp, order);

	if (!page)
		return NULL;
	SetPageSwapBacked(page);
	SetPageUptodate(page);
	page->mapping = &file->mapping;
	page->index = index;
	return page;
}

/* Called with file->lock held when @new is about to cache @index. */
static void file_take_slot(struct umm_file *file, pgoff_t index,
			   struct page *new)
{
	unsigned long slot = file->slots[index];

	if (!slot)
		return;
	file->slots[index] = 0;
	umm_swap_read(slot, new);
	new->private = slot;
	SetPageSwapCache(new);
}

/**
 * umm_file_get_page - the page caching @index of @file, with a reference
 * for the caller; allocated (zeroed) when absent.
 * Context: process context, may sleep.  Returns the page (for hugetlb,
 * the head of the 2 MiB page) or ERR_PTR(-errno).
 */
struct page *umm_file_get_page(struct umm_file *file, pgoff_t index)
{
	unsigned long step = file->hugetlb ? HPAGE_PMD_NR : 1;
	struct page *page, *new = NULL;

	if (index >= READ_ONCE(file->nr_pages))
		return ERR_PTR(-EFAULT);
	index &= ~(step - 1);
	for (;;) {
		spin_lock(&file->lock);
		if (index >= file->nr_pages) {
			/* Truncated meanwhile (umm/truncate.c). */
			spin_unlock(&file->lock);
			page = ERR_PTR(-EFAULT);
			break;
		}
		page = file->pages[index];
		if (!page && new) {
			unsigned long i;

			file_take_slot(file, index, new);
			for (i = 0; i < step; i++)
				file->pages[index + i] = new;
			page = new;
			new = NULL;
		}
		if (page)
			get_page(page);
		spin_unlock(&file->lock);
		if (page)
			break;
		new = file_new_page(file, index);
		if (!new)
			return ERR_PTR(-ENOMEM);
	}
	if (new)
		put_page(new);
	return page;	/* or ERR_PTR(-EFAULT) */
}
