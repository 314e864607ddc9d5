// SPDX-License-Identifier: GPL-2.0
/*
 * vmeta torture: the host thread, a vhost-style worker.  It adopts the
 * guest's mm (kthread_use_mm), sets the queue up in that context and
 * serves it as a loopback device: fetch a batch of chains inside one
 * engine batch, then, outside it (copies may fault and sleep), read each
 * readable buffer with copy_from_user() and write the device's pattern
 * into the writable ones with copy_to_user(), then return the batch.
 *
 * The device knows the sequence number of every chain it fetches (the
 * guest posts in order), so it checks each chain against its shape and
 * each readable byte against the guest's pattern: a mismatch, such as a
 * descriptor or buffer read through a stale mapping, counts as stale.
 */
#include <sched.h>
#include <linux/slab.h>
#include <linux/virtio_config.h>
#include <asm/byteorder.h>
#include "torture.h"

struct host {
	struct torture_run *r;
	struct vmeta_chain *chains;	/* TORTURE_BATCH of them */
	struct vring_used_elem used[TORTURE_BATCH];
	char buf[TORTURE_MAX_BUF_LEN];
	unsigned int reports;		/* stale chains described */
};

static int host_init_vq(struct torture_run *r)
{
	struct vmeta_vq_config cfg = {
		.num = r->num,
		.features = BIT_ULL(VIRTIO_RING_F_INDIRECT_DESC) |
			    BIT_ULL(VIRTIO_RING_F_EVENT_IDX) |
			    BIT_ULL(VIRTIO_F_VERSION_1),
		.desc = r->g.desc, .avail = r->g.avail, .used = r->g.used,
		.raw = { r->g.d, r->g.a, r->g.u },
		.strategy = r->strategy,
		.mm = r->mm,
	};

	return vmeta_vq_init(&r->vq, &cfg);
}

/* Is @c the chain the guest built as @seq?  Its slot in @slot. */
static bool chain_is(struct torture_run *r, const struct vmeta_chain *c,
		     const struct torture_shape *sh, unsigned long *slot)
{
	unsigned long base;
	unsigned int i;

	if (c->out != sh->out || c->in != sh->in)
		return false;
	if (c->iov[0].addr < r->bufs + sh->off[0])
		return false;
	*slot = (c->iov[0].addr - r->bufs - sh->off[0]) / TORTURE_SLOT_SIZE;
	if (*slot >= r->nr_slots)
		return false;
	base = r->bufs + *slot * TORTURE_SLOT_SIZE;
	for (i = 0; i < sh->out + sh->in; i++)
		if (c->iov[i].addr != base + sh->off[i] ||
		    c->iov[i].len != sh->len[i])
			return false;
	return true;
}

static bool read_buffers(struct host *h, const struct vmeta_chain *c,
			 u64 seq)
{
	u64 key = torture_key(h->r->seed, seq, TORTURE_GUEST);
	unsigned int i;
	u32 pos = 0;

	for (i = 0; i < c->out; i++) {
		if (copy_from_user(h->buf, (void __user *)c->iov[i].addr,
				   c->iov[i].len) ||
		    !torture_check(h->buf, c->iov[i].len, key, pos))
			return false;
		pos += c->iov[i].len;
	}
	return true;
}

/* The device's bytes into the writable buffers; the used length. */
static u32 write_buffers(struct host *h, const struct vmeta_chain *c,
			 const struct torture_shape *sh, u64 seq)
{
	u64 key = torture_key(h->r->seed, seq, TORTURE_DEVICE);
	unsigned int i;
	u32 pos = 0, n;

	for (i = c->out; i < c->out + c->in && pos < sh->written; i++) {
		n = min(sh->written - pos, c->iov[i].len);
		torture_fill(h->buf, n, key, pos);
		if (copy_to_user((void __user *)c->iov[i].addr, h->buf, n))
			break;
		pos += n;
	}
	return pos;
}

