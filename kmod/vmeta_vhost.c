// SPDX-License-Identifier: GPL-2.0
/*
 * vmeta.ko: /dev/vhost-test.
 *
 * The ioctl ABI that Linux's tools/virtio/virtio_test drives, with the
 * semantics of the stock drivers/vhost/test.c (one queue, every chain
 * returned with length 0), over core/'s split-ring engine (vmeta_vq),
 * its metadata strategies (vmeta_meta) and its test device
 * (vmeta_dev_test).  Differences from the stock device are listed in
 * README.md ("The vhost-test device").
 *
 * One file descriptor is one device.  VHOST_SET_OWNER takes a reference
 * on the caller's address space (mmget) and starts the device's worker,
 * a kthread that adopts that mm once with kthread_use_mm() and then
 * sleeps until a kick.  A kthread rather than a workqueue item: the mm
 * switch happens once per owner instead of once per kick, the queue is
 * served by one schedulable task that the owner's administrator can see
 * and pin ("vmeta-<pid>"), and no shared worker pool is held up by a
 * guest that keeps the queue busy.  It is also what vhost itself did
 * until 6.4.
 *
 * The kick eventfd is polled with a wait-queue entry of our own: its
 * wake function sets a bit and wakes the worker.  Like vhost, the kick
 * counter is never read, so re-arming the poll on a counter that is not
 * zero runs the worker at once.
 *
 * Locking: vmeta_vhost::mutex serialises every ioctl, the worker's
 * handling of the queue, and the debugfs reader.  The engine (struct
 * vmeta_vq) is only touched with it held.  The wake function runs under
 * the eventfd's wait-queue lock and touches only vmeta_worker::pending
 * (atomic bit operations) and the worker's task.  Teardown stops the poll
 * (remove_wait_queue() waits out a running wake function) before it stops
 * the worker, and stops the worker (kthread_stop(), without the mutex,
 * which the worker may be waiting for) before it drops the mm.
 */
#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kthread.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/sched/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vhost.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>
#include <linux/wait.h>
#include "vmeta_dev.h"
#include "vmeta_vhost.h"

/* drivers/vhost/test.h's two ioctls, by number. */
#define VMETA_TEST_RUN		_IOW(VHOST_VIRTIO, 0x31, int)
#define VMETA_TEST_SET_BACKEND	_IOW(VHOST_VIRTIO, 0x32, int)

/*
 * What GET_FEATURES offers: vhost's set without VHOST_F_LOG_ALL (no
 * dirty logging here).
 */
#define VMETA_VHOST_FEATURES	(BIT_ULL(VIRTIO_F_NOTIFY_ON_EMPTY) |	\
				 BIT_ULL(VIRTIO_RING_F_INDIRECT_DESC) |	\
				 BIT_ULL(VIRTIO_RING_F_EVENT_IDX) |	\
				 BIT_ULL(VIRTIO_F_ANY_LAYOUT) |		\
				 BIT_ULL(VIRTIO_F_VERSION_1))

/* Chains served per turn before the worker requeues itself (test.c's). */
#define VMETA_VHOST_BUDGET	256

#define VMETA_WORK_PENDING	0

int vmeta_default_strategy = VMETA_KMAP;

struct vmeta_vhost;

/*
 * The worker of one owner.  Set up by SET_OWNER before the device points
 * to it and unchanged until vmeta_worker_destroy(), except @pending.
 */
struct vmeta_worker {
	struct task_struct *task;
	struct vmeta_vhost *v;
	struct mm_struct *mm;		/* SET_OWNER's mmget, put after stop */
	unsigned long pending;		/* VMETA_WORK_*, atomic bitops */
};

/* vmeta_vhost::mutex */
struct vmeta_vhost_stats {
	u64 wakeups;			/* turns of the worker that ran */
	u64 calls;			/* call eventfd signals */
	u64 errors;			/* error eventfd signals */
	u64 starts;			/* queue starts */
};

