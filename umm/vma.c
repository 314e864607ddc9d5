// SPDX-License-Identifier: GPL-2.0
/*
 * umm: VMAs and the system calls that make and remove them: mmap and
 * munmap.  VMAs are a sorted list under mmap_lock.
 *
 * munmap and mmap(MAP_FIXED) over a mapping announce one UNMAP over the
 * whole requested range, across VMAs and gaps, even where nothing is
 * mapped, provided some VMA overlaps it (G rule 8).
 */
#include <linux/kernel.h>
#include <linux/mmu_notifier.h>
#include <linux/slab.h>
#include <umm/file.h>
#include <umm/rmap.h>
#include <umm/thp.h>
#include <umm/vma.h>

#define MMAP_BASE	0x10000000UL

/**
 * find_vma - the first VMA that ends above @addr, or NULL
 * Context: mmap_lock held.
 */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma;

	mmap_assert_locked(mm);
	for_each_vma_in(mm, vma)
		if (vma->vm_end > addr)
			return vma;
	return NULL;
}

/**
 * vma_lookup - the VMA that contains @addr, or NULL
 * Context: mmap_lock held.
 */
struct vm_area_struct *vma_lookup(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	return vma && vma->vm_start <= addr ? vma : NULL;
}

static void vma_insert(struct mm_struct *mm, struct vm_area_struct *new)
{
	struct vm_area_struct *vma;

	for_each_vma_in(mm, vma) {
		if (vma->vm_start > new->vm_start) {
			list_add_tail(&new->vm_list, &vma->vm_list);
			return;
		}
	}
	list_add_tail(&new->vm_list, &mm->vmas);
}

static void vma_link_file(struct vm_area_struct *vma)
{
	struct umm_file *file = vma->vm_file;

	if (!file)
		return;
	umm_file_get(file);
	down_write(&file->i_mmap_rwsem);
	list_add(&vma->vm_shared, &file->i_mmap);
	up_write(&file->i_mmap_rwsem);
}

static void vma_free(struct vm_area_struct *vma)
{
	struct umm_file *file = vma->vm_file;

	if (file) {
		down_write(&file->i_mmap_rwsem);
		list_del(&vma->vm_shared);
		up_write(&file->i_mmap_rwsem);
		umm_file_put(file);
	}
	umm_anon_vma_unlink(vma);
	kfree(vma);
}

/* A new VMA shares its original's anon_vma (anon_vma_clone). */
static void vma_link_anon(struct vm_area_struct *vma)
{
	if (!vma->anon_vma)
		return;
	atomic_inc(&vma->anon_vma->refs);
	down_write(&vma->anon_vma->rwsem);
	list_add(&vma->vm_shared, &vma->anon_vma->vmas);
	up_write(&vma->anon_vma->rwsem);
}

/**
 * umm_vma_split - split @vma at @addr; returns the upper part
 * Context: mmap_lock held for write.
 */
struct vm_area_struct *umm_vma_split(struct vm_area_struct *vma,
				     unsigned long addr)
{
	struct vm_area_struct *new = kmalloc(sizeof(*new), GFP_KERNEL);

	mmap_assert_write_locked(vma->vm_mm);
	if (!new)
		return NULL;
	/* A THP's PMD across @addr: split (vma_adjust_trans_huge()) */
	umm_split_huge_pmd_edges(vma, addr, addr);
	*new = *vma;
	new->vm_start = addr;
	new->vm_pgoff += (addr - vma->vm_start) >> PAGE_SHIFT;
	if (new->vm_flags & VM_PFNMAP)
		new->vm_pfn += (addr - vma->vm_start) >> PAGE_SHIFT;
	vma->vm_end = addr;
	list_add(&new->vm_list, &vma->vm_list);
	vma_link_file(new);
	vma_link_anon(new);
	return new;
}

/**
 * umm_copy_vma - a new VMA at [@new_addr, @new_addr + @new_len) for what
 * @vma maps from @addr on, as copy_vma() makes for mremap
 * @vma: the VMA being moved
 * @addr: the first address of @vma that moves
 * @new_addr: where it goes; nothing is mapped there
 * @new_len: the new length
 *
 * The copy keeps the file offset, or for anonymous memory the linear
 * index, of @addr (vm_pgoff), and shares @vma's anon_vma: the pages
 * moved to it keep their index and are found by the reverse map there.
 *
 * Context: mmap_lock held for write.  Returns the VMA or NULL.
 */
