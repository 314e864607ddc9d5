// SPDX-License-Identifier: GPL-2.0
/*
 * umm: address-space lifetime.  mm_users counts users of the address
 * space (the last mmput() tears it down as exit_mmap() does); mm_count
 * counts references to the struct (the last mmdrop() frees it).
 */
#include <pthread.h>
#include <stdlib.h>
#include <linux/kernel.h>
#include <linux/mmu_notifier.h>
#include <linux/slab.h>
#include <umm/mm.h>
#include <umm/vma.h>

static LIST_HEAD(all_mms);		/* all_mms_lock */
static pthread_mutex_t all_mms_lock = PTHREAD_MUTEX_INITIALIZER;
__thread unsigned long umm_uaccess_base;

/**
 * umm_mm_create - a new, empty user address space
 * Context: process context.  Returns the mm with mm_users and mm_count
 * at one, or NULL.
 */
struct mm_struct *umm_mm_create(void)
{
	struct mm_struct *mm = kzalloc(sizeof(*mm), GFP_KERNEL);

	if (!mm)
		return NULL;
	init_rwsem(&mm->mmap_lock);
	spin_lock_init(&mm->page_table_lock);
	INIT_LIST_HEAD(&mm->vmas);
	atomic_set(&mm->mm_users, 1);
	atomic_set(&mm->mm_count, 1);
	mm->task_size = UMM_TASK_SIZE;
	mm->pgd = umm_pgd_alloc();
	if (umm_mirror_create(mm)) {
		umm_pgd_free(mm->pgd);
		kfree(mm);
		return NULL;
	}
	pthread_mutex_lock(&all_mms_lock);
	list_add_tail(&mm->mm_list, &all_mms);
	pthread_mutex_unlock(&all_mms_lock);
	return mm;
}

void mmgrab(struct mm_struct *mm)
{
	atomic_inc(&mm->mm_count);
}

void mmdrop(struct mm_struct *mm)
{
	if (!atomic_dec_and_test(&mm->mm_count))
		return;
	mmu_notifier_subscriptions_destroy(mm);
	pthread_mutex_lock(&all_mms_lock);
	list_del(&mm->mm_list);
	pthread_mutex_unlock(&all_mms_lock);
	umm_mirror_destroy(mm);
	umm_pgd_free(mm->pgd);
	umm_destroy_rwsem(&mm->mmap_lock);
	kfree(mm);
}

void mmget(struct mm_struct *mm)
{
	atomic_inc(&mm->mm_users);
}

bool mmget_not_zero(struct mm_struct *mm)
{
	return atomic_inc_not_zero(&mm->mm_users);
}

/*
 * Exit: interval notifiers see RELEASE over everything, then classic
 * ->release, then the UNMAP over everything of unmap_vmas() (G rule 17).
 */
static void exit_mmap(struct mm_struct *mm)
{
	struct mmu_notifier_range range;

	mmu_notifier_release(mm);
	mmap_write_lock(mm);
	mm->exiting = true;
	mmu_notifier_range_init(&range, MMU_NOTIFY_UNMAP, 0, mm, 0, ULONG_MAX);
	mmu_notifier_invalidate_range_start(&range);
	umm_unmap_all_vmas(mm);
	mmu_notifier_invalidate_range_end(&range);
	umm_free_pgtables(mm);
	mmap_write_unlock(mm);
}

/**
 * mmput - drop a user of @mm; the last one tears the address space down
 * Context: process context, may sleep.
 */
void mmput(struct mm_struct *mm)
{
	might_sleep();
	if (atomic_dec_and_test(&mm->mm_users)) {
		exit_mmap(mm);
		mmdrop(mm);
	}
}

/**
 * umm_use_mm - make @mm the address space of the calling thread
 *
 * What kthread_use_mm() does for a vhost worker: user accesses of this
 * thread go to @mm from now on.
 *
 * Context: process context; the caller holds a reference on @mm.
 */
void umm_use_mm(struct mm_struct *mm)
{
	current->mm = mm;
	umm_uaccess_base = mm->mirror_base;
}

void umm_unuse_mm(struct mm_struct *mm)
{
	WARN_ON(current->mm != mm);
	current->mm = NULL;
	umm_uaccess_base = 0;
}