/* One open /dev/vhost-test. */
struct vmeta_vhost {
	struct mutex mutex;
	/* mutex; NULL: no owner.  Read locklessly by vmeta_kick_wake(). */
	struct vmeta_worker *worker;
	struct mm_struct *mm;		/* mutex; the owner's, == worker->mm */
	struct vmeta_memtable *mem;	/* mutex; NULL until SET_MEM_TABLE */
	u64 features;			/* mutex; acked */

	/* The queue's configuration: mutex. */
	unsigned int num;
	u16 base;			/* next avail entry while stopped */
	u64 desc, avail, used;		/* user addresses */
	struct eventfd_ctx *call, *err;
	struct file *kick;
	u32 busyloop;			/* stored and returned, never used */

	/* Polling the kick eventfd: mutex, and the kick's wait-queue lock. */
	wait_queue_entry_t kick_wait;
	poll_table kick_pt;
	wait_queue_head_t *kick_wqh;	/* non-NULL while polling */
	atomic_long_t kicks;		/* wake-ups seen by the poll */

	/* The running queue: mutex. */
	bool running;
	bool saved;			/* running at the last SET_BACKEND -1 */
	enum vmeta_strategy strategy;	/* of the running queue */
	struct vmeta_vq vq;
	struct vmeta_dev_test dev;
	struct vmeta_vhost_stats stats;

	struct dentry *dbg;		/* set at open, removed at release */
};

/* Module-wide totals, folded in when a queue stops: debugfs "totals". */
static struct {
	atomic64_t starts, chains, calls, errors, batches, hits, fallbacks;
	atomic64_t invalidations, remaps;
} vmeta_totals;

static struct dentry *vmeta_dbg_root;
static atomic_t vmeta_ids = ATOMIC_INIT(0);

static void vmeta_signal(struct eventfd_ctx *ctx)
{
	if (ctx)
		vmeta_eventfd_signal(ctx);
}

/* Is the caller the owner?  0 or -EPERM. */
static int vmeta_check_owner(struct vmeta_vhost *v)
{
	return v->mm && v->mm == current->mm ? 0 : -EPERM;
}

/* ---- the worker ------------------------------------------------------ */

static void vmeta_queue_work(struct vmeta_worker *w)
{
	set_bit(VMETA_WORK_PENDING, &w->pending);
	wake_up_process(w->task);
}

/* The queue broke: say why once, tell the guest on every kick. */
static void vmeta_report_broken(struct vmeta_vhost *v)
{
	if (!v->stats.errors++)
		pr_warn_ratelimited("vmeta: queue of pid %d stopped: %s (%d)\n",
				    v->worker->task->pid, v->vq.why,
				    v->vq.broken);
	vmeta_signal(v->err);
}

/* One turn of the worker: serve the queue until empty or out of budget. */
static void vmeta_handle(struct vmeta_worker *w)
{
	struct vmeta_vhost *v = w->v;
	struct vmeta_vq *vq = &v->vq;
	bool more, empty;
	u64 before;
	int n;

	mutex_lock(&v->mutex);
	if (v->worker != w || !v->running)
		goto out;
	v->stats.wakeups++;
	if (vq->broken) {
		vmeta_report_broken(v);
		goto out;
	}
	vmeta_vq_begin(vq);
	vmeta_vq_disable_notify(vq);
	vmeta_vq_end(vq);
	for (;;) {
		before = v->dev.signals;
		n = vmeta_dev_test_run(&v->dev, VMETA_VHOST_BUDGET);
		empty = n >= 0 && n < VMETA_VHOST_BUDGET;
		/* NOTIFY_ON_EMPTY: used buffers and an empty ring signal. */
		if (v->dev.signals != before ||
		    (empty && n && (v->features &
				    BIT_ULL(VIRTIO_F_NOTIFY_ON_EMPTY)))) {
			v->stats.calls++;
			vmeta_signal(v->call);
		}
		if (n < 0) {
			vmeta_report_broken(v);
			break;
		}
		if (!empty) {
			/* Let others run; come back at once. */
			set_bit(VMETA_WORK_PENDING, &w->pending);
			break;
		}
		vmeta_vq_begin(vq);
		more = vmeta_vq_enable_notify(vq);
		if (more)
			vmeta_vq_disable_notify(vq);
		vmeta_vq_end(vq);
		if (vq->broken) {
			vmeta_report_broken(v);
			break;
		}
		if (!more)
			break;
	}
out:
	mutex_unlock(&v->mutex);
}

