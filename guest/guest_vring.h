/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest side, in the lab: a driver that lays a split virtqueue out
 * in a lab address space and adds and reaps buffers through that
 * space's user mappings, as a guest's virtio_ring driver does through
 * guest memory.  For tests, torture and benchmarks; not kernel code.
 */
#ifndef _GUEST_VRING_H
#define _GUEST_VRING_H

#include <linux/virtio_ring.h>
#include <umm/mm.h>
#include "vmeta_vq.h"

struct guest_buf {
	unsigned long addr;	/* user address in the guest's mm */
	u32 len;
	bool writable;
};

struct guest_vring {
	struct mm_struct *mm;
	unsigned int num;
	bool event_idx;
	unsigned long desc, avail, used;	/* user addresses */
	struct vring_desc *d;			/* the same, as the guest */
	struct vring_avail *a;			/* sees them (mirror) */
	struct vring_used *u;
	u16 free_head, num_free;
	u16 avail_idx;				/* next avail slot */
	u16 last_used;				/* next used entry to reap */
	u16 *next_free;				/* free-list links */
	/*
	 * In order (guest_vring_set_in_order()): descriptors are taken in
	 * ring order and come back in it; a used entry completes every
	 * chain up to its id.
	 */
	bool in_order;
	u16 *order;				/* heads by avail index */
	u16 done_idx;				/* oldest chain not reaped */
	bool batch_pending;			/* a used entry half reaped */
	u16 batch_id;
	u32 batch_len;
	u16 *chain_len;				/* descriptors per head */
	void **token;				/* per head */
	unsigned long indirect;			/* per-head indirect tables */
};

/*
 * Lay out a ring of @num entries at @base (user address, page aligned,
 * mapped in @mm, at least guest_vring_size(num) bytes plus num * 16 *
 * GUEST_MAX_INDIRECT for indirect tables): desc, avail, then used on the
 * next page boundary.
 */
#define GUEST_MAX_INDIRECT	16
unsigned long guest_vring_size(unsigned int num);
int guest_vring_init(struct guest_vring *g, struct mm_struct *mm,
		     unsigned long base, unsigned int num, bool event_idx);
void guest_vring_free(struct guest_vring *g);

/*
 * The host's view of @g: a queue configuration with the rings' user
 * addresses (and, for VMETA_RAW, their addresses as the guest sees them),
 * @strategy and @mm; features and memory table left to the caller.
 */
void guest_vring_vq_config(const struct guest_vring *g,
			   enum vmeta_strategy strategy,
			   struct vmeta_vq_config *cfg);

/* Use VIRTIO_F_IN_ORDER; before the first chain is added. */
void guest_vring_set_in_order(struct guest_vring *g);

/* Add a chain; with @indirect the buffers go in an indirect table. */
int guest_vring_add(struct guest_vring *g, const struct guest_buf *bufs,
		    unsigned int n, bool indirect, void *token);
/* Publish added chains (the avail index, after a barrier). */
void guest_vring_publish(struct guest_vring *g);
/* The next used chain's token and length, or NULL. */
void *guest_vring_get_used(struct guest_vring *g, u32 *len, u16 *head);

#endif /* _GUEST_VRING_H */
