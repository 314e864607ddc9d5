// SPDX-License-Identifier: GPL-2.0
/*
 * vmeta: the split-virtqueue engine (see vmeta_vq.h).
 *
 * Ring offsets, in bytes, inside each area (virtio 1.x §2.7):
 *   desc:  entry i at 16 * i
 *   avail: flags 0, idx 2, ring[i] at 4 + 2 * i, used_event at 4 + 2 * num
 *   used:  flags 0, idx 2, ring[i] at 4 + 8 * i, avail_event at 4 + 8 * num
 *
 * Engine calls other than init/destroy run inside a batch
 * (vmeta_vq_begin()/vmeta_vq_end()): no sleeping in between, except where
 * the engine itself ends and restarts the batch to read an indirect table.
 */
#include <linux/bits.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/nospec.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/virtio_config.h>
#include <asm/barrier.h>
#include <asm/byteorder.h>
#include "vmeta_vq.h"

#define AVAIL_IDX		2
#define AVAIL_RING(i)		(4 + 2 * (unsigned long)(i))
#define USED_FLAGS		0
#define USED_IDX		2
#define USED_RING(i)		(4 + 8 * (unsigned long)(i))
#define DESC(i)			(16 * (unsigned long)(i))

static unsigned long desc_size(unsigned int num)
{
	return DESC(num);
}

static unsigned long avail_size(unsigned int num)
{
	return AVAIL_RING(num) + 2;	/* used_event */
}

static unsigned long used_size(unsigned int num)
{
	return USED_RING(num) + 2;	/* avail_event */
}

/* Mark the queue broken; every later call returns @err. */
static int vq_error(struct vmeta_vq *vq, int err, const char *why)
{
	if (!vq->broken) {
		vq->broken = err;
		vq->why = why;
	}
	return vq->broken;
}

/**
 * vmeta_vq_init - set up a queue over rings at the given user addresses
 * @vq: the queue
 * @cfg: size, features, addresses, strategy, owner mm
 *
 * Context: process context of the owner; may sleep.  Returns 0, -EINVAL
 * for a bad size or misaligned rings, -ENOMEM.
 */
int vmeta_vq_init(struct vmeta_vq *vq, const struct vmeta_vq_config *cfg)
{
	unsigned long uaddr[VMETA_NR_AREAS] = {
		cfg->desc, cfg->avail, cfg->used };
	unsigned long size[VMETA_NR_AREAS];
	unsigned int num = cfg->num;
	int ret;

	if (!num || num > VMETA_MAX_NUM || !is_power_of_2(num))
		return -EINVAL;
	/* vhost checks avail (2) and used (4); desc may straddle pages. */
	if ((cfg->avail & 1) || (cfg->used & 3))
		return -EINVAL;
	size[VMETA_DESC] = desc_size(num);
	size[VMETA_AVAIL] = avail_size(num);
	size[VMETA_USED] = used_size(num);

	memset(vq, 0, sizeof(*vq));
	vq->num = num;
	vq->mem = cfg->mem;
	vq->event_idx = cfg->features & BIT_ULL(VIRTIO_RING_F_EVENT_IDX);
	vq->indirect = cfg->features & BIT_ULL(VIRTIO_RING_F_INDIRECT_DESC);
	vq->in_order = cfg->features & BIT_ULL(VIRTIO_F_IN_ORDER);
	vq->indirect_buf = kmalloc_array(VMETA_MAX_IOV,
					 sizeof(*vq->indirect_buf), GFP_KERNEL);
	if (vq->in_order)
		vq->in_order_descs = kcalloc(num, sizeof(*vq->in_order_descs),
					     GFP_KERNEL);
	if (!vq->indirect_buf || (vq->in_order && !vq->in_order_descs)) {
		ret = -ENOMEM;
		goto fail;
	}
	ret = vmeta_meta_init(&vq->meta, cfg->strategy, cfg->mm, uaddr, size,
			      cfg->strategy == VMETA_RAW ? cfg->raw : NULL);
	if (!ret)
		return 0;
fail:
	kfree(vq->indirect_buf);
	kfree(vq->in_order_descs);
	return ret;
}