static int vmeta_worker_fn(void *data)
{
	struct vmeta_worker *w = data;

	kthread_use_mm(w->mm);
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop())
			break;
		if (!test_and_clear_bit(VMETA_WORK_PENDING, &w->pending)) {
			schedule();
			continue;
		}
		__set_current_state(TASK_RUNNING);
		vmeta_handle(w);
		cond_resched();
	}
	__set_current_state(TASK_RUNNING);
	kthread_unuse_mm(w->mm);
	return 0;
}

/* Stop and free a worker that no device points to any more. */
static void vmeta_worker_destroy(struct vmeta_worker *w)
{
	if (!w)
		return;
	kthread_stop(w->task);
	mmput(w->mm);
	kfree(w);
}

/* ---- the kick eventfd ------------------------------------------------ */

static int vmeta_kick_wake(wait_queue_entry_t *wait, unsigned int mode,
			   int sync, void *key)
{
	struct vmeta_vhost *v = container_of(wait, struct vmeta_vhost,
					     kick_wait);
	struct vmeta_worker *w;

	if (!(key_to_poll(key) & EPOLLIN))
		return 0;
	atomic_long_inc(&v->kicks);
	/* The poll only runs while the device has an owner. */
	w = READ_ONCE(v->worker);
	if (w)
		vmeta_queue_work(w);
	return 0;
}

static void vmeta_kick_queue_proc(struct file *file, wait_queue_head_t *wqh,
				  poll_table *pt)
{
	struct vmeta_vhost *v = container_of(pt, struct vmeta_vhost, kick_pt);

	v->kick_wqh = wqh;
	add_wait_queue(wqh, &v->kick_wait);
}

static void vmeta_poll_stop(struct vmeta_vhost *v)
{
	if (v->kick_wqh) {
		remove_wait_queue(v->kick_wqh, &v->kick_wait);
		v->kick_wqh = NULL;
	}
}

static int vmeta_poll_start(struct vmeta_vhost *v)
{
	__poll_t mask;

	if (!v->kick || v->kick_wqh)
		return 0;
	mask = vfs_poll(v->kick, &v->kick_pt);
	if (mask & EPOLLIN)
		vmeta_queue_work(v->worker);
	if (mask & EPOLLERR) {
		vmeta_poll_stop(v);
		return -EINVAL;
	}
	return 0;
}

/* ---- starting and stopping the queue ---------------------------------- */

static unsigned long vmeta_ring_size(unsigned int num, int area)
{
	switch (area) {
	case VMETA_DESC:
		return sizeof(struct vring_desc) * (unsigned long)num;
	case VMETA_AVAIL:
		return 6 + 2 * (unsigned long)num;
	default:
		return 6 + sizeof(struct vring_used_elem) * (unsigned long)num;
	}
}

/* What test.c checks before it runs a queue: the memory, the rings. */
static int vmeta_access_ok(struct vmeta_vhost *v)
{
	const u64 addr[VMETA_NR_AREAS] = { v->desc, v->avail, v->used };
	const struct vmeta_memtable *mt = v->mem;
	unsigned int i;

	if (!mt || !v->num)
		return -EFAULT;
	for (i = 0; i < mt->nr; i++) {
		const struct vmeta_region *r = &mt->r[i];

		if (r->size == U64_MAX)		/* the whole space */
			continue;
		if (r->uaddr + r->size < r->uaddr ||
		    !access_ok((void __user *)(unsigned long)r->uaddr,
			       r->size))
			return -EFAULT;
	}
	for (i = 0; i < VMETA_NR_AREAS; i++)
		if (!access_ok((void __user *)(unsigned long)addr[i],
			       vmeta_ring_size(v->num, i)))
			return -EFAULT;
	return 0;
}

