// SPDX-License-Identifier: GPL-2.0
/*
 * vmeta: the net-loopback device (see vmeta_dev.h).  One frame per
 * transmit chain: its readable buffers, concatenated, land in the
 * writable buffers of the next receive chain.  A transmit chain waits
 * when no receive chain is available; a frame larger than the receive
 * chain is dropped (returned on transmit, counted), as a NIC drops it.
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "vmeta_dev.h"

/**
 * vmeta_dev_net_init - a loopback between @tx and @rx
 * Context: process context.  Returns 0 or -ENOMEM.
 */
int vmeta_dev_net_init(struct vmeta_dev_net *d, struct vmeta_vq *tx,
		       struct vmeta_vq *rx)
{
	memset(d, 0, sizeof(*d));
	d->tx = tx;
	d->rx = rx;
	d->frame = kmalloc(VMETA_NET_MAX_FRAME, GFP_KERNEL);
	return d->frame ? 0 : -ENOMEM;
}

void vmeta_dev_net_destroy(struct vmeta_dev_net *d)
{
	kfree(d->frame);
	d->frame = NULL;
}

/* Fetch one chain of @vq in a batch of its own: 1, 0 (empty) or -errno. */
static int fetch(struct vmeta_vq *vq, struct vmeta_chain *c)
{
	int ret;

	vmeta_vq_begin(vq);
	ret = vmeta_vq_get_chain(vq, c);
	vmeta_vq_end(vq);
	return ret;
}

static int put_used(struct vmeta_vq *vq, u16 head, u32 len, u64 *signals)
{
	int ret;

	vmeta_vq_begin(vq);
	ret = vmeta_vq_add_used(vq, head, len);
	if (!ret && vmeta_vq_need_notify(vq))
		(*signals)++;
	vmeta_vq_end(vq);
	return ret;
}

/* The transmit chain's readable buffers into the frame; its length. */
static long gather(struct vmeta_dev_net *d)
{
	const struct vmeta_chain *c = &d->tx_chain;
	unsigned long len = 0;
	unsigned int i;

	for (i = 0; i < c->out; i++) {
		if (len + c->iov[i].len > VMETA_NET_MAX_FRAME)
			return -EMSGSIZE;
		if (copy_from_user(d->frame + len,
				   (void __user *)c->iov[i].addr,
				   c->iov[i].len))
			return -EFAULT;
		len += c->iov[i].len;
	}
	return len;
}

/* The frame into the receive chain's writable buffers. */
static int scatter(struct vmeta_dev_net *d, unsigned long len)
{
	const struct vmeta_chain *c = &d->rx_chain;
	unsigned long off = 0;
	unsigned int i;

	if (len > c->in_len)
		return -EMSGSIZE;
	for (i = c->out; i < c->out + c->in && off < len; i++) {
		unsigned long n = min_t(unsigned long, len - off,
					c->iov[i].len);

		if (copy_to_user((void __user *)c->iov[i].addr,
				 d->frame + off, n))
			return -EFAULT;
		off += n;
	}
	return 0;
}

/* Move one frame; 1 moved, 0 nothing to do, or -errno. */
static int move_frame(struct vmeta_dev_net *d)
{
	long len;
	int ret;

	ret = fetch(d->tx, &d->tx_chain);
	if (ret <= 0)
		return ret;
	ret = fetch(d->rx, &d->rx_chain);
	if (ret <= 0) {
		vmeta_vq_discard(d->tx, 1);	/* wait for a receive chain */
		return ret;
	}
	len = gather(d);
	ret = len < 0 ? len : scatter(d, len);
	if (ret == -EMSGSIZE) {
		d->drops++;
		vmeta_vq_discard(d->rx, 1);
		return put_used(d->tx, d->tx_chain.head, 0, &d->signals) ?: 1;
	}
	if (ret) {
		/* A buffer the guest gave is bad: keep both chains, stop. */
		vmeta_vq_discard(d->tx, 1);
		vmeta_vq_discard(d->rx, 1);
		return len < 0 ?
			vmeta_vq_fail(d->tx, ret, "cannot read a tx buffer") :
			vmeta_vq_fail(d->rx, ret, "cannot write an rx buffer");
	}
	d->frames++;
	d->bytes += len;
	ret = put_used(d->rx, d->rx_chain.head, len, &d->signals);
	return ret ?: put_used(d->tx, d->tx_chain.head, 0, &d->signals) ?: 1;
}

/**
 * vmeta_dev_net_run - move up to @budget frames
 * Context: the owner's user context, may sleep.  Returns frames moved or
 * the -errno that broke a queue (or a buffer copy).
 */
int vmeta_dev_net_run(struct vmeta_dev_net *d, unsigned int budget)
{
	unsigned int done = 0;
	int ret = 1;

	while (done < budget && (ret = move_frame(d)) == 1)
		done++;
	return ret < 0 ? ret : done;
}
