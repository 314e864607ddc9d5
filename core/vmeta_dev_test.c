// SPDX-License-Identifier: GPL-2.0
/*
 * vmeta: the test device (see vmeta_dev.h): what vhost_test's handle_vq()
 * does, in batches: fetch, return with length 0, tell the guest.
 */
#include <linux/kernel.h>
#include <asm/byteorder.h>
#include "vmeta_dev.h"

/**
 * vmeta_dev_test_run - serve up to @budget chains
 * Context: the owner's user context, may sleep.  Returns the number of
 * chains served, or the -errno that broke the queue.
 */
int vmeta_dev_test_run(struct vmeta_dev_test *d, unsigned int budget)
{
	struct vmeta_vq *vq = d->vq;
	unsigned int done = 0, n;
	int ret = 0;

	while (done < budget && !ret) {
		n = 0;
		vmeta_vq_begin(vq);
		while (n < ARRAY_SIZE(d->used) && done + n < budget &&
		       (ret = vmeta_vq_get_chain(vq, &d->chain)) == 1) {
			d->used[n].id = cpu_to_le32(d->chain.head);
			d->used[n].len = 0;
			n++;
		}
		if (n && !vmeta_vq_add_used_n(vq, d->used, n) &&
		    vmeta_vq_need_notify(vq))
			d->signals++;
		vmeta_vq_end(vq);
		done += n;
		if (ret == 1)
			ret = 0;
		else if (ret == 0)
			break;
	}
	return ret < 0 ? ret : done;
}