struct vm_area_struct *umm_copy_vma(struct vm_area_struct *vma,
				    unsigned long addr, unsigned long new_addr,
				    unsigned long new_len)
{
	struct vm_area_struct *new = kmalloc(sizeof(*new), GFP_KERNEL);
	unsigned long delta = (addr - vma->vm_start) >> PAGE_SHIFT;

	mmap_assert_write_locked(vma->vm_mm);
	if (!new)
		return NULL;
	*new = *vma;
	new->vm_start = new_addr;
	new->vm_end = new_addr + new_len;
	new->vm_pgoff += delta;
	if (new->vm_flags & VM_PFNMAP)
		new->vm_pfn += delta;
	INIT_LIST_HEAD(&new->vm_shared);
	vma_insert(vma->vm_mm, new);
	vma_link_file(new);
	vma_link_anon(new);
	return new;
}

/**
 * umm_vma_clip - the VMA holding @addr, split so that it starts at @addr
 * and ends at @end at the latest; NULL if a split failed (-ENOMEM)
 * Context: mmap_lock held for write; a VMA holds @addr.
 */
struct vm_area_struct *umm_vma_clip(struct mm_struct *mm, unsigned long addr,
				    unsigned long end)
{
	struct vm_area_struct *vma = vma_lookup(mm, addr);

	if (vma->vm_start < addr && !umm_vma_split(vma, addr))
		return NULL;
	vma = vma_lookup(mm, addr);
	if (vma->vm_end > end && !umm_vma_split(vma, end))
		return NULL;
	return vma;
}

/* Can @b, right after @a, become part of it (is_mergeable_vma())? */
static bool vma_mergeable(const struct vm_area_struct *a,
			  const struct vm_area_struct *b)
{
	unsigned long pages = (a->vm_end - a->vm_start) >> PAGE_SHIFT;

	return a->vm_end == b->vm_start && a->vm_flags == b->vm_flags &&
	       a->vm_file == b->vm_file && a->anon_vma == b->anon_vma &&
	       b->vm_pgoff == a->vm_pgoff + pages &&
	       (!(a->vm_flags & VM_PFNMAP) || b->vm_pfn == a->vm_pfn + pages);
}

/* @next joins @vma, which grows over it. */
static void vma_absorb(struct vm_area_struct *vma,
		       struct vm_area_struct *next)
{
	vma->vm_end = next->vm_end;
	list_del(&next->vm_list);
	vma_free(next);
}

/**
 * umm_vma_merge - merge @vma with its neighbours where nothing tells them
 * apart any more (vma_merge() after mprotect, madvise or mlock changed
 * its flags); returns the VMA that now holds @vma's range
 * Context: mmap_lock held for write.
 */
struct vm_area_struct *umm_vma_merge(struct vm_area_struct *vma)
{
	struct mm_struct *mm = vma->vm_mm;
	struct vm_area_struct *other;

	mmap_assert_write_locked(mm);
	if (!list_is_last(&vma->vm_list, &mm->vmas)) {
		other = list_next_entry(vma, vm_list);
		if (vma_mergeable(vma, other))
			vma_absorb(vma, other);
	}
	if (vma->vm_list.prev != &mm->vmas) {
		other = list_prev_entry(vma, vm_list);
		if (vma_mergeable(other, vma)) {
			vma_absorb(other, vma);
			vma = other;
		}
	}
	return vma;
}

/* Split VMAs so that none straddles @start or @end. */
static int split_at(struct mm_struct *mm, unsigned long start,
		    unsigned long end)
{
	struct vm_area_struct *vma;
	unsigned long cut[2] = { start, end };
	int i;

	for (i = 0; i < 2; i++) {
		vma = vma_lookup(mm, cut[i]);
		if (vma && vma->vm_start < cut[i] &&
		    !umm_vma_split(vma, cut[i]))
			return -ENOMEM;
	}
	return 0;
}

static bool range_has_vma(struct mm_struct *mm, unsigned long start,
			  unsigned long end)
{
	struct vm_area_struct *vma = find_vma(mm, start);

	return vma && vma->vm_start < end;
}

/*
 * Free the PTE tables of the 2 MiB blocks that [start, end) overlaps and
 * no VMA touches any more (free_pgtables() between the neighbours): a
 * hugetlb VMA mapped there later must find its PMD entries empty.
 */
static void free_unused_tables(struct mm_struct *mm, unsigned long start,
			       unsigned long end)
{
	unsigned long addr;

	spin_lock(&mm->page_table_lock);
	for (addr = start & PMD_MASK; addr < end; addr += PMD_SIZE) {
		pmd_t *pmdp = umm_pmd_lookup(mm, addr);

		if (pmdp && !range_has_vma(mm, addr, addr + PMD_SIZE))
			umm_free_pte_table(mm, pmdp);
	}
	spin_unlock(&mm->page_table_lock);
}