static int vmeta_vq_start(struct vmeta_vhost *v)
{
	struct vmeta_vq_config cfg = {
		.num = v->num,
		.features = v->features,
		.desc = v->desc,
		.avail = v->avail,
		.used = v->used,
		.strategy = READ_ONCE(vmeta_default_strategy),
		.mm = v->mm,
		.mem = v->mem,
	};
	__le16 used_idx, flags = 0;
	int ret;

	if (v->running)
		return 0;
	ret = vmeta_access_ok(v);
	if (ret)
		return ret;
	/*
	 * As vhost does at a start: the device's flags (notifications on)
	 * into the used ring, which must be writable; then where the guest
	 * left the used ring.
	 */
	if (put_user(flags, (__le16 __user *)(unsigned long)v->used) ||
	    get_user(used_idx, (__le16 __user *)(unsigned long)(v->used + 2)))
		return -EFAULT;
	ret = vmeta_vq_init(&v->vq, &cfg);
	if (ret)
		return ret;
	v->vq.last_avail_idx = v->base;
	v->vq.avail_idx = v->base;
	v->vq.last_used_idx = le16_to_cpu(used_idx);
	v->dev.vq = &v->vq;
	v->dev.signals = 0;
	v->strategy = cfg.strategy;
	v->running = true;
	v->stats.starts++;
	return 0;
}

static void vmeta_vq_stop(struct vmeta_vhost *v)
{
	struct vmeta_meta_stats *s = &v->vq.meta.stats;
	u64 fallbacks = 0;
	int i;

	if (!v->running)
		return;
	v->base = v->vq.last_avail_idx;
	spin_lock(&v->vq.meta.map_lock);
	for (i = 0; i < VMETA_NR_FALLBACKS; i++)
		fallbacks += s->fallbacks[i];
	atomic64_inc(&vmeta_totals.starts);
	atomic64_add(v->vq.chains, &vmeta_totals.chains);
	atomic64_add(s->batches, &vmeta_totals.batches);
	atomic64_add(s->hits, &vmeta_totals.hits);
	atomic64_add(fallbacks, &vmeta_totals.fallbacks);
	atomic64_add(s->invalidations, &vmeta_totals.invalidations);
	atomic64_add(s->remaps, &vmeta_totals.remaps);
	spin_unlock(&v->vq.meta.map_lock);
	atomic64_add(v->stats.calls, &vmeta_totals.calls);
	atomic64_add(v->stats.errors, &vmeta_totals.errors);
	v->stats.calls = 0;
	v->stats.errors = 0;
	vmeta_vq_destroy(&v->vq);
	v->running = false;
}

/* Forget the queue's configuration (and drop its eventfds). */
static void vmeta_vq_reset(struct vmeta_vhost *v)
{
	vmeta_poll_stop(v);
	vmeta_vq_stop(v);
	if (v->kick)
		fput(v->kick);
	if (v->call)
		eventfd_ctx_put(v->call);
	if (v->err)
		eventfd_ctx_put(v->err);
	v->kick = NULL;
	v->call = NULL;
	v->err = NULL;
	v->num = 0;
	v->base = 0;
	v->desc = 0;
	v->avail = 0;
	v->used = 0;
	v->busyloop = 0;
	v->saved = false;
	v->features = 0;
}

/*
 * Give up ownership: everything but the device itself.  Returns the
 * worker, to be destroyed by the caller once the mutex is dropped.
 */
static struct vmeta_worker *vmeta_drop_owner(struct vmeta_vhost *v)
{
	struct vmeta_worker *w = v->worker;