/**
 * vmeta_vq_destroy - undo vmeta_vq_init()
 * Context: process context, may sleep; no batch running.
 */
void vmeta_vq_destroy(struct vmeta_vq *vq)
{
	vmeta_meta_destroy(&vq->meta);
	kfree(vq->indirect_buf);
	kfree(vq->in_order_descs);
	vq->indirect_buf = NULL;
	vq->in_order_descs = NULL;
}

/**
 * vmeta_vq_begin - start a batch of engine calls
 * Context: the owner's user context, may sleep; the batch may not.
 */
void vmeta_vq_begin(struct vmeta_vq *vq)
{
	vmeta_meta_begin(&vq->meta);
}

/**
 * vmeta_vq_end - end a batch
 * Context: after vmeta_vq_begin().
 */
void vmeta_vq_end(struct vmeta_vq *vq)
{
	vmeta_meta_end(&vq->meta);
}

/* Has the guest made new chains available?  1, 0, or -errno. */
static int fetch_avail_idx(struct vmeta_vq *vq)
{
	u16 idx;

	if (vq->avail_idx != vq->last_avail_idx)
		return 1;
	if (vmeta_meta_read16(&vq->meta, VMETA_AVAIL, AVAIL_IDX, &idx))
		return vq_error(vq, -EFAULT, "cannot read avail idx");
	idx = le16_to_cpu(idx);
	if ((u16)(idx - vq->last_avail_idx) > vq->num)
		return vq_error(vq, -EINVAL, "avail idx moved too far");
	vq->avail_idx = idx;
	if (idx == vq->last_avail_idx)
		return 0;
	/* Entries after the index: pairs with the guest's wmb before it. */
	smp_rmb();
	return 1;
}

/* The region holding guest-physical @gpa, or NULL. */
static const struct vmeta_region *find_region(const struct vmeta_memtable *mt,
					      u64 gpa)
{
	unsigned int i;

	for (i = 0; i < mt->nr; i++)
		if (gpa - mt->r[i].gpa < mt->r[i].size)
			return &mt->r[i];
	return NULL;
}

/*
 * The user address of the first part of [@gpa, @gpa + *@len) and, in
 * *@len, how much of it one region holds; 0 if no region holds @gpa.
 * Without a memory table, addresses are user addresses already.  An
 * indirect table must lie in one region (vhost also accepts one that
 * spans regions: a stricter check).
 */
static u64 translate(struct vmeta_vq *vq, u64 gpa, u64 *len)
{
	const struct vmeta_region *r;

	if (!vq->mem)
		return gpa;
	r = find_region(vq->mem, gpa);
	if (!r)
		return 0;
	*len = min_t(u64, *len, r->size - (gpa - r->gpa));
	return r->uaddr + (gpa - r->gpa);
}

static int push_iov(struct vmeta_vq *vq, struct vmeta_chain *c, u64 uaddr,
		    u32 len, bool writable)
{
	if (uaddr + len < uaddr || !access_ok((void __user *)uaddr, len))
		return vq_error(vq, -EFAULT, "buffer outside user memory");
	if (c->out + c->in == VMETA_MAX_IOV)
		return vq_error(vq, -ENOBUFS, "chain has too many buffers");
	c->iov[c->out + c->in].addr = uaddr;
	c->iov[c->out + c->in].len = len;
	if (writable) {
		c->in++;
		c->in_len += len;
	} else {
		c->out++;
		c->out_len += len;
	}
	return 0;
}

/* One descriptor's buffer, split where it crosses memory regions. */
static int add_buffer(struct vmeta_vq *vq, struct vmeta_chain *c,
		      const struct vring_desc *d)
{
	u64 gpa = le64_to_cpu(d->addr), left = le32_to_cpu(d->len), part;
	bool writable = le16_to_cpu(d->flags) & VRING_DESC_F_WRITE;
	int ret = 0;

	if (!writable && c->in)
		return vq_error(vq, -EINVAL, "readable buffer after writable");
	if (gpa + left < gpa)
		return vq_error(vq, -EFAULT, "buffer outside user memory");
	do {
		u64 uaddr;

		part = left;
		uaddr = translate(vq, gpa, &part);
		if (!uaddr && vq->mem)
			return vq_error(vq, -EFAULT,
					"buffer outside the memory table");
		ret = push_iov(vq, c, uaddr, part, writable);
		gpa += part;
		left -= part;
	} while (!ret && left);
	return ret;
}