static void report_stale(struct host *h, const struct vmeta_chain *c,
			 u64 seq, const char *what)
{
	if (h->reports++ >= 5)
		return;
	fprintf(stderr, "torture: %s: chain %llu (head %u, %u+%u buffers): "
		"%s\n", vmeta_strategy_name(h->r->strategy),
		(unsigned long long)seq, c->head, c->out, c->in, what);
}

/* Serve one chain as the device; its used length. */
static u32 serve(struct host *h, const struct vmeta_chain *c)
{
	struct torture_run *r = h->r;
	u64 seq = r->served;
	struct torture_shape sh;
	unsigned long slot;

	torture_shape(r->seed, seq, r->num, &sh);
	torture_set(&r->served, seq + 1);
	if (!chain_is(r, c, &sh, &slot)) {
		torture_inc(&r->stale);
		report_stale(h, c, seq, "not the chain the guest posted");
		return 0;
	}
	if (!read_buffers(h, c, seq)) {
		torture_inc(&r->stale);
		report_stale(h, c, seq, "readable bytes differ");
	}
	return write_buffers(h, c, &sh, seq);
}

/* Fetch, serve and return up to a batch of chains; how many. */
static unsigned int serve_batch(struct host *h)
{
	struct vmeta_vq *vq = &h->r->vq;
	unsigned int n = 0, i;

	vmeta_vq_begin(vq);
	while (n < TORTURE_BATCH && vmeta_vq_get_chain(vq, &h->chains[n]) == 1)
		n++;
	vmeta_vq_end(vq);
	if (!n)
		return 0;
	for (i = 0; i < n; i++) {
		h->used[i].id = cpu_to_le32(h->chains[i].head);
		h->used[i].len = cpu_to_le32(serve(h, &h->chains[i]));
	}
	vmeta_vq_begin(vq);
	vmeta_vq_add_used_n(vq, h->used, n);
	if (vmeta_vq_need_notify(vq))
		torture_inc(&h->r->notifies);
	vmeta_vq_end(vq);
	return n;
}

/* Nothing to do: ask for kicks, look again, poll. */
static void idle(struct vmeta_vq *vq)
{
	bool more;

	vmeta_vq_begin(vq);
	more = vmeta_vq_enable_notify(vq);
	vmeta_vq_end(vq);
	if (!more)
		sched_yield();
	vmeta_vq_begin(vq);
	vmeta_vq_disable_notify(vq);
	vmeta_vq_end(vq);
}

static void host_loop(struct host *h)
{
	struct torture_run *r = h->r;

	while (!torture_get(&r->host_stop)) {
		if (!serve_batch(h))
			idle(&r->vq);
		if (r->vq.broken) {
			r->why = r->vq.why;
			torture_set(&r->broken, r->vq.broken);
			break;
		}
	}
}

void *torture_host(void *arg)
{
	struct torture_run *r = arg;
	struct host *h = kzalloc(sizeof(*h), GFP_KERNEL);
	int ret;

	umm_use_mm(r->mm);
	ret = h ? host_init_vq(r) : -ENOMEM;
	if (!ret) {
		h->r = r;
		h->chains = kmalloc_array(TORTURE_BATCH, sizeof(*h->chains),
					  GFP_KERNEL);
		ret = h->chains ? 0 : -ENOMEM;
		if (ret)
			vmeta_vq_destroy(&r->vq);
	}
	torture_set(&r->host_ready, ret ? ret : 1);
	if (!ret) {
		host_loop(h);
		/* Invalidations are counted under map_lock. */
		spin_lock(&r->vq.meta.map_lock);
		r->stats = r->vq.meta.stats;
		spin_unlock(&r->vq.meta.map_lock);
		vmeta_vq_destroy(&r->vq);
		kfree(h->chains);
	}
	kfree(h);
	umm_unuse_mm(r->mm);
	return NULL;
}