	vmeta_vq_reset(v);
	kfree(v->mem);
	v->mem = NULL;
	WRITE_ONCE(v->worker, NULL);
	v->mm = NULL;
	return w;
}

/* ---- ioctls ------------------------------------------------------------ */

static long vmeta_set_owner(struct vmeta_vhost *v)
{
	struct vmeta_worker *w;
	struct task_struct *task;

	if (v->mm)
		return -EBUSY;
	w = kzalloc(sizeof(*w), GFP_KERNEL);
	if (!w)
		return -ENOMEM;
	w->v = v;
	w->mm = get_task_mm(current);
	if (!w->mm) {
		kfree(w);
		return -EINVAL;
	}
	task = kthread_create(vmeta_worker_fn, w, "vmeta-%d", current->pid);
	if (IS_ERR(task)) {
		mmput(w->mm);
		kfree(w);
		return PTR_ERR(task);
	}
	w->task = task;
	WRITE_ONCE(v->worker, w);
	v->mm = w->mm;
	wake_up_process(task);
	return 0;
}

static long vmeta_set_mem_table(struct vmeta_vhost *v,
				struct vhost_memory __user *um)
{
	struct vhost_memory hdr;
	struct vhost_memory_region reg;
	struct vmeta_memtable *mt, *old;
	unsigned int i;
	long ret = -EFAULT;

	if (copy_from_user(&hdr, um, sizeof(hdr)))
		return -EFAULT;
	if (hdr.padding)
		return -EOPNOTSUPP;
	if (hdr.nregions > VMETA_MAX_REGIONS)
		return -E2BIG;
	mt = kzalloc(sizeof(*mt), GFP_KERNEL);
	if (!mt)
		return -ENOMEM;
	for (i = 0; i < hdr.nregions; i++) {
		if (copy_from_user(&reg, &um->regions[i], sizeof(reg)))
			goto err;
		if (!reg.memory_size && reg.guest_phys_addr)
			goto err;
		/* Size 0 at 0: vhost's whole 64-bit space (less a byte). */
		mt->r[i].size = reg.memory_size ?: U64_MAX;
		if (reg.guest_phys_addr + (mt->r[i].size - 1) <
		    reg.guest_phys_addr)
			goto err;
		mt->r[i].gpa = reg.guest_phys_addr;
		mt->r[i].uaddr = reg.userspace_addr;
	}
	mt->nr = hdr.nregions;
	old = v->mem;
	v->mem = mt;
	if (v->running) {
		ret = vmeta_access_ok(v);
		if (ret) {
			v->mem = old;
			goto err;
		}
		v->vq.mem = mt;
	}
	kfree(old);
	return 0;
err:
	kfree(mt);
	return ret;
}

static long vmeta_set_features(struct vmeta_vhost *v, u64 __user *up)
{
	u64 features;

	if (copy_from_user(&features, up, sizeof(features)))
		return -EFAULT;
	if (features & ~VMETA_VHOST_FEATURES)
		return -EOPNOTSUPP;
	if (vmeta_check_owner(v))
		return -EPERM;
	if (v->running)
		return -EBUSY;
	v->features = features;
	return 0;
}

static long vmeta_test_run(struct vmeta_vhost *v, int __user *up)
{
	int test, ret;

	if (get_user(test, up))
		return -EFAULT;
	if (test < 0 || test > 1)
		return -EINVAL;
	ret = vmeta_check_owner(v);
	if (!ret)
		ret = vmeta_access_ok(v);
	if (ret)
		return ret;
	if (test)
		return vmeta_vq_start(v);
	vmeta_vq_stop(v);
	return 0;
}

static long vmeta_test_set_backend(struct vmeta_vhost *v,
				   struct vhost_vring_file __user *up)
{
	struct vhost_vring_file f;
	int ret;

