// SPDX-License-Identifier: GPL-2.0
/*
 * umm: taking pages out of a shared memory object: hole punching
 * (fallocate(FALLOC_FL_PUNCH_HOLE), MADV_REMOVE) and truncation.
 *
 * What they announce follows G rule 7 and difference 3.  shmem and memfd
 * unmap the range from every VMA of the file first (unmap_mapping_range():
 * CLEAR over the range clipped to each VMA, even where nothing is mapped),
 * then free the pages; truncation unmaps once more afterwards, for pages
 * a racing fault mapped meanwhile, so it announces CLEAR twice
 * (shmem_setattr()).  A hugetlbfs file is unmapped once, by
 * hugetlb_vmdelete_list(): the event is UNMAP on 6.1
 * (__unmap_hugepage_range()) and CLEAR on 6.12 (unmap_hugepage_range()).
 *
 * Whole pages (huge pages for hugetlbfs) are unmapped and freed, with
 * their swap slots; the parts of partial pages inside the range are
 * zeroed in place, and those pages stay mapped.  A page freed from the
 * file reads back as zeroes; past the end of a truncated file an access
 * faults (SIGSEGV in the lab, SIGBUS in Linux).
 *
 * Simplified: a fault that got a page from the page cache just before it
 * was removed may still map that page after the unmap (Linux rechecks
 * under the page lock); the page then lives on, unreachable from the
 * file, until it is unmapped.  The file has no byte size: a truncation
 * to the middle of a page keeps that page and zeroes its tail.
 */
#include <string.h>
#include <linux/kernel.h>
#include <linux/mmu_notifier.h>
#include <linux/slab.h>
#include <umm/file.h>
#include <umm/ops.h>
#include <umm/phys.h>
#include <umm/swap.h>
#include <umm/vma.h>

static unsigned long file_unit(const struct umm_file *file)
{
	return file->hugetlb ? HPAGE_PMD_NR : 1;
}

/* The part of @vma that maps file pages [first, last], or false. */
static bool vma_part(const struct vm_area_struct *vma, pgoff_t first,
		     pgoff_t last, unsigned long *start, unsigned long *end)
{
	pgoff_t vba = vma->vm_pgoff;
	pgoff_t vea = vba + ((vma->vm_end - vma->vm_start) >> PAGE_SHIFT) - 1;

	if (vea < first || vba > last)
		return false;
	*start = vma->vm_start + ((max(first, vba) - vba) << PAGE_SHIFT);
	*end = vma->vm_start + ((min(last, vea) - vba + 1) << PAGE_SHIFT);
	return true;
}

/*
 * unmap_mapping_range() for shmem, hugetlb_vmdelete_list() for a
 * hugetlbfs file: zap file pages [first, last] from every VMA.
 */
static void unmap_mapping_pages(struct umm_file *file, pgoff_t first,
				pgoff_t last)
{
	enum mmu_notifier_event event = MMU_NOTIFY_CLEAR;
	struct mmu_notifier_range range;
	struct vm_area_struct *vma;
	unsigned long start, end;

	if (file->hugetlb && umm_config()->kernel == UMM_KERNEL_6_1)
		event = MMU_NOTIFY_UNMAP;
	down_read(&file->i_mmap_rwsem);
	list_for_each_entry(vma, &file->i_mmap, vm_shared) {
		if (!vma_part(vma, first, last, &start, &end))
			continue;
		mmu_notifier_range_init(&range, event, 0, vma->vm_mm, start,
					end);
		mmu_notifier_invalidate_range_start(&range);
		umm_zap_mapping_range(vma, start, end);
		mmu_notifier_invalidate_range_end(&range);
	}
	up_read(&file->i_mmap_rwsem);
}

/* Take the page at @index, if cached, out of the file; drop its slot. */
static struct page *file_take_page(struct umm_file *file, pgoff_t index,
				   unsigned long *slot)
{
	struct page *page;

	spin_lock(&file->lock);
	page = file->pages[index];
	if (page)
		get_page(page);
	*slot = file->slots[index];
	file->slots[index] = 0;
	spin_unlock(&file->lock);
	return page;
}