/*
 * An indirect table: read with copy_from_user() (it lives in a guest
 * buffer and may fault, so outside the batch), then walked in order, as
 * vhost walks it: entry after entry while the NEXT flag is set (the
 * entries' next fields are not followed).  Entries after the chain's end
 * are not part of it; a chain that runs past the table is malformed.
 * Only the entries that can still fit the chain's iovs are read.
 */
static int walk_indirect(struct vmeta_vq *vq, struct vmeta_chain *c,
			 const struct vring_desc *d)
{
	u64 gpa = le64_to_cpu(d->addr), span;
	u32 len = le32_to_cpu(d->len);
	unsigned int i, count = len / sizeof(struct vring_desc);
	unsigned int room = VMETA_MAX_IOV - c->out - c->in;
	unsigned long left;
	u16 flags;
	u64 addr;
	int ret = 0;

	if (!len || len % sizeof(struct vring_desc))
		return vq_error(vq, -EINVAL, "indirect table length");
	span = len;
	addr = translate(vq, gpa, &span);
	if (vq->mem && (!addr || span < len))
		return vq_error(vq, -EFAULT,
				"indirect table outside the memory table");
	if (addr + len < addr || !access_ok((void __user *)addr, len))
		return vq_error(vq, -EFAULT, "indirect table outside memory");

	vmeta_vq_end(vq);
	left = copy_from_user(vq->indirect_buf, (void __user *)addr,
			      min(count, room) * sizeof(struct vring_desc));
	vmeta_vq_begin(vq);
	if (left)
		return vq_error(vq, -EFAULT, "cannot read indirect table");
	for (i = 0; !ret; i++) {
		if (i == count)
			return vq_error(vq, -EINVAL,
					"indirect chain runs past its table");
		if (i == room)
			return vq_error(vq, -ENOBUFS,
					"indirect table too long");
		flags = le16_to_cpu(vq->indirect_buf[i].flags);
		if (flags & VRING_DESC_F_INDIRECT)
			return vq_error(vq, -EINVAL, "indirect in indirect");
		ret = add_buffer(vq, c, &vq->indirect_buf[i]);
		if (!(flags & VRING_DESC_F_NEXT))
			break;
	}
	return ret;
}

static int read_desc(struct vmeta_vq *vq, u16 i, struct vring_desc *d)
{
	i = array_index_nospec(i, (u16)vq->num);
	if (vmeta_meta_read(&vq->meta, VMETA_DESC, DESC(i), d, sizeof(*d)))
		return vq_error(vq, -EFAULT, "cannot read descriptor");
	return 0;
}

/*
 * Follow the chain from @head, which is range-checked; *@count receives
 * how many table entries it took.  In order, they must be consecutive.
 */
static int walk_chain(struct vmeta_vq *vq, struct vmeta_chain *c, u16 head,
		      unsigned int *count)
{
	struct vring_desc d;
	u16 i = head, flags, prev;
	int ret;

	*count = 0;
	for (;;) {
		if (++*count > vq->num)
			return vq_error(vq, -EINVAL, "descriptor loop");
		ret = read_desc(vq, i, &d);
		if (ret)
			return ret;
		flags = le16_to_cpu(d.flags);
		if (flags & VRING_DESC_F_INDIRECT)
			ret = walk_indirect(vq, c, &d);
		else
			ret = add_buffer(vq, c, &d);
		if (ret || !(flags & VRING_DESC_F_NEXT))
			return ret;
		prev = i;
		i = le16_to_cpu(d.next);
		if (i >= vq->num)
			return vq_error(vq, -EINVAL, "next out of range");
		if (vq->in_order && i != ((prev + 1) & (vq->num - 1)))
			return vq_error(vq, -EINVAL,
					"in order: chain not consecutive");
	}
}