	if (copy_from_user(&f, up, sizeof(f)))
		return -EFAULT;
	ret = vmeta_check_owner(v);
	if (ret)
		return ret;
	if (f.index >= 1)
		return -ENOBUFS;
	ret = vmeta_access_ok(v);
	if (ret)
		return ret;
	if (f.fd == -1) {
		vmeta_poll_stop(v);
		v->saved = v->running;
		vmeta_vq_stop(v);
		return 0;
	}
	if (v->saved) {
		ret = vmeta_vq_start(v);
		if (ret)
			return ret;
	}
	return vmeta_poll_start(v);
}

static long vmeta_set_vring_addr(struct vmeta_vhost *v,
				 struct vhost_vring_addr __user *up)
{
	struct vhost_vring_addr a;

	if (copy_from_user(&a, up, sizeof(a)))
		return -EFAULT;
	if (a.flags & ~BIT(VHOST_VRING_F_LOG))
		return -EOPNOTSUPP;
	if ((a.avail_user_addr & 1) || (a.used_user_addr & 3) ||
	    (a.log_guest_addr & 3))
		return -EINVAL;
	if (v->running)
		return -EBUSY;
	v->desc = a.desc_user_addr;
	v->avail = a.avail_user_addr;
	v->used = a.used_user_addr;
	return 0;
}

/* An eventfd context from a vhost_vring_file: NULL for -1. */
static struct eventfd_ctx *vmeta_ctx_get(int fd)
{
	return fd == VHOST_FILE_UNBIND ? NULL : eventfd_ctx_fdget(fd);
}

static long vmeta_vring_ioctl(struct vmeta_vhost *v, unsigned int cmd,
			      void __user *argp)
{
	struct vhost_vring_state s;
	struct vhost_vring_file f;
	struct eventfd_ctx *ctx;
	struct file *file;
	u32 idx;

	if (get_user(idx, (u32 __user *)argp))
		return -EFAULT;
	if (idx >= 1)
		return -ENOBUFS;

	switch (cmd) {
	case VHOST_SET_VRING_NUM:
		if (v->running)
			return -EBUSY;
		if (copy_from_user(&s, argp, sizeof(s)))
			return -EFAULT;
		if (!s.num || s.num > VMETA_MAX_NUM || (s.num & (s.num - 1)))
			return -EINVAL;
		v->num = s.num;
		return 0;
	case VHOST_SET_VRING_BASE:
		if (v->running)
			return -EBUSY;
		if (copy_from_user(&s, argp, sizeof(s)))
			return -EFAULT;
		if (s.num > 0xffff)
			return -EINVAL;
		v->base = s.num;
		return 0;
	case VHOST_GET_VRING_BASE:
		s.index = idx;
		s.num = v->running ? v->vq.last_avail_idx : v->base;
		return copy_to_user(argp, &s, sizeof(s)) ? -EFAULT : 0;
	case VHOST_SET_VRING_ADDR:
		return vmeta_set_vring_addr(v, argp);
	case VHOST_SET_VRING_BUSYLOOP_TIMEOUT:
		if (copy_from_user(&s, argp, sizeof(s)))
			return -EFAULT;
		v->busyloop = s.num;
		return 0;
	case VHOST_GET_VRING_BUSYLOOP_TIMEOUT:
		s.index = idx;
		s.num = v->busyloop;
		return copy_to_user(argp, &s, sizeof(s)) ? -EFAULT : 0;
	case VHOST_SET_VRING_KICK:
		if (copy_from_user(&f, argp, sizeof(f)))
			return -EFAULT;
		file = f.fd == VHOST_FILE_UNBIND ? NULL : eventfd_fget(f.fd);
		if (IS_ERR(file))
			return PTR_ERR(file);
		if (file == v->kick) {
			if (file)
				fput(file);
			return 0;
		}
		vmeta_poll_stop(v);
		if (v->kick)
			fput(v->kick);
		v->kick = file;
		return vmeta_poll_start(v);
	case VHOST_SET_VRING_CALL:
	case VHOST_SET_VRING_ERR:
		if (copy_from_user(&f, argp, sizeof(f)))
			return -EFAULT;
		ctx = vmeta_ctx_get(f.fd);
		if (IS_ERR(ctx))
			return PTR_ERR(ctx);
		if (cmd == VHOST_SET_VRING_CALL)
			swap(ctx, v->call);
		else
			swap(ctx, v->err);
		if (ctx)
			eventfd_ctx_put(ctx);
		return 0;
	default:
		return -ENOTTY;
	}
}