/* truncate_inode_folio(): the page at @index leaves the page cache. */
static void file_remove_page(struct umm_file *file, pgoff_t index)
{
	unsigned long i, slot, unit = file_unit(file);
	struct page *page = file_take_page(file, index, &slot);
	bool cached;

	if (slot)
		umm_swap_free(slot);
	if (!page)
		return;
	lock_page(page);
	/* Mapped again since the range was unmapped: unmap it now. */
	if (page_mapped(page))
		unmap_mapping_pages(file, index, index + unit - 1);
	spin_lock(&file->lock);
	cached = file->pages[index] == page;
	for (i = 0; cached && i < unit; i++)
		file->pages[index + i] = NULL;
	spin_unlock(&file->lock);
	if (cached)
		WRITE_ONCE(page->mapping, NULL);
	unlock_page(page);
	if (cached)
		put_page(page);		/* the page cache's reference */
	put_page(page);
}

/* Remove the whole pages [first, end) of the file. */
static void file_remove_pages(struct umm_file *file, pgoff_t first,
			      pgoff_t end)
{
	pgoff_t index;

	for (index = first; index < end; index += file_unit(file)) {
		file_remove_page(file, index);
		cond_resched();
	}
}

/* Zero bytes [@from, @to) of the file, inside one page (or huge page). */
static void file_zero_partial(struct umm_file *file, unsigned long from,
			      unsigned long to)
{
	unsigned long psize = file_unit(file) << PAGE_SHIFT;
	pgoff_t index = (from / psize) * file_unit(file);
	struct page *page;
	bool present;

	if (from >= to)
		return;
	spin_lock(&file->lock);
	present = index < file->nr_pages &&
		  (file->pages[index] || file->slots[index]);
	spin_unlock(&file->lock);
	if (!present)
		return;		/* a hole reads zeroes already */
	page = umm_file_get_page(file, index);
	if (IS_ERR(page))
		return;
	lock_page(page);
	memset((char *)umm_pfn_host(page_to_pfn(page)) + from % psize, 0,
	       to - from);
	set_page_dirty(page);	/* the store's copy, if any, is stale */
	unlock_page(page);
	put_page(page);
}

/* Zero the partial pages at both ends of bytes [off, end). */
static void file_zero_partials(struct umm_file *file, unsigned long off,
			       unsigned long end)
{
	unsigned long psize = file_unit(file) << PAGE_SHIFT;
	unsigned long head_end = min(ALIGN(off, psize), end);
	unsigned long tail_start = max(end & ~(psize - 1), head_end);

	file_zero_partial(file, off, head_end);
	file_zero_partial(file, tail_start, end);
}

/* Bytes [off, end) of the file: zero partial pages, free whole ones. */
static void file_punch(struct umm_file *file, unsigned long off,
		       unsigned long end)
{
	unsigned long psize = file_unit(file) << PAGE_SHIFT;
	unsigned long hole_start = ALIGN(off, psize);
	unsigned long hole_end = end & ~(psize - 1);

	file_zero_partials(file, off, end);
	if (hole_end <= hole_start)
		return;
	unmap_mapping_pages(file, hole_start >> PAGE_SHIFT,
			    (hole_end >> PAGE_SHIFT) - 1);
	file_remove_pages(file, hole_start >> PAGE_SHIFT,
			  hole_end >> PAGE_SHIFT);
}

/**
 * umm_file_punch_hole - fallocate(FALLOC_FL_PUNCH_HOLE | KEEP_SIZE)
 * @file: a shared memory object
 * @off: first byte of the hole
 * @len: its length; clipped to the file's size
 *
 * Whole pages in the hole are unmapped from every VMA (CLEAR over each
 * VMA's part; UNMAP for hugetlbfs on 6.1) and freed; the hole's part of
 * a partial page is zeroed.  The file keeps its size.
 *
 * Context: process context, may sleep; mmap_lock not held.  Returns 0 or
 * -EINVAL (@len zero or the range overflows).
 */
int umm_file_punch_hole(struct umm_file *file, unsigned long off,
			unsigned long len)
{
	unsigned long size = READ_ONCE(file->nr_pages) << PAGE_SHIFT;

	if (!len || off + len < off)
		return -EINVAL;
	if (off >= size)
		return 0;
	file_punch(file, off, min(off + len, size));
	return 0;
}