/* The head of the next chain: the avail ring's, or in order the next. */
static int next_head(struct vmeta_vq *vq, u16 *head)
{
	unsigned int slot = vq->last_avail_idx & (vq->num - 1);

	if (vq->in_order) {
		*head = vq->next_head;
		return 0;
	}
	if (vmeta_meta_read16(&vq->meta, VMETA_AVAIL, AVAIL_RING(slot), head))
		return vq_error(vq, -EFAULT, "cannot read avail ring");
	*head = le16_to_cpu(*head);
	if (*head >= vq->num)
		return vq_error(vq, -EINVAL, "head out of range");
	return 0;
}

/**
 * vmeta_vq_get_chain - fetch the next available chain
 * @vq: the queue
 * @c: receives the head and the buffers
 *
 * Context: inside a batch.  Returns 1 with a chain, 0 if the ring is
 * empty, or the -errno that broke the queue.
 */
int vmeta_vq_get_chain(struct vmeta_vq *vq, struct vmeta_chain *c)
{
	unsigned int descs;
	u16 head;
	int ret;

	if (vq->broken)
		return vq->broken;
	ret = fetch_avail_idx(vq);
	if (ret <= 0)
		return ret;
	ret = next_head(vq, &head);
	if (ret)
		return ret;
	c->head = head;
	c->out = c->in = 0;
	c->out_len = c->in_len = 0;
	ret = walk_chain(vq, c, head, &descs);
	if (ret)
		return ret;
	if (vq->in_order) {
		vq->in_order_descs[vq->last_avail_idx & (vq->num - 1)] = descs;
		vq->next_head = (head + descs) & (vq->num - 1);
	}
	vq->last_avail_idx++;
	vq->chains++;
	return 1;
}

/**
 * vmeta_vq_fail - mark the queue broken by something its device found
 * (a buffer it cannot access); returns the error the queue now carries
 * Context: any.
 */
int vmeta_vq_fail(struct vmeta_vq *vq, int err, const char *why)
{
	return vq_error(vq, err, why);
}

/**
 * vmeta_vq_discard - give back the last @n chains fetched, unused, so
 * that the next vmeta_vq_get_chain() returns them again
 * Context: any; @n chains were fetched and not yet used.
 */
void vmeta_vq_discard(struct vmeta_vq *vq, unsigned int n)
{
	while (n--) {
		vq->last_avail_idx--;
		vq->chains--;
		if (vq->in_order)
			vq->next_head -= vq->in_order_descs[vq->last_avail_idx &
							    (vq->num - 1)];
	}
	vq->next_head &= vq->num - 1;
}

/*
 * In order, @n used buffers (in the order fetched) as few entries: one
 * for each buffer with a length, and one for the last; a guest completes
 * every buffer before an entry's id with length 0.  Returns how many.
 */
static unsigned int in_order_used(struct vmeta_vq *vq,
				  const struct vring_used_elem *e,
				  unsigned int n)
{
	unsigned int i, w = 0, slot;

	for (i = 0; i < n; i++) {
		if (i + 1 < n && !e[i].len)
			continue;
		slot = (vq->last_used_idx + w) & (vq->num - 1);
		if (vmeta_meta_write(&vq->meta, VMETA_USED, USED_RING(slot),
				     &e[i], sizeof(e[i]))) {
			vq_error(vq, -EFAULT, "cannot write used ring");
			return 0;
		}
		w++;
	}
	return w;
}

/**
 * vmeta_vq_add_used_n - return @n used buffers, then publish the index
 *
 * In order (VIRTIO_F_IN_ORDER), the buffers must be given in the order
 * they were fetched, and those of length 0 before the last are folded
 * into the next entry written.
 *
 * Context: inside a batch.  Returns 0 or the -errno that broke the queue.
 */
