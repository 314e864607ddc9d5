/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umm: what user space does to an address space (mmap, munmap, madvise,
 * mprotect, faults through its own loads and stores), for tests, torture
 * and benchmarks.  The constants are the C library's PROT_*, MAP_* and
 * MADV_* values.  Each operation takes the locks and delivers the MMU
 * notifier callbacks that Linux does (Documentation/umm.md).
 */
#ifndef _UMM_MM_H
#define _UMM_MM_H

#include <sys/mman.h>
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/rcupdate.h>

/* The C library may predate it (Linux 6.1). */
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE	25
#endif

/* User addresses of every lab mm are [0, UMM_TASK_SIZE). */
#define UMM_TASK_SIZE	(1UL << 34)

/* A shared memory object: shmem, memfd, or a hugetlbfs file. */
struct address_space {
	struct umm_file *host;
};

struct umm_file {
	struct address_space mapping;
	struct rcu_head rcu;
	atomic_t refs;
	bool hugetlb;			/* 2 MiB pages only */
	/* size in 4 KiB pages: written under lock, read locklessly too */
	unsigned long nr_pages;
	spinlock_t lock;		/* protects pages[] */
	struct page **pages;		/* page cache by index; lock */
	unsigned long *slots;		/* swapped-out indices; lock */
	struct rw_semaphore i_mmap_rwsem;
	struct list_head i_mmap;	/* VMAs mapping it; i_mmap_rwsem */
};

struct anon_vma {
	struct rcu_head rcu;
	atomic_t refs;
	struct rw_semaphore rwsem;
	struct list_head vmas;		/* VMAs using it; rwsem */
};

struct mm_struct *umm_mm_create(void);
struct umm_file *umm_file_create(unsigned long size, bool hugetlb);
void umm_file_put(struct umm_file *file);

/* The system calls.  Negative errno on failure, as the kernel returns. */
long umm_mmap(struct mm_struct *mm, unsigned long addr, unsigned long len,
	      int prot, int flags, struct umm_file *file, unsigned long off);
int umm_munmap(struct mm_struct *mm, unsigned long addr, unsigned long len);
int umm_madvise(struct mm_struct *mm, unsigned long addr, unsigned long len,
		int advice);
int umm_mprotect(struct mm_struct *mm, unsigned long addr, unsigned long len,
		 int prot);
/* fork(2): the child's address space, sharing private pages COW. */
struct mm_struct *umm_fork(struct mm_struct *mm);

/*
 * mremap(2) with MREMAP_MAYMOVE and MREMAP_FIXED: the new address or a
 * negative errno (umm/mremap.c).
 */
long umm_mremap(struct mm_struct *mm, unsigned long addr,
		unsigned long old_len, unsigned long new_len,
		unsigned long flags, unsigned long new_addr);
/* mlock(2) and munlock(2) (umm/populate.c). */
int umm_mlock(struct mm_struct *mm, unsigned long addr, unsigned long len);
int umm_munlock(struct mm_struct *mm, unsigned long addr, unsigned long len);
/*
 * The OOM reaper (process_mrelease(2)) on @mm, whose process was killed:
 * 0, or -EAGAIN if a notifier refused a VMA (umm/oom.c).
 */
int umm_oom_reap(struct mm_struct *mm);
/*
 * fallocate(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE) and ftruncate(2)
 * of a shared memory object, byte offsets (umm/truncate.c).
 */
int umm_file_punch_hole(struct umm_file *file, unsigned long off,
			unsigned long len);
int umm_file_truncate(struct umm_file *file, unsigned long size);

/* Map device pfns into a VM_PFNMAP VMA (a driver's remap_pfn_range). */
long umm_mmap_pfn(struct mm_struct *mm, unsigned long len,
		  unsigned long pfn, int prot);

/*
 * The host address at which user address @addr of @mm can be loaded and
 * stored by a lab user thread, as the user process would: a fault there
 * is handled by the lab's fault handler (or kills the program, as a
 * SIGSEGV would).
 */
void *umm_user_ptr(struct mm_struct *mm, unsigned long addr);

/*
 * A user thread's copies through umm_user_ptr() pointers that the cache
 * model sees with the user address (umm/cache.h); plain loads and stores
 * are seen only in the checking flavour, through READ_ONCE/WRITE_ONCE.
 */
void umm_user_read(void *buf, const void *uptr, size_t n);
void umm_user_write(void *uptr, const void *buf, size_t n);

/*
 * For the functions of lab user threads that load and store user memory
 * through umm_user_ptr(): ThreadSanitizer does not check them, as KCSAN
 * does not check user memory.  What orders them against the kernel side
 * is the host kernel's mapping changes and the protocol the test drives.
 */
#define __umm_user_code	__attribute__((no_sanitize("thread")))

/* Make @mm the calling thread's address space, as kthread_use_mm(). */
void umm_use_mm(struct mm_struct *mm);
void umm_unuse_mm(struct mm_struct *mm);

/* ---- lab internals shared by the mm files ---- */

/* The lab's fault handler; 0 or a negative errno (-EFAULT: SIGSEGV). */
int umm_handle_fault(struct mm_struct *mm, unsigned long addr, bool write);
int umm_handle_fault_locked(struct vm_area_struct *vma, unsigned long addr,
			    bool write);

pmd_t *umm_pmd_lookup(struct mm_struct *mm, unsigned long addr);
pmd_t *umm_pmd_alloc(struct mm_struct *mm, unsigned long addr);
pte_t *umm_pte_lookup(struct mm_struct *mm, unsigned long addr);
pte_t *umm_pte_alloc(struct mm_struct *mm, unsigned long addr);
bool umm_pmd_populated(struct mm_struct *mm, unsigned long addr);
bool umm_pud_populated(struct mm_struct *mm, unsigned long addr);
void umm_free_pgtables(struct mm_struct *mm);
void umm_free_pte_table(struct mm_struct *mm, pmd_t *pmdp);
pte_t *umm_pte_table_alloc(void);
void umm_pmd_populate(struct mm_struct *mm, pmd_t *pmdp, pte_t *table);
pgd_t *umm_pgd_alloc(void);
void umm_pgd_free(pgd_t *pgd);

void umm_set_pte(struct mm_struct *mm, unsigned long addr, pte_t *ptep,
		 pte_t pte);
pte_t umm_clear_pte(struct mm_struct *mm, unsigned long addr, pte_t *ptep);
void umm_set_pmd(struct mm_struct *mm, unsigned long addr, pmd_t *pmdp,
		 pmd_t pmd);
void umm_zap_range(struct vm_area_struct *vma, unsigned long start,
		   unsigned long end);
void umm_zap_mapping_range(struct vm_area_struct *vma, unsigned long start,
			   unsigned long end);

int umm_mirror_create(struct mm_struct *mm);
void umm_mirror_destroy(struct mm_struct *mm);
void umm_mirror_map(struct mm_struct *mm, unsigned long addr,
		    unsigned long pfn, unsigned long nr, bool writable);
void umm_mirror_unmap(struct mm_struct *mm, unsigned long addr,
		      unsigned long len);
unsigned long umm_mirror_map_calls(void);

#endif /* _UMM_MM_H */