/* Make room for @nr pages in the file's arrays; the new ones are empty. */
static int file_grow(struct umm_file *file, unsigned long nr)
{
	struct page **pages = kcalloc(nr, sizeof(*pages), GFP_KERNEL);
	unsigned long *slots = kcalloc(nr, sizeof(*slots), GFP_KERNEL);
	struct page **old_pages;
	unsigned long *old_slots;

	if (!pages || !slots) {
		kfree(pages);
		kfree(slots);
		return -ENOMEM;
	}
	spin_lock(&file->lock);
	old_pages = file->pages;
	old_slots = file->slots;
	memcpy(pages, old_pages, file->nr_pages * sizeof(*pages));
	memcpy(slots, old_slots, file->nr_pages * sizeof(*slots));
	file->pages = pages;
	file->slots = slots;
	WRITE_ONCE(file->nr_pages, nr);
	spin_unlock(&file->lock);
	kfree(old_pages);
	kfree(old_slots);
	return 0;
}

/* shmem_setattr(), hugetlb_vmtruncate(): cut the file to @size bytes. */
static void file_shrink(struct umm_file *file, unsigned long size)
{
	unsigned long old = file->nr_pages;
	pgoff_t first = PAGE_ALIGN(size) >> PAGE_SHIFT;

	spin_lock(&file->lock);
	WRITE_ONCE(file->nr_pages, first);
	spin_unlock(&file->lock);
	if (first < old)
		unmap_mapping_pages(file, first, ULONG_MAX);
	file_zero_partial(file, size, PAGE_ALIGN(size));
	file_remove_pages(file, first, old);
	/* Again, for what racing faults mapped (hugetlbfs: no need). */
	if (first < old && !file->hugetlb)
		unmap_mapping_pages(file, first, ULONG_MAX);
}

/**
 * umm_file_truncate - ftruncate(2) of a shared memory object
 * @file: the file
 * @size: its new size in bytes; a hugetlbfs file's must be a multiple
 *	of 2 MiB
 *
 * Shrinking unmaps the cut part from every VMA (CLEAR over each VMA's
 * part, twice; hugetlbfs: once, UNMAP on 6.1), frees its pages and
 * zeroes the tail of a partial last page.  Growing adds holes.
 *
 * Context: process context, may sleep; mmap_lock not held; not called
 * concurrently with itself on the same file (the inode lock in Linux).
 * Returns 0, -EINVAL or -ENOMEM.
 */
int umm_file_truncate(struct umm_file *file, unsigned long size)
{
	unsigned long nr = PAGE_ALIGN(size) >> PAGE_SHIFT;

	if (file->hugetlb && (size & ~PMD_MASK))
		return -EINVAL;
	if (PAGE_ALIGN(size) < size)
		return -EINVAL;
	if (nr > file->nr_pages)
		return file_grow(file, nr);
	file_shrink(file, size);
	return 0;
}

/* madvise_remove(): punch the file behind one VMA's part of the range. */
static int remove_vma(struct mm_struct *mm, unsigned long *addr,
		      unsigned long end, int *hole)
{
	struct vm_area_struct *vma = find_vma(mm, *addr);
	struct umm_file *file;
	unsigned long off, len;

	if (!vma || vma->vm_start >= end) {
		*addr = end;
		return -ENOMEM;
	}
	if (vma->vm_start > *addr)
		*hole = -ENOMEM;
	if (vma->vm_flags & VM_LOCKED)
		return -EINVAL;
	file = vma->vm_file;
	if (!file || (vma->vm_flags & VM_PFNMAP))
		return -EINVAL;
	if ((vma->vm_flags & (VM_SHARED | VM_WRITE)) !=
	    (VM_SHARED | VM_WRITE))
		return -EACCES;
	*addr = max(*addr, vma->vm_start);
	off = (*addr - vma->vm_start) + (vma->vm_pgoff << PAGE_SHIFT);
	len = min(end, vma->vm_end) - *addr;
	*addr = vma->vm_end;
	umm_file_get(file);
	mmap_read_unlock(mm);
	umm_file_punch_hole(file, off, len);
	umm_file_put(file);
	mmap_read_lock(mm);
	return 0;
}

/**
 * umm_madvise_remove - MADV_REMOVE of [@start, @end): punch a hole in the
 * files behind shared writable mappings
 * Context: process context, takes mmap_lock for read and drops it around
 * each punch, as Linux does.  Returns 0, -EINVAL (not a file mapping, or
 * locked), -EACCES (not shared and writable) or -ENOMEM (a hole).
 */
int umm_madvise_remove(struct mm_struct *mm, unsigned long start,
		       unsigned long end)
{
	unsigned long addr = start;
	int ret = 0, hole = 0;

	mmap_read_lock(mm);
	while (!ret && addr < end)
		ret = remove_vma(mm, &addr, end, &hole);
	mmap_read_unlock(mm);
	return ret ? ret : hole;
}