int vmeta_vq_add_used_n(struct vmeta_vq *vq, const struct vring_used_elem *e,
			unsigned int n)
{
	unsigned int done = 0;

	if (vq->broken)
		return vq->broken;
	if (vq->in_order && n) {
		n = in_order_used(vq, e, n);
		if (vq->broken)
			return vq->broken;
		done = n;
	}
	while (done < n) {
		unsigned int slot = (vq->last_used_idx + done) & (vq->num - 1);
		unsigned int run = min(n - done, vq->num - slot);

		if (vmeta_meta_write(&vq->meta, VMETA_USED, USED_RING(slot),
				     e + done, run * sizeof(*e)))
			return vq_error(vq, -EFAULT, "cannot write used ring");
		done += run;
	}
	/* The entries before the index: pairs with the guest's rmb. */
	smp_wmb();
	vq->last_used_idx += n;
	if (vmeta_meta_write16(&vq->meta, VMETA_USED, USED_IDX,
			       cpu_to_le16(vq->last_used_idx)))
		return vq_error(vq, -EFAULT, "cannot write used idx");
	return 0;
}

/**
 * vmeta_vq_add_used - return one used buffer
 * Context: inside a batch.  Returns 0 or -errno.
 */
int vmeta_vq_add_used(struct vmeta_vq *vq, u16 head, u32 len)
{
	struct vring_used_elem e = {
		.id = cpu_to_le32(head), .len = cpu_to_le32(len) };

	return vmeta_vq_add_used_n(vq, &e, 1);
}

/**
 * vmeta_vq_need_notify - must the guest be signalled for what was used
 * since the last time this returned true?
 *
 * Without EVENT_IDX: unless the guest set VRING_AVAIL_F_NO_INTERRUPT.
 * With it: if used_event lies in the indices used since the last signal;
 * the first call after init always signals, as vhost does.
 *
 * Context: inside a batch.
 */
bool vmeta_vq_need_notify(struct vmeta_vq *vq)
{
	u16 old = vq->signalled_used, new = vq->last_used_idx, v;
	bool valid = vq->signalled_used_valid;

	/* The used index before the guest's flags: pairs with its mb. */
	smp_mb();
	if (!vq->event_idx) {
		if (vmeta_meta_read16(&vq->meta, VMETA_AVAIL, 0, &v))
			return true;
		return !(le16_to_cpu(v) & VRING_AVAIL_F_NO_INTERRUPT);
	}
	vq->signalled_used = new;
	vq->signalled_used_valid = true;
	if (!valid)
		return true;
	if (vmeta_meta_read16(&vq->meta, VMETA_AVAIL, AVAIL_RING(vq->num), &v))
		return true;
	return vring_need_event(le16_to_cpu(v), new, old);
}

static int set_notify(struct vmeta_vq *vq, bool enable)
{
	if (vq->event_idx)
		return enable ? vmeta_meta_write16(&vq->meta, VMETA_USED,
					USED_RING(vq->num),
					cpu_to_le16(vq->avail_idx)) : 0;
	return vmeta_meta_write16(&vq->meta, VMETA_USED, USED_FLAGS,
			cpu_to_le16(enable ? 0 : VRING_USED_F_NO_NOTIFY));
}

/**
 * vmeta_vq_disable_notify - ask the guest not to kick
 * Context: inside a batch.
 */
void vmeta_vq_disable_notify(struct vmeta_vq *vq)
{
	if (set_notify(vq, false))
		vq_error(vq, -EFAULT, "cannot write used flags");
}

/**
 * vmeta_vq_enable_notify - ask the guest to kick again
 *
 * Returns true if chains arrived meanwhile, so that the caller processes
 * them instead of sleeping: a kick sent before the guest saw our request
 * may have been suppressed.
 *
 * Context: inside a batch.
 */
bool vmeta_vq_enable_notify(struct vmeta_vq *vq)
{
	u16 idx;

	if (set_notify(vq, true)) {
		vq_error(vq, -EFAULT, "cannot write used flags");
		return false;
	}
	/* Our request before the guest's index: pairs with its mb. */
	smp_mb();
	if (vmeta_meta_read16(&vq->meta, VMETA_AVAIL, AVAIL_IDX, &idx))
		return false;
	return le16_to_cpu(idx) != vq->avail_idx;
}