/**
 * umm_do_munmap - unmap [@start, @start + @len)
 * Context: mmap_lock held for write.  Returns 0 or -errno.
 */
int umm_do_munmap(struct mm_struct *mm, unsigned long start,
		  unsigned long len)
{
	struct mmu_notifier_range range;
	struct vm_area_struct *vma, *next;
	unsigned long end = start + len;
	int ret;

	mmap_assert_write_locked(mm);
	if (!range_has_vma(mm, start, end))
		return 0;
	ret = split_at(mm, start, end);
	if (ret)
		return ret;
	mmu_notifier_range_init(&range, MMU_NOTIFY_UNMAP, 0, mm, start, end);
	mmu_notifier_invalidate_range_start(&range);
	list_for_each_entry_safe(vma, next, &mm->vmas, vm_list) {
		if (vma->vm_end <= start || vma->vm_start >= end)
			continue;
		umm_zap_range(vma, vma->vm_start, vma->vm_end);
		list_del(&vma->vm_list);
		vma_free(vma);
	}
	free_unused_tables(mm, start, end);
	mmu_notifier_invalidate_range_end(&range);
	return 0;
}

/**
 * umm_unmap_all_vmas - zap and free every VMA (exit)
 * Context: mmap_lock held for write, inside the exit UNMAP range.
 */
void umm_unmap_all_vmas(struct mm_struct *mm)
{
	struct vm_area_struct *vma, *next;

	list_for_each_entry_safe(vma, next, &mm->vmas, vm_list) {
		umm_zap_range(vma, vma->vm_start, vma->vm_end);
		list_del(&vma->vm_list);
		vma_free(vma);
	}
}

int umm_munmap(struct mm_struct *mm, unsigned long addr, unsigned long len)
{
	int ret;

	if (addr & ~PAGE_MASK || !len || addr + len > mm->task_size)
		return -EINVAL;
	mmap_write_lock(mm);
	ret = umm_do_munmap(mm, addr, PAGE_ALIGN(len));
	mmap_write_unlock(mm);
	return ret;
}

/*
 * Lowest free range of @len above MMAP_BASE; 2 MiB aligned when the
 * length is a multiple of 2 MiB, as 6.12 places anonymous mappings.
 */
static unsigned long unmapped_area(struct mm_struct *mm, unsigned long len)
{
	unsigned long align = (len & (PMD_SIZE - 1)) ? PAGE_SIZE : PMD_SIZE;
	unsigned long addr = MMAP_BASE;
	struct vm_area_struct *vma;

	for_each_vma_in(mm, vma) {
		if (vma->vm_end <= addr)
			continue;
		if (vma->vm_start >= addr + len)
			break;
		addr = ALIGN(vma->vm_end, align);
	}
	return addr + len <= mm->task_size ? addr : 0;
}

/**
 * umm_get_unmapped_area - the lowest free range of @len bytes
 * Context: mmap_lock held.  Returns its address, or 0 if none.
 */
unsigned long umm_get_unmapped_area(struct mm_struct *mm, unsigned long len)
{
	mmap_assert_locked(mm);
	return unmapped_area(mm, len);
}

static unsigned long prot_to_vm_flags(int prot)
{
	return (prot & PROT_READ ? VM_READ | VM_MAYREAD : 0) |
	       (prot & PROT_WRITE ? VM_WRITE | VM_MAYWRITE : 0) |
	       (prot & PROT_EXEC ? VM_EXEC : 0);
}

static int mmap_check(struct mm_struct *mm, unsigned long addr,
		      unsigned long len, int flags, struct umm_file *file,
		      unsigned long off)
{
	unsigned long align = (flags & MAP_HUGETLB) ||
			      (file && file->hugetlb) ? PMD_SIZE : PAGE_SIZE;

	if (!len || len & (align - 1) || off & (align - 1))
		return -EINVAL;
	if ((flags & MAP_FIXED) && (addr & (align - 1) ||
				    addr + len > mm->task_size))
		return -EINVAL;
	if (!(flags & (MAP_SHARED | MAP_PRIVATE)))
		return -EINVAL;
	if (file && (off >> PAGE_SHIFT) + (len >> PAGE_SHIFT) > file->nr_pages)
		return -EINVAL;
	/* Private file and private hugetlb mappings: not modelled. */
	if ((file || (flags & MAP_HUGETLB)) && !(flags & MAP_SHARED))
		return -EINVAL;
	return 0;
}

