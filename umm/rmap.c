// SPDX-License-Identifier: GPL-2.0
/* umm: anon_vma lifetime and the map counts of pages (see umm/rmap.h). */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <umm/rmap.h>

/**
 * umm_anon_vma_prepare - give @vma an anon_vma before its first
 * anonymous page
 * Context: mmap_lock held (read is enough: page_table_lock serialises
 * concurrent faults).  Returns 0 or -ENOMEM.
 */
int umm_anon_vma_prepare(struct vm_area_struct *vma)
{
	struct mm_struct *mm = vma->vm_mm;
	struct anon_vma *av;

	mmap_assert_locked(mm);
	if (READ_ONCE(vma->anon_vma))
		return 0;
	av = kzalloc(sizeof(*av), GFP_KERNEL);
	if (!av)
		return -ENOMEM;
	atomic_set(&av->refs, 1);
	init_rwsem(&av->rwsem);
	INIT_LIST_HEAD(&av->vmas);

	spin_lock(&mm->page_table_lock);
	if (!vma->anon_vma) {
		list_add(&vma->vm_shared, &av->vmas);
		WRITE_ONCE(vma->anon_vma, av);
		av = NULL;
	}
	spin_unlock(&mm->page_table_lock);
	kfree(av);
	return 0;
}

static void anon_vma_free_rcu(struct rcu_head *rcu)
{
	kfree(container_of(rcu, struct anon_vma, rcu));
}

/* Freed after a grace period: umm_rmap_walk() finds it under RCU. */
void umm_anon_vma_put(struct anon_vma *av)
{
	if (atomic_dec_and_test(&av->refs))
		call_rcu(&av->rcu, anon_vma_free_rcu);
}

/**
 * umm_anon_vma_unlink - drop @vma's reference to its anon_vma
 * Context: mmap_lock held for write; the VMA maps nothing any more.
 */
void umm_anon_vma_unlink(struct vm_area_struct *vma)
{
	struct anon_vma *av = vma->anon_vma;

	if (!av)
		return;
	down_write(&av->rwsem);
	list_del(&vma->vm_shared);
	up_write(&av->rwsem);
	vma->anon_vma = NULL;
	umm_anon_vma_put(av);
}

/**
 * umm_page_add_anon_rmap - account a new mapping of an anonymous page
 * Context: mm->page_table_lock held.
 */
void umm_page_add_anon_rmap(struct page *page, struct vm_area_struct *vma,
			    unsigned long addr)
{
	lockdep_assert_held(&vma->vm_mm->page_table_lock);
	if (!PageAnon(page)) {
		SetPageAnon(page);
		SetPageSwapBacked(page);	/* until MADV_FREE */
		page->mapping = (struct address_space *)vma->anon_vma;
		page->index = umm_linear_index(vma, addr);
	}
	atomic_inc(&page->_mapcount);
}

void umm_page_add_file_rmap(struct page *page)
{
	atomic_inc(&compound_head(page)->_mapcount);
}

void umm_page_remove_rmap(struct page *page)
{
	page = compound_head(page);
	if (WARN_ON(atomic_dec_return(&page->_mapcount) < -1))
		atomic_set(&page->_mapcount, -1);
}

/* Each VMA on @vmas (an anon_vma's or a file's) where @page may be. */
static void walk_vmas(struct page *page, struct list_head *vmas,
		      umm_rmap_fn fn, void *arg)
{
	struct vm_area_struct *vma;

	list_for_each_entry(vma, vmas, vm_shared) {
		unsigned long addr = vma->vm_start +
			((page->index - vma->vm_pgoff) << PAGE_SHIFT);

		if (page->index < vma->vm_pgoff || addr >= vma->vm_end)
			continue;
		if (!fn(page, vma, addr, arg))
			break;
	}
}

void umm_rmap_walk(struct page *page, umm_rmap_fn fn, void *arg)
{
	struct address_space *mapping;
	struct anon_vma *av = NULL;
	struct umm_file *file = NULL;

	/* Pin the anon_vma or file against a concurrent last unmap. */
	rcu_read_lock();
	mapping = READ_ONCE(page->mapping);
	if (mapping && PageAnon(page)) {
		av = (struct anon_vma *)mapping;
		if (!atomic_inc_not_zero(&av->refs))
			av = NULL;
	} else if (mapping) {
		file = mapping->host;
		if (!atomic_inc_not_zero(&file->refs))
			file = NULL;
	}
	rcu_read_unlock();

	if (av) {
		down_read(&av->rwsem);
		walk_vmas(page, &av->vmas, fn, arg);
		up_read(&av->rwsem);
		umm_anon_vma_put(av);
	} else if (file) {
		down_read(&file->i_mmap_rwsem);
		walk_vmas(page, &file->i_mmap, fn, arg);
		up_read(&file->i_mmap_rwsem);
		umm_file_put(file);
	}
}
