/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmeta: two devices over the engine, for tests and benchmarks.
 *
 *   test          consumes every chain and returns it with length 0, as
 *                 Linux's vhost_test device does; buffers untouched
 *   net-loopback  copies each chain of a transmit queue (its readable
 *                 buffers) into the writable buffers of the next chain of
 *                 a receive queue, as a vhost-net pair looped back would
 *
 * Both run in the owner's user context (kthread_use_mm() in a worker);
 * buffer data moves with copy_from_user()/copy_to_user(), outside any
 * batch, as vhost does.
 */
#ifndef _VMETA_DEV_H
#define _VMETA_DEV_H

#include "vmeta_vq.h"

#define VMETA_NET_MAX_FRAME	65536

struct vmeta_dev_test {
	struct vmeta_vq *vq;
	struct vmeta_chain chain;
	struct vring_used_elem used[64];
	u64 signals;			/* how often the guest would be told */
};

struct vmeta_dev_net {
	struct vmeta_vq *tx, *rx;
	struct vmeta_chain tx_chain, rx_chain;
	void *frame;			/* bounce buffer, VMETA_NET_MAX_FRAME */
	u64 frames, bytes, drops;	/* drops: frames larger than rx */
	u64 signals;
};

int vmeta_dev_test_run(struct vmeta_dev_test *d, unsigned int budget);
int vmeta_dev_net_init(struct vmeta_dev_net *d, struct vmeta_vq *tx,
		       struct vmeta_vq *rx);
void vmeta_dev_net_destroy(struct vmeta_dev_net *d);
int vmeta_dev_net_run(struct vmeta_dev_net *d, unsigned int budget);

#endif /* _VMETA_DEV_H */
