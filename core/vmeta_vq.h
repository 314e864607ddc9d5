/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmeta: the split-virtqueue engine, host side (virtio 1.x §2.7), as
 * vhost runs it: fetch the next available chain into readable and
 * writable user buffers, return used buffers singly or in batches, and
 * suppress notifications with the flags or with EVENT_IDX.  All ring
 * accesses go through vmeta_meta (vmeta_meta.h); buffers are the
 * device's business.
 *
 * A guest that breaks the ring's rules gets its queue marked broken with
 * a precise error (vmeta_vq::broken, ::why); nothing outside the rings
 * and the buffers the chain names is ever touched, and other queues are
 * unaffected.
 */
#ifndef _VMETA_VQ_H
#define _VMETA_VQ_H

#include <linux/types.h>
#include <linux/virtio_ring.h>
#include "vmeta_meta.h"

#define VMETA_MAX_IOV	1024		/* vhost's UIO_MAXIOV */
#define VMETA_MAX_NUM	32768		/* the split ring's maximum size */

/* A buffer of a chain: user address and length. */
struct vmeta_iov {
	u64 addr;
	u32 len;
};

struct vmeta_chain {
	u16 head;			/* the id to return in the used ring */
	unsigned int out;		/* readable buffers: iov[0, out) */
	unsigned int in;		/* writable: iov[out, out + in) */
	u64 out_len, in_len;		/* their total lengths */
	struct vmeta_iov iov[VMETA_MAX_IOV];
};

/*
 * The guest's memory, as VHOST_SET_MEM_TABLE gives it: descriptor
 * addresses are guest-physical and translate to user addresses through
 * it.  A buffer outside every region breaks the queue; one that spans
 * regions becomes several buffers.
 */
#define VMETA_MAX_REGIONS	64

struct vmeta_region {
	u64 gpa;			/* guest-physical start */
	u64 size;			/* bytes */
	u64 uaddr;			/* user address of gpa */
};

struct vmeta_memtable {
	unsigned int nr;
	struct vmeta_region r[VMETA_MAX_REGIONS];
};

struct vmeta_vq_config {
	unsigned int num;		/* ring size, a power of two */
	u64 features;			/* VIRTIO_RING_F_*, VIRTIO_F_* */
	unsigned long desc, avail, used;	/* user addresses */
	void *raw[VMETA_NR_AREAS];	/* VMETA_RAW only: kernel addresses */
	enum vmeta_strategy strategy;
	struct mm_struct *mm;
	/* NULL: descriptor addresses are user addresses already. */
	const struct vmeta_memtable *mem;
};

struct vmeta_vq {
	struct vmeta_meta meta;
	unsigned int num;
	bool event_idx;
	bool indirect;
	/*
	 * VIRTIO_F_IN_ORDER: the guest uses descriptors in ring order, so
	 * the next head is known without reading the avail ring, and one
	 * used entry stands for every buffer before it with length 0.
	 */
	bool in_order;
	u16 next_head;			/* in order: the next chain's head */
	u16 *in_order_descs;		/* in order: table entries per chain */
	u16 last_avail_idx;		/* next avail entry to fetch */
	u16 avail_idx;			/* the guest's index, last read */
	u16 last_used_idx;		/* next used entry to write */
	u16 signalled_used;		/* used idx at the last notify */
	bool signalled_used_valid;
	int broken;			/* 0, or the -errno that broke it */
	const char *why;		/* what the guest did wrong */
	u64 chains;			/* chains fetched */
	struct vring_desc *indirect_buf; /* one indirect table, read whole */
	const struct vmeta_memtable *mem; /* see vmeta_vq_config */
};

int vmeta_vq_init(struct vmeta_vq *vq, const struct vmeta_vq_config *cfg);
void vmeta_vq_destroy(struct vmeta_vq *vq);
void vmeta_vq_begin(struct vmeta_vq *vq);
void vmeta_vq_end(struct vmeta_vq *vq);
int vmeta_vq_get_chain(struct vmeta_vq *vq, struct vmeta_chain *chain);
void vmeta_vq_discard(struct vmeta_vq *vq, unsigned int n);
int vmeta_vq_fail(struct vmeta_vq *vq, int err, const char *why);
int vmeta_vq_add_used(struct vmeta_vq *vq, u16 head, u32 len);
int vmeta_vq_add_used_n(struct vmeta_vq *vq, const struct vring_used_elem *e,
			unsigned int n);
bool vmeta_vq_need_notify(struct vmeta_vq *vq);
bool vmeta_vq_enable_notify(struct vmeta_vq *vq);
void vmeta_vq_disable_notify(struct vmeta_vq *vq);

#endif /* _VMETA_VQ_H */