static long vmeta_ioctl_locked(struct vmeta_vhost *v, unsigned int cmd,
			       void __user *argp, struct vmeta_worker **gone)
{
	u64 features = VMETA_VHOST_FEATURES;
	long ret;

	switch (cmd) {
	case VMETA_TEST_RUN:
		return vmeta_test_run(v, argp);
	case VMETA_TEST_SET_BACKEND:
		return vmeta_test_set_backend(v, argp);
	case VHOST_GET_FEATURES:
		return copy_to_user(argp, &features, sizeof(features)) ?
			-EFAULT : 0;
	case VHOST_SET_FEATURES:
		return vmeta_set_features(v, argp);
	case VHOST_SET_OWNER:
		return vmeta_set_owner(v);
	}
	ret = vmeta_check_owner(v);
	if (ret)
		return ret;
	switch (cmd) {
	case VHOST_RESET_OWNER:
		*gone = vmeta_drop_owner(v);
		return 0;
	case VHOST_SET_MEM_TABLE:
		return vmeta_set_mem_table(v, argp);
	default:
		return vmeta_vring_ioctl(v, cmd, argp);
	}
}

static long vmeta_ioctl(struct file *file, unsigned int cmd,
			unsigned long arg)
{
	struct vmeta_vhost *v = file->private_data;
	struct vmeta_worker *gone = NULL;
	long ret;

	mutex_lock(&v->mutex);
	ret = vmeta_ioctl_locked(v, cmd, (void __user *)arg, &gone);
	mutex_unlock(&v->mutex);
	/* Outside the mutex: the worker may be waiting for it. */
	vmeta_worker_destroy(gone);
	return ret;
}

/* ---- debugfs ------------------------------------------------------------ */

static int vmeta_vq_show(struct seq_file *sf, void *unused)
{
	struct vmeta_vhost *v = sf->private;
	struct vmeta_meta_stats s;
	int i;

	mutex_lock(&v->mutex);
	seq_printf(sf, "running: %d\n", v->running);
	seq_printf(sf, "strategy: %s\n", vmeta_strategy_name(v->running ?
		   v->strategy : READ_ONCE(vmeta_default_strategy)));
	seq_printf(sf, "num: %u\nfeatures: %#llx\n", v->num, v->features);
	seq_printf(sf, "kicks: %ld\n", atomic_long_read(&v->kicks));
	seq_printf(sf, "wakeups: %llu\ncalls: %llu\nerrors: %llu\n",
		   v->stats.wakeups, v->stats.calls, v->stats.errors);
	seq_printf(sf, "starts: %llu\n", v->stats.starts);
	if (v->running) {
		spin_lock(&v->vq.meta.map_lock);
		s = v->vq.meta.stats;
		spin_unlock(&v->vq.meta.map_lock);
		seq_printf(sf, "last_avail_idx: %u\nlast_used_idx: %u\n",
			   v->vq.last_avail_idx, v->vq.last_used_idx);
		seq_printf(sf, "chains: %llu\n", v->vq.chains);
		seq_printf(sf, "broken: %d %s\n", v->vq.broken,
			   v->vq.broken ? v->vq.why : "");
		seq_printf(sf, "batches: %llu\nhits: %llu\n", s.batches,
			   s.hits);
		for (i = 0; i < VMETA_NR_FALLBACKS; i++)
			seq_printf(sf, "fallback_%s: %llu\n",
				   vmeta_fallback_name(i), s.fallbacks[i]);
		seq_printf(sf, "invalidations: %llu\nretries: %llu\n",
			   s.invalidations, s.retries);
		seq_printf(sf, "remaps: %llu\n", s.remaps);
	}
	mutex_unlock(&v->mutex);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vmeta_vq);

