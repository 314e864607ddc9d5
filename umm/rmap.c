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

/* The first mapping of an anonymous page makes it the VMA's. */
static void page_set_anon(struct page *head, struct vm_area_struct *vma,
			  unsigned long addr)
{
	if (PageAnon(head))
		return;
	SetPageAnon(head);
	SetPageSwapBacked(head);	/* until MADV_FREE */
	head->mapping = (struct address_space *)vma->anon_vma;
	head->index = umm_linear_index(vma, addr);
}

/**
 * umm_page_add_anon_rmap - account a new PTE mapping of an anonymous page
 * @page: the page; a page of a THP is counted in its own _mapcount and
 *	in the THP's _nr_pte_mapped
 * @vma: the VMA that maps it
 * @addr: the address of @page in @vma
 *
 * Context: mm->page_table_lock held.
 */
void umm_page_add_anon_rmap(struct page *page, struct vm_area_struct *vma,
			    unsigned long addr)
{
	struct page *head = compound_head(page);

	lockdep_assert_held(&vma->vm_mm->page_table_lock);
	page_set_anon(head, vma, addr - ((page - head) << PAGE_SHIFT));
	atomic_inc(&page->_mapcount);
	if (PageHead(head))
		atomic_inc(&head[1]._nr_pte_mapped);
}

/**
 * umm_page_add_anon_rmap_pmd - account a PMD mapping of a whole THP
 * @head: the THP's head page
 * @vma: the VMA that maps it
 * @haddr: the 2 MiB aligned address of @head in @vma
 *
 * Context: mm->page_table_lock held.
 */
void umm_page_add_anon_rmap_pmd(struct page *head, struct vm_area_struct *vma,
				unsigned long haddr)
{
	lockdep_assert_held(&vma->vm_mm->page_table_lock);
	page_set_anon(head, vma, haddr);
	atomic_inc(&head[1]._entire_mapcount);
}

/**
 * umm_page_add_file_rmap - account a new mapping of a file page; a
 * compound one (hugetlb) is only ever mapped by a PMD
 * Context: the mapping mm's page_table_lock held.
 */
void umm_page_add_file_rmap(struct page *page)
{
	struct page *head = compound_head(page);

	if (PageHead(head))
		atomic_inc(&head[1]._entire_mapcount);
	else
		atomic_inc(&head->_mapcount);
}

static void mapcount_dec(atomic_t *count, int floor)
{
	if (WARN_ON(atomic_dec_return(count) < floor))
		atomic_set(count, floor);
}

/**
 * umm_page_remove_rmap - a PTE mapping of @page (of a file compound
 * page: its PMD) is gone
 * Context: the mapping mm's page_table_lock held.
 */
void umm_page_remove_rmap(struct page *page)
{
	struct page *head = compound_head(page);

	if (!PageHead(head)) {
		mapcount_dec(&head->_mapcount, -1);
	} else if (!PageAnon(head)) {
		mapcount_dec(&head[1]._entire_mapcount, -1);
	} else {
		mapcount_dec(&page->_mapcount, -1);
		mapcount_dec(&head[1]._nr_pte_mapped, 0);
	}
}

/**
 * umm_page_remove_rmap_pmd - a PMD mapping of the whole compound page
 * @head is gone
 * Context: the mapping mm's page_table_lock held.
 */
void umm_page_remove_rmap_pmd(struct page *head)
{
	mapcount_dec(&head[1]._entire_mapcount, -1);
}

/**
 * umm_page_rmap_pmd_to_ptes - a PMD mapping of the THP @head became 512
 * PTE mappings (a split): each page gains a PTE mapping and a reference
 * Context: mm->page_table_lock held.
 */
void umm_page_rmap_pmd_to_ptes(struct page *head)
{
	unsigned long i;

	atomic_add(HPAGE_PMD_NR - 1, &head->_refcount);
	for (i = 0; i < HPAGE_PMD_NR; i++)
		atomic_inc(&head[i]._mapcount);
	atomic_add(HPAGE_PMD_NR, &head[1]._nr_pte_mapped);
	umm_page_remove_rmap_pmd(head);
}

/*
 * Each VMA on @vmas (an anon_vma's or a file's) where some page of
 * @page (a compound page: any of its pages) may be; the address is that
 * of its first page inside the VMA, as Linux's vma_address().
 */
static void walk_vmas(struct page *page, struct list_head *vmas,
		      umm_rmap_fn fn, void *arg)
{
	pgoff_t first = page->index, last = first + compound_nr(page);
	struct vm_area_struct *vma;

	list_for_each_entry(vma, vmas, vm_shared) {
		pgoff_t end = vma->vm_pgoff +
			      ((vma->vm_end - vma->vm_start) >> PAGE_SHIFT);

		if (last <= vma->vm_pgoff || first >= end)
			continue;
		if (!fn(page, vma, vma->vm_start + ((max(first, vma->vm_pgoff) -
				vma->vm_pgoff) << PAGE_SHIFT), arg))
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