static struct vm_area_struct *vma_new(struct mm_struct *mm,
				      unsigned long addr, unsigned long len,
				      unsigned long vm_flags,
				      struct umm_file *file, unsigned long off)
{
	struct vm_area_struct *vma = kzalloc(sizeof(*vma), GFP_KERNEL);

	if (!vma)
		return NULL;
	vma->vm_mm = mm;
	vma->vm_start = addr;
	vma->vm_end = addr + len;
	vma->vm_flags = vm_flags;
	vma->vm_file = file;
	vma->vm_pgoff = file ? off >> PAGE_SHIFT : addr >> PAGE_SHIFT;
	INIT_LIST_HEAD(&vma->vm_shared);
	return vma;
}

static long mmap_locked(struct mm_struct *mm, unsigned long addr,
			unsigned long len, unsigned long vm_flags,
			int flags, struct umm_file *file, unsigned long off)
{
	struct vm_area_struct *vma;
	int ret;

	if (flags & MAP_FIXED) {
		ret = umm_do_munmap(mm, addr, len);
		if (ret)
			return ret;
	} else {
		addr = unmapped_area(mm, len);
		if (!addr)
			return -ENOMEM;
	}
	vma = vma_new(mm, addr, len, vm_flags, file, off);
	if (!vma)
		return -ENOMEM;
	vma_insert(mm, vma);
	vma_link_file(vma);
	return addr;
}

/**
 * umm_mmap - map @len bytes: anonymous private, anonymous shared (shmem),
 * or a shared mapping of @file at byte offset @off
 * @flags: MAP_PRIVATE or MAP_SHARED, with MAP_ANONYMOUS, MAP_FIXED,
 *	MAP_HUGETLB as in mmap(2)
 *
 * Context: process context, takes mmap_lock for write.  Returns the user
 * address or a negative errno.
 */
long umm_mmap(struct mm_struct *mm, unsigned long addr, unsigned long len,
	      int prot, int flags, struct umm_file *file, unsigned long off)
{
	unsigned long vm_flags = prot_to_vm_flags(prot);
	struct umm_file *own = NULL;
	long ret;

	ret = mmap_check(mm, addr, len, flags, file, off);
	if (ret)
		return ret;
	if ((flags & MAP_SHARED) && !file) {
		own = umm_file_create(len, flags & MAP_HUGETLB);
		if (IS_ERR(own))
			return PTR_ERR(own);
		file = own;
	}
	if (flags & MAP_SHARED)
		vm_flags |= VM_SHARED | VM_MAYSHARE;
	if (file && file->hugetlb)
		vm_flags |= VM_HUGETLB;

	mmap_write_lock(mm);
	ret = mmap_locked(mm, addr, len, vm_flags, flags, file, off);
	mmap_write_unlock(mm);
	if (own)
		umm_file_put(own);	/* the VMA holds its own reference */
	return ret;
}

static void populate_pfnmap(struct vm_area_struct *vma)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long prot = _PAGE_USER | _PAGE_SPECIAL | _PAGE_ACCESSED |
			     _PAGE_DIRTY;
	unsigned long addr;

	if (vma->vm_flags & VM_WRITE)
		prot |= _PAGE_RW;
	spin_lock(&mm->page_table_lock);
	for (addr = vma->vm_start; addr < vma->vm_end; addr += PAGE_SIZE) {
		unsigned long pfn = vma->vm_pfn +
				    ((addr - vma->vm_start) >> PAGE_SHIFT);

		umm_set_pte(mm, addr, umm_pte_alloc(mm, addr),
			    pfn_pte(pfn, prot));
	}
	spin_unlock(&mm->page_table_lock);
}

/**
 * umm_mmap_pfn - map @len bytes of pfns from @pfn, populated at once
 *
 * What a driver's mmap does with remap_pfn_range(): a VM_PFNMAP | VM_IO
 * mapping of special PTEs, which gup refuses.
 *
 * Context: process context.  Returns the user address or -errno.
 */
long umm_mmap_pfn(struct mm_struct *mm, unsigned long len, unsigned long pfn,
		  int prot)
{
	unsigned long vm_flags = prot_to_vm_flags(prot) | VM_SHARED |
				 VM_PFNMAP | VM_IO | VM_DONTEXPAND;
	struct vm_area_struct *vma;
	long addr;

	if (!len || len & ~PAGE_MASK)
		return -EINVAL;
	mmap_write_lock(mm);
	addr = mmap_locked(mm, 0, len, vm_flags, MAP_SHARED, NULL, 0);
	if (addr > 0) {
		vma = vma_lookup(mm, addr);
		vma->vm_pfn = pfn;
		populate_pfnmap(vma);
	}
	mmap_write_unlock(mm);
	return addr;
}
