/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A queue for engine tests: a lab mm with a ring laid out by the lab's
 * guest driver and a data area, and the host side over it with one
 * strategy.  The test thread is both guest (user pointers) and host
 * (its current->mm is the guest's).
 */
#ifndef _TESTS_VQ_FIXTURE_H
#define _TESTS_VQ_FIXTURE_H

#include <linux/virtio_config.h>
#include <stdio.h>
#include <umm/cache.h>
#include "guest_vring.h"
#include "vmeta_vq.h"

#define FIX_DATA_SIZE	(4UL << 20)

struct fixture {
	struct mm_struct *mm;
	unsigned long ring, data;
	struct guest_vring g;
	struct vmeta_vq vq;
};

/* The ring @desc_off bytes into its mapping (misaligned descriptors). */
static inline int fixture_init_at(struct fixture *f, struct mm_struct *mm,
				  enum vmeta_strategy s, unsigned int num,
				  bool event_idx, unsigned long desc_off)
{
	struct vmeta_vq_config cfg;

	memset(f, 0, sizeof(*f));
	f->mm = mm;
	f->ring = umm_mmap(mm, 0, guest_vring_size(num) + PAGE_SIZE,
			   PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
	f->data = umm_mmap(mm, 0, FIX_DATA_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
	if ((long)f->ring < 0 || (long)f->data < 0 ||
	    guest_vring_init(&f->g, mm, f->ring + desc_off, num, event_idx))
		return -ENOMEM;
	guest_vring_vq_config(&f->g, s, &cfg);
	cfg.features = BIT_ULL(VIRTIO_RING_F_INDIRECT_DESC) |
		       BIT_ULL(VIRTIO_F_VERSION_1) |
		       (event_idx ? BIT_ULL(VIRTIO_RING_F_EVENT_IDX) : 0);
	return vmeta_vq_init(&f->vq, &cfg);
}

static inline int fixture_init(struct fixture *f, struct mm_struct *mm,
			       enum vmeta_strategy s, unsigned int num,
			       bool event_idx)
{
	return fixture_init_at(f, mm, s, num, event_idx, 0);
}

static inline void fixture_destroy(struct fixture *f)
{
	vmeta_vq_destroy(&f->vq);
	guest_vring_free(&f->g);
	umm_munmap(f->mm, f->ring, guest_vring_size(f->g.num) + PAGE_SIZE);
	umm_munmap(f->mm, f->data, FIX_DATA_SIZE);
}

/*
 * Tests of kmap's rules are about a kernel mapping, which a VIVT cache
 * model never gets (kmap falls back there): skip the whole test, saying
 * so in TAP.  True if skipped.
 */
static inline bool fixture_skip_on_vivt(void)
{
	if (umm_cache_geometry()->index != UMM_CACHE_VIVT)
		return false;
	printf("1..0 # SKIP %s: kmap falls back to user access there "
	       "(tests/core/test_kmap_alias)\n", umm_cache_geometry()->name);
	return true;
}

#endif /* _TESTS_VQ_FIXTURE_H */