static int vmeta_totals_show(struct seq_file *sf, void *unused)
{
	seq_printf(sf, "strategy: %s\n",
		   vmeta_strategy_name(READ_ONCE(vmeta_default_strategy)));
	seq_printf(sf, "starts: %lld\nchains: %lld\ncalls: %lld\n",
		   atomic64_read(&vmeta_totals.starts),
		   atomic64_read(&vmeta_totals.chains),
		   atomic64_read(&vmeta_totals.calls));
	seq_printf(sf, "errors: %lld\nbatches: %lld\nhits: %lld\n",
		   atomic64_read(&vmeta_totals.errors),
		   atomic64_read(&vmeta_totals.batches),
		   atomic64_read(&vmeta_totals.hits));
	seq_printf(sf, "fallbacks: %lld\ninvalidations: %lld\nremaps: %lld\n",
		   atomic64_read(&vmeta_totals.fallbacks),
		   atomic64_read(&vmeta_totals.invalidations),
		   atomic64_read(&vmeta_totals.remaps));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vmeta_totals);

/* ---- open and release ---------------------------------------------------- */

static int vmeta_open(struct inode *inode, struct file *file)
{
	struct vmeta_vhost *v;
	char name[24];

	v = kvzalloc(sizeof(*v), GFP_KERNEL);
	if (!v)
		return -ENOMEM;
	mutex_init(&v->mutex);
	init_waitqueue_func_entry(&v->kick_wait, vmeta_kick_wake);
	init_poll_funcptr(&v->kick_pt, vmeta_kick_queue_proc);
	atomic_long_set(&v->kicks, 0);
	snprintf(name, sizeof(name), "vhost-%d",
		 atomic_inc_return(&vmeta_ids));
	v->dbg = debugfs_create_dir(name, vmeta_dbg_root);
	debugfs_create_file("vq0", 0400, v->dbg, v, &vmeta_vq_fops);
	file->private_data = v;
	return 0;
}

static int vmeta_release(struct inode *inode, struct file *file)
{
	struct vmeta_vhost *v = file->private_data;
	struct vmeta_worker *w;

	debugfs_remove(v->dbg);
	mutex_lock(&v->mutex);
	w = vmeta_drop_owner(v);
	mutex_unlock(&v->mutex);
	vmeta_worker_destroy(w);
	mutex_destroy(&v->mutex);
	kvfree(v);
	return 0;
}

static const struct file_operations vmeta_fops = {
	.owner		= THIS_MODULE,
	.open		= vmeta_open,
	.release	= vmeta_release,
	.unlocked_ioctl	= vmeta_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

static struct miscdevice vmeta_misc = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "vhost-test",
	.fops	= &vmeta_fops,
};

/**
 * vmeta_vhost_register - create /dev/vhost-test and its debugfs files
 * @debugfs_root: the module's debugfs directory (an error pointer is fine)
 *
 * Context: module init, process context.  Returns 0 or the -errno of
 * misc_register() (-EBUSY when the stock vhost_test.ko is loaded).
 */
int vmeta_vhost_register(struct dentry *debugfs_root)
{
	vmeta_dbg_root = debugfs_root;
	debugfs_create_file("totals", 0400, debugfs_root, NULL,
			    &vmeta_totals_fops);
	return misc_register(&vmeta_misc);
}

/**
 * vmeta_vhost_unregister - remove /dev/vhost-test
 *
 * Context: module exit, process context; no device is open (each holds a
 * module reference).
 */
void vmeta_vhost_unregister(void)
{
	misc_deregister(&vmeta_misc);
}
