// SPDX-License-Identifier: GPL-2.0
/*
 * vhost_answers: the same invalid (and a few valid) calls against
 * whichever /dev/vhost-test is loaded, the stock vhost_test.ko or
 * vmeta.ko, one line per case:
 *
 *	case=<name> errno=<ENAME>		(0 when the call succeeded)
 *	case=ring.<name> err=<0|1> used=<n> then=... fresh=<ok|bad>
 *
 * scripts/kcheck.sh compares the two lists case by case.  Nothing here
 * judges an answer: the stock module is the reference.  Each case opens
 * a fresh fd.  The last line is "answers end cases=<n>".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/vhost.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>

#define TEST_RUN		_IOW(VHOST_VIRTIO, 0x31, int)
#define TEST_SET_BACKEND	_IOW(VHOST_VIRTIO, 0x32, int)
#define UNKNOWN_IOCTL		_IOW(VHOST_VIRTIO, 0x7e, int)
#define NUM			8
#define KADDR			0xffff888000000000ULL
#define AREA			(64 * 1024)
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

static int ncases;

static const char *ename(int e)
{
	const char *n = e ? strerrorname_np(e) : "0";

	return n ? n : "E?";
}

static void say(const char *name, int err)
{
	printf("case=%s errno=%s\n", name, ename(-err));
	fflush(stdout);
	ncases++;
}

static int io(int fd, unsigned long cmd, const void *arg)
{
	return ioctl(fd, cmd, arg) < 0 ? -errno : 0;
}

static int io_int(int fd, unsigned long cmd, int v)
{
	return io(fd, cmd, &v);
}

static int io_state(int fd, unsigned long cmd, unsigned int idx,
		    unsigned int num)
{
	struct vhost_vring_state s = { .index = idx, .num = num };

	return io(fd, cmd, &s);
}

static int io_file(int fd, unsigned long cmd, unsigned int idx, int efd)
{
	struct vhost_vring_file f = { .index = idx, .fd = efd };

	return io(fd, cmd, &f);
}

static int io_features(int fd, uint64_t f)
{
	return io(fd, VHOST_SET_FEATURES, &f);
}

/* The device's memory: rings at the start, buffers after. */
static char *area;
static struct vring vr;

struct mem {
	struct vhost_memory m;
	struct vhost_memory_region r[66];
};

static struct mem mem1(void)
{
	struct mem m;

	memset(&m, 0, sizeof(m));
	m.m.nregions = 1;
	m.r[0].guest_phys_addr = (uintptr_t)area;
	m.r[0].userspace_addr = (uintptr_t)area;
	m.r[0].memory_size = AREA;
	return m;
}

static struct vhost_vring_addr addr_ok(void)
{
	struct vhost_vring_addr a = {
		.desc_user_addr = (uintptr_t)vr.desc,
		.avail_user_addr = (uintptr_t)vr.avail,
		.used_user_addr = (uintptr_t)vr.used,
	};

	return a;
}

static int dev_open(void)
{
	int fd = open("/dev/vhost-test", O_RDWR);

	if (fd < 0) {
		perror("open /dev/vhost-test");
		exit(2);
	}
	return fd;
}

static int owned(void)
{
	int fd = dev_open();

	if (io(fd, VHOST_SET_OWNER, NULL))
		exit(3);
	return fd;
}

struct efds {
	int kick, call, err;
};

static struct efds efds;

/* What setup() leaves out. */
#define NO_MEM		1
#define NO_NUM		2
#define NO_ADDR		4

/* An owned fd, its queue configured as virtio_test does it. */
static int setup(int fd, int skip)
{
	uint64_t features = (1ULL << VIRTIO_RING_F_INDIRECT_DESC) |
			    (1ULL << VIRTIO_F_VERSION_1);
	struct vhost_vring_addr a = addr_ok();
	struct mem m = mem1();
	int r = 0;

	memset(area, 0, 4 * 4096);
	vring_init(&vr, NUM, area, 4096);
	r = r ?: io_features(fd, features);
	if (!(skip & NO_MEM))
		r = r ?: io(fd, VHOST_SET_MEM_TABLE, &m);
	if (!(skip & NO_NUM))
		r = r ?: io_state(fd, VHOST_SET_VRING_NUM, 0, NUM);
	r = r ?: io_state(fd, VHOST_SET_VRING_BASE, 0, 0);
	if (!(skip & NO_ADDR))
		r = r ?: io(fd, VHOST_SET_VRING_ADDR, &a);
	r = r ?: io_file(fd, VHOST_SET_VRING_KICK, 0, efds.kick);
	r = r ?: io_file(fd, VHOST_SET_VRING_CALL, 0, efds.call);
	r = r ?: io_file(fd, VHOST_SET_VRING_ERR, 0, efds.err);
	if (r) {
		fprintf(stderr, "setup: %s\n", ename(-r));
		exit(4);
	}
	return fd;
}

static int configured(void)
{
	return setup(owned(), 0);
}

static int running(void)
{
	int fd = configured();

	if (io_int(fd, TEST_RUN, 1))
		exit(5);
	return fd;
}

/* ---- calls on a fresh fd, and from a forked child ------------------- */

/* Every ioctl of the ABI once, with a plausible argument. */
static void each_ioctl(const char *prefix, int fd)
{
	struct vhost_vring_addr a = addr_ok();
	struct mem m = mem1();
	uint64_t f = 0;
	char name[64];

#define ONE(n, call) do {						\
		snprintf(name, sizeof(name), "%s.%s", prefix, n);	\
		say(name, call);					\
	} while (0)
	ONE("get_features", io(fd, VHOST_GET_FEATURES, &f));
	ONE("set_features", io_features(fd, 0));
	ONE("set_mem_table", io(fd, VHOST_SET_MEM_TABLE, &m));
	ONE("set_vring_num", io_state(fd, VHOST_SET_VRING_NUM, 0, NUM));
	ONE("set_vring_base", io_state(fd, VHOST_SET_VRING_BASE, 0, 0));
	ONE("get_vring_base", io_state(fd, VHOST_GET_VRING_BASE, 0, 0));
	ONE("set_vring_addr", io(fd, VHOST_SET_VRING_ADDR, &a));
	ONE("set_vring_kick", io_file(fd, VHOST_SET_VRING_KICK, 0, efds.kick));
	ONE("set_vring_call", io_file(fd, VHOST_SET_VRING_CALL, 0, efds.call));
	ONE("set_vring_err", io_file(fd, VHOST_SET_VRING_ERR, 0, efds.err));
	ONE("test_run0", io_int(fd, TEST_RUN, 0));
	ONE("test_run1", io_int(fd, TEST_RUN, 1));
	ONE("test_run2", io_int(fd, TEST_RUN, 2));
	ONE("set_backend", io_file(fd, TEST_SET_BACKEND, 0, 1));
	ONE("unknown", io_state(fd, UNKNOWN_IOCTL, 0, 0));
	ONE("reset_owner", io(fd, VHOST_RESET_OWNER, NULL));
	ONE("set_owner", io(fd, VHOST_SET_OWNER, NULL));
#undef ONE
}

static void pre_owner(void)
{
	int fd = dev_open();

	each_ioctl("pre", fd);	/* its last call, SET_OWNER, succeeds */
	close(fd);
}

/* Each ioctl from a forked child on the owner's running fd. */
static void child(void)
{
	int fd = running();
	int st;

	fflush(stdout);
	if (!fork()) {
		each_ioctl("child", fd);
		fflush(stdout);
		_exit(0);
	}
	wait(&st);
	ncases += 17;
	close(fd);
}

static void owner(void)
{
	int fd = dev_open();

	say("owner.first", io(fd, VHOST_SET_OWNER, NULL));
	say("owner.second", io(fd, VHOST_SET_OWNER, NULL));
	say("owner.reset", io(fd, VHOST_RESET_OWNER, NULL));
	say("owner.again", io(fd, VHOST_SET_OWNER, NULL));
	say("owner.reset_running", (close(fd), fd = running(),
				    io(fd, VHOST_RESET_OWNER, NULL)));
	close(fd);
	/* H bug 5: after RESET_OWNER, a run without a memory table. */
	fd = running();
	io(fd, VHOST_RESET_OWNER, NULL);
	io(fd, VHOST_SET_OWNER, NULL);
	setup(fd, NO_MEM);
	say("owner.run_after_reset_no_mem", io_int(fd, TEST_RUN, 1));
	close(fd);
}

/* ---- features ---------------------------------------------------------- */

static void features(void)
{
	const struct { const char *name; uint64_t f; } c[] = {
		{ "feat.none", 0 },
		{ "feat.event_idx", 1ULL << VIRTIO_RING_F_EVENT_IDX },
		{ "feat.offered", (1ULL << VIRTIO_F_NOTIFY_ON_EMPTY) |
			(1ULL << VIRTIO_RING_F_INDIRECT_DESC) |
			(1ULL << VIRTIO_RING_F_EVENT_IDX) |
			(1ULL << VIRTIO_F_ANY_LAYOUT) |
			(1ULL << VIRTIO_F_VERSION_1) },
		{ "feat.log_all", 1ULL << VHOST_F_LOG_ALL },
		{ "feat.access_platform", 1ULL << VIRTIO_F_ACCESS_PLATFORM },
		{ "feat.packed", 1ULL << VIRTIO_F_RING_PACKED },
		{ "feat.bit63", 1ULL << 63 },
	};
	uint64_t got = 0;
	unsigned int i;
	int fd;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		fd = owned();
		say(c[i].name, io_features(fd, c[i].f));
		close(fd);
	}
	fd = owned();
	say("feat.set_null", io(fd, VHOST_SET_FEATURES, NULL));
	say("feat.get_null", io(fd, VHOST_GET_FEATURES, NULL));
	io(fd, VHOST_GET_FEATURES, &got);
	/* The offered set, as a case of its own. */
	printf("case=feat.offered_set value=%#llx\n",
	       (unsigned long long)got);
	ncases++;
	close(fd);
	fd = running();
	say("feat.while_running", io_features(fd, 0));
	close(fd);
}

/* ---- memory tables --------------------------------------------------------- */

static void mem_case(const char *name, struct mem *m, int run_first)
{
	int fd = run_first ? running() : owned();

	say(name, io(fd, VHOST_SET_MEM_TABLE, m));
	close(fd);
}

static void mem_tables(void)
{
	struct mem m;
	unsigned int i;
	char *edge;
	int fd;

	fd = owned();
	say("mem.null", io(fd, VHOST_SET_MEM_TABLE, NULL));
	close(fd);
	m = mem1();
	mem_case("mem.one", &m, 0);
	m.m.nregions = 0;
	mem_case("mem.none", &m, 0);
	m = mem1();
	for (i = 0; i < 65; i++)
		m.r[i] = m.r[0];
	m.m.nregions = 64;
	mem_case("mem.64_regions", &m, 0);
	m.m.nregions = 65;
	mem_case("mem.65_regions", &m, 0);
	m.m.nregions = 0xffffffff;
	mem_case("mem.huge_count", &m, 0);
	m = mem1();
	m.m.padding = 1;
	mem_case("mem.padding", &m, 0);
	m = mem1();
	m.r[0].flags_padding = 1;
	mem_case("mem.region_padding", &m, 0);
	m = mem1();
	m.r[0].guest_phys_addr = 0;
	m.r[0].memory_size = 0;
	mem_case("mem.size0_at_0", &m, 0);
	m.r[0].guest_phys_addr = 4096;
	mem_case("mem.size0_elsewhere", &m, 0);
	m.r[0].guest_phys_addr = ~0ULL - 100;
	m.r[0].memory_size = 4096;
	mem_case("mem.gpa_wraps", &m, 0);
	m.r[0].guest_phys_addr = 0ULL - 4096;
	mem_case("mem.gpa_ends_at_top", &m, 0);
	m = mem1();
	m.m.nregions = 2;
	m.r[1] = m.r[0];
	m.r[1].guest_phys_addr += 4096;
	mem_case("mem.overlap", &m, 0);
	m = mem1();
	m.r[0].userspace_addr = KADDR;
	mem_case("mem.kernel_uaddr", &m, 0);
	mem_case("mem.kernel_uaddr_running", &m, 1);
	m.r[0].userspace_addr = ~0ULL - 100;
	mem_case("mem.uaddr_wraps", &m, 0);
	mem_case("mem.uaddr_wraps_running", &m, 1);
	m = mem1();
	mem_case("mem.one_running", &m, 1);
	/* The region array runs into an unmapped page. */
	edge = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(edge + 4096, 4096);
	memcpy(edge + 4096 - sizeof(m.m) - sizeof(m.r[0]), &m,
	       sizeof(m.m) + sizeof(m.r[0]));
	((struct vhost_memory *)(edge + 4096 - sizeof(m.m) -
				 sizeof(m.r[0])))->nregions = 2;
	fd = owned();
	say("mem.regions_unreadable",
	    io(fd, VHOST_SET_MEM_TABLE,
	       edge + 4096 - sizeof(m.m) - sizeof(m.r[0])));
	close(fd);
	munmap(edge, 4096);
	fd = setup(owned(), NO_MEM);
	say("mem.run_without", io_int(fd, TEST_RUN, 1));
	close(fd);
}

/* ---- ring size, base, queue index ------------------------------------------ */

static void vring_state(void)
{
	const unsigned int nums[] = { 0, 1, 3, 24, 0x8000, 0x10000, ~0U };
	const unsigned long cmds[] = {
		VHOST_SET_VRING_NUM, VHOST_SET_VRING_BASE,
		VHOST_GET_VRING_BASE, VHOST_SET_VRING_ADDR,
		VHOST_SET_VRING_KICK, VHOST_SET_VRING_CALL,
		VHOST_SET_VRING_ERR, TEST_SET_BACKEND, UNKNOWN_IOCTL,
	};
	static const char *const names[] = { "set_vring_num", "set_vring_base",
		"get_vring_base", "set_vring_addr", "set_vring_kick",
		"set_vring_call", "set_vring_err", "set_backend", "unknown" };
	struct vhost_vring_addr a = addr_ok();
	char name[64];
	unsigned int i;
	int fd;

	for (i = 0; i < ARRAY_SIZE(nums); i++) {
		fd = owned();
		snprintf(name, sizeof(name), "num.%#x", nums[i]);
		say(name, io_state(fd, VHOST_SET_VRING_NUM, 0, nums[i]));
		close(fd);
	}
	fd = running();
	say("num.while_running", io_state(fd, VHOST_SET_VRING_NUM, 0, NUM));
	say("base.while_running",
	    io_state(fd, VHOST_SET_VRING_BASE, 0, 0));
	say("get_base.while_running",
	    io_state(fd, VHOST_GET_VRING_BASE, 0, 0));
	say("addr.while_running", io(fd, VHOST_SET_VRING_ADDR, &a));
	a.used_user_addr = KADDR;
	say("addr.kernel_while_running", io(fd, VHOST_SET_VRING_ADDR, &a));
	close(fd);
	fd = setup(owned(), NO_NUM);
	say("num.run_unset", io_int(fd, TEST_RUN, 1));
	close(fd);

	fd = owned();
	say("base.0xffff", io_state(fd, VHOST_SET_VRING_BASE, 0, 0xffff));
	say("base.0x10000", io_state(fd, VHOST_SET_VRING_BASE, 0, 0x10000));
	say("base.null", io(fd, VHOST_SET_VRING_BASE, NULL));
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		snprintf(name, sizeof(name), "index1.%s", names[i]);
		say(name, io_file(fd, cmds[i], 1, efds.kick));
		snprintf(name, sizeof(name), "index_max.%s", names[i]);
		say(name, io_file(fd, cmds[i], ~0U, efds.kick));
		snprintf(name, sizeof(name), "null.%s", names[i]);
		say(name, io(fd, cmds[i], NULL));
	}
	close(fd);
}

/* ---- ring addresses ----------------------------------------------------------- */

static void addr_case(const char *name, struct vhost_vring_addr *a, int run)
{
	int fd = configured();
	int r = io(fd, VHOST_SET_VRING_ADDR, a);

	if (run && !r)
		r = io_int(fd, TEST_RUN, 1);
	say(name, r);
	close(fd);
}

static void ring_addresses(void)
{
	struct vhost_vring_addr a;
	char *outside, *ro;

	a = addr_ok();
	addr_case("addr.ok", &a, 1);
	a.desc_user_addr += 1;
	addr_case("addr.desc_plus1", &a, 1);
	a.desc_user_addr += 7;
	addr_case("addr.desc_plus8", &a, 1);
	a = addr_ok();
	a.avail_user_addr += 1;
	addr_case("addr.avail_odd", &a, 0);
	a = addr_ok();
	a.used_user_addr += 2;
	addr_case("addr.used_plus2", &a, 0);
	a = addr_ok();
	a.log_guest_addr = 2;
	addr_case("addr.log_misaligned", &a, 0);
	a = addr_ok();
	a.flags = 1 << VHOST_VRING_F_LOG;
	addr_case("addr.flag_log", &a, 0);
	a.flags = 2;
	addr_case("addr.flag_unknown", &a, 0);
	a.flags = ~0U;
	addr_case("addr.flags_all", &a, 0);
	a = addr_ok();
	a.desc_user_addr = KADDR;
	addr_case("addr.desc_kernel", &a, 0);
	addr_case("addr.desc_kernel_run", &a, 1);
	a = addr_ok();
	a.used_user_addr = KADDR;
	addr_case("addr.used_kernel_run", &a, 1);
	a = addr_ok();
	a.avail_user_addr = ~0ULL - 1;
	addr_case("addr.avail_wraps_run", &a, 1);
	a = addr_ok();
	a.used_user_addr = 0;
	addr_case("addr.used_null_run", &a, 1);
	a = addr_ok();
	a.desc_user_addr = a.avail_user_addr = a.used_user_addr = 0;
	addr_case("addr.all_null_run", &a, 1);
	/* Rings in memory outside every region of the table. */
	outside = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	a.desc_user_addr = (uintptr_t)outside;
	a.avail_user_addr = (uintptr_t)outside + NUM * 16;
	a.used_user_addr = (uintptr_t)outside + 4096;
	addr_case("addr.outside_mem_table_run", &a, 1);
	/* An unmapped used ring; a read-only one. */
	munmap(outside + 4096, 4096);
	addr_case("addr.used_unmapped_run", &a, 1);
	ro = mmap(outside + 4096, 4096, PROT_READ,
		  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (ro != MAP_FAILED)
		addr_case("addr.used_readonly_run", &a, 1);
	munmap(outside, 4 * 4096);
}

/* ---- eventfds ------------------------------------------------------------------- */

static void fds(void)
{
	const unsigned long cmds[] = { VHOST_SET_VRING_KICK,
		VHOST_SET_VRING_CALL, VHOST_SET_VRING_ERR };
	static const char *const names[] = { "kick", "call", "err" };
	int pipefd[2], closed, fd;
	char name[64];
	unsigned int i;

	if (pipe(pipefd))
		exit(6);
	closed = eventfd(0, 0);
	close(closed);
	for (i = 0; i < 3; i++) {
		fd = owned();
#define FD(what, efd) do {						\
		snprintf(name, sizeof(name), "fd.%s.%s", names[i], what); \
		say(name, io_file(fd, cmds[i], 0, efd));		\
	} while (0)
		FD("eventfd", efds.kick);
		FD("same_again", efds.kick);
		FD("closed", closed);
		FD("pipe", pipefd[0]);
		FD("stdin", 0);
		FD("unbind", -1);
		FD("minus2", -2);
		FD("huge", 1 << 30);
#undef FD
		close(fd);
	}
	fd = running();
	say("fd.kick.closed_running",
	    io_file(fd, VHOST_SET_VRING_KICK, 0, closed));
	say("fd.kick.unbind_running",
	    io_file(fd, VHOST_SET_VRING_KICK, 0, -1));
	say("fd.kick.rebind_running",
	    io_file(fd, VHOST_SET_VRING_KICK, 0, efds.kick));
	close(fd);
	close(pipefd[0]);
	close(pipefd[1]);
}

/* ---- VHOST_TEST_RUN, VHOST_TEST_SET_BACKEND, unknown ioctls ---------------- */

static void run_backend(void)
{
	const int vals[] = { 2, -1, 0x7fffffff };
	struct vhost_vring_file f = { .index = 0, .fd = -1 };
	char name[64];
	unsigned int i;
	int fd;

	fd = owned();
	for (i = 0; i < ARRAY_SIZE(vals); i++) {
		snprintf(name, sizeof(name), "run.%d", vals[i]);
		say(name, io_int(fd, TEST_RUN, vals[i]));
	}
	say("run.null", io(fd, TEST_RUN, NULL));
	say("run.0_unconfigured", io_int(fd, TEST_RUN, 0));
	say("run.1_unconfigured", io_int(fd, TEST_RUN, 1));
	say("backend.unconfigured", io(fd, TEST_SET_BACKEND, &f));
	say("backend.null", io(fd, TEST_SET_BACKEND, NULL));
	close(fd);
	fd = configured();
	say("run.0_configured", io_int(fd, TEST_RUN, 0));
	say("run.1_configured", io_int(fd, TEST_RUN, 1));
	say("run.1_again", io_int(fd, TEST_RUN, 1));
	say("run.2_running", io_int(fd, TEST_RUN, 2));
	say("backend.disable", io(fd, TEST_SET_BACKEND, &f));
	say("backend.disable_again", io(fd, TEST_SET_BACKEND, &f));
	f.fd = 7;
	say("backend.enable", io(fd, TEST_SET_BACKEND, &f));
	say("run.0_running", io_int(fd, TEST_RUN, 0));
	close(fd);

	fd = owned();
	say("unknown.index0", io_state(fd, UNKNOWN_IOCTL, 0, 0));
	say("unknown.index1", io_state(fd, UNKNOWN_IOCTL, 1, 0));
	say("unknown.null", io(fd, UNKNOWN_IOCTL, NULL));
	say("unknown.other_type", io_state(fd, _IO('T', 0x01), 0, 0));
	say("unknown.vhost_get_backend_features",
	    io_state(fd, VHOST_GET_BACKEND_FEATURES, 0, 0));
	say("unknown.vhost_set_log_base", io_state(fd, VHOST_SET_LOG_BASE,
						   0, 0));
	say("unknown.vhost_set_log_fd", io_state(fd, VHOST_SET_LOG_FD,
						 ~0U, 0));
	say("unknown.vhost_get_vring_busyloop",
	    io_state(fd, VHOST_GET_VRING_BUSYLOOP_TIMEOUT, 0, 0));
	io_state(fd, VHOST_SET_VRING_BUSYLOOP_TIMEOUT, 0, 77);
	{
		struct vhost_vring_state st = { 0 };

		io(fd, VHOST_GET_VRING_BUSYLOOP_TIMEOUT, &st);
		printf("case=busyloop.set_then_get value=%u\n", st.num);
		ncases++;
	}
	say("unknown.vhost_set_vring_endian",
	    io_state(fd, VHOST_SET_VRING_ENDIAN, 0, 0));
	say("unknown.vhost_new_worker", io_state(fd, _IOR(VHOST_VIRTIO,
							  0x8, int), 0, 0));
	close(fd);
}

/* ---- malformed rings ---------------------------------------------------------- */

/* Which of @a, @b fired within @ms (bit 0, bit 1); read back to zero. */
static int fired(int a, int b, int ms)
{
	struct pollfd p[2] = { { .fd = a, .events = POLLIN },
			       { .fd = b, .events = POLLIN } };
	uint64_t v;
	int got = 0;

	if (poll(p, 2, ms) > 0) {
		usleep(100000);		/* let the other one come too */
		poll(p, 2, 0);
	}
	if ((p[0].revents & POLLIN) && read(a, &v, 8) == 8)
		got |= 1;
	if ((p[1].revents & POLLIN) && read(b, &v, 8) == 8)
		got |= 2;
	return got;
}

static uint16_t used_idx(void)
{
	return __atomic_load_n(&vr.used->idx, __ATOMIC_ACQUIRE);
}

static void kick(void)
{
	uint64_t one = 1;

	if (write(efds.kick, &one, 8) != 8)
		exit(7);
}

static void publish(uint16_t head)
{
	uint16_t idx = vr.avail->idx;

	vr.avail->ring[idx % NUM] = head;
	__atomic_store_n(&vr.avail->idx, idx + 1, __ATOMIC_RELEASE);
}

/* A good one-descriptor buffer in descriptor @d. */
static void good(unsigned int d)
{
	vr.desc[d].addr = (uintptr_t)area + 8 * 4096 + d * 256;
	vr.desc[d].len = 64;
	vr.desc[d].flags = 0;
	vr.desc[d].next = 0;
}

enum bad {
	BAD_NONE, BAD_HEAD, BAD_OUTSIDE, BAD_PAST_END, BAD_NEXT, BAD_LOOP,
	BAD_IND_LEN, BAD_IND_NESTED, BAD_IND_NEXT, BAD_IND_EMPTY,
	BAD_IND_LONGER, BAD_IND_PAST,
	BAD_AVAIL_JUMP, BAD_ZERO_LEN, BAD_WRITABLE, BAD_ADDR_WRAP,
};

/* Lay out the malformed chain in descriptor 0 (and 1); its head. */
static unsigned int malform(enum bad b)
{
	struct vring_desc *ind = (void *)(area + 12 * 4096);

	good(0);
	good(1);
	switch (b) {
	case BAD_NONE:
		break;
	case BAD_HEAD:
		return NUM + 3;
	case BAD_OUTSIDE:
		vr.desc[0].addr = (uintptr_t)area + 2 * AREA;
		break;
	case BAD_PAST_END:
		vr.desc[0].addr = (uintptr_t)area + AREA - 32;
		break;
	case BAD_ADDR_WRAP:
		vr.desc[0].addr = ~0ULL - 8;
		break;
	case BAD_NEXT:
		vr.desc[0].flags = VRING_DESC_F_NEXT;
		vr.desc[0].next = NUM + 1;
		break;
	case BAD_LOOP:
		vr.desc[0].flags = VRING_DESC_F_NEXT;
		vr.desc[0].next = 1;
		vr.desc[1].flags = VRING_DESC_F_NEXT;
		vr.desc[1].next = 0;
		break;
	case BAD_IND_LEN:
	case BAD_IND_NESTED:
	case BAD_IND_NEXT:
	case BAD_IND_EMPTY:
	case BAD_IND_LONGER:
	case BAD_IND_PAST:
		/* A table of two chained entries, 32 bytes. */
		memset(ind, 0, 64);
		ind[0].addr = (uintptr_t)area + 9 * 4096;
		ind[0].len = 64;
		ind[0].flags = VRING_DESC_F_NEXT;
		ind[0].next = 1;
		ind[1] = ind[0];
		ind[1].flags = 0;
		vr.desc[0].addr = (uintptr_t)ind;
		vr.desc[0].len = 32;
		vr.desc[0].flags = VRING_DESC_F_INDIRECT;
		if (b == BAD_IND_LEN)
			vr.desc[0].len = 17;
		if (b == BAD_IND_EMPTY)
			vr.desc[0].len = 0;
		if (b == BAD_IND_NESTED)
			ind[1].flags = VRING_DESC_F_INDIRECT;
		/* Entries after the chain's end: not part of it. */
		if (b == BAD_IND_LONGER) {
			ind[0].flags = 0;
			ind[1].flags = VRING_DESC_F_INDIRECT;
			ind[2].addr = ~0ULL;
			vr.desc[0].len = 64;
		}
		if (b == BAD_IND_PAST)
			ind[1].flags = VRING_DESC_F_NEXT;
		if (b == BAD_IND_NEXT)
			vr.desc[0].flags |= VRING_DESC_F_NEXT;
		break;
	case BAD_ZERO_LEN:
		vr.desc[0].len = 0;
		break;
	case BAD_WRITABLE:
		vr.desc[0].flags = VRING_DESC_F_WRITE;
		break;
	case BAD_AVAIL_JUMP:
		break;
	}
	return 0;
}

static void ring_case(const char *name, enum bad b)
{
	int fd = running(), f1, f2, ok;
	uint16_t u0, u1;
	unsigned int head = malform(b);

	if (b == BAD_AVAIL_JUMP)
		vr.avail->idx += NUM + 1;
	publish(head);
	kick();
	f1 = fired(efds.err, efds.call, 2000);
	u0 = used_idx();
	/* Then a good buffer in descriptor 2, and a kick. */
	good(2);
	publish(2);
	kick();
	f2 = fired(efds.err, efds.call, 2000);
	u1 = used_idx();
	close(fd);
	/* The kernel is still healthy: a fresh fd serves a buffer. */
	fd = running();
	good(0);
	publish(0);
	kick();
	ok = (fired(efds.err, efds.call, 2000) & 2) && used_idx() == 1;
	close(fd);
	printf("case=ring.%s err=%d used=%u then_err=%d then_used=%u "
	       "fresh=%s\n", name, f1 & 1, u0, f2 & 1, u1, ok ? "ok" : "bad");
	fflush(stdout);
	ncases++;
}

static void rings(void)
{
	ring_case("good", BAD_NONE);
	ring_case("head_out_of_range", BAD_HEAD);
	ring_case("buffer_outside_mem_table", BAD_OUTSIDE);
	ring_case("buffer_past_region_end", BAD_PAST_END);
	ring_case("buffer_addr_wraps", BAD_ADDR_WRAP);
	ring_case("next_out_of_range", BAD_NEXT);
	ring_case("chain_loop", BAD_LOOP);
	ring_case("indirect_len_17", BAD_IND_LEN);
	ring_case("indirect_len_0", BAD_IND_EMPTY);
	ring_case("indirect_nested", BAD_IND_NESTED);
	ring_case("indirect_and_next", BAD_IND_NEXT);
	ring_case("indirect_table_longer_than_chain", BAD_IND_LONGER);
	ring_case("indirect_chain_past_table", BAD_IND_PAST);
	ring_case("avail_idx_jump", BAD_AVAIL_JUMP);
	ring_case("zero_len", BAD_ZERO_LEN);
	ring_case("device_writable", BAD_WRITABLE);
}

int main(void)
{
	area = mmap(NULL, AREA, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (area == MAP_FAILED)
		return 2;
	vring_init(&vr, NUM, area, 4096);
	efds.kick = eventfd(0, EFD_NONBLOCK);
	efds.call = eventfd(0, EFD_NONBLOCK);
	efds.err = eventfd(0, EFD_NONBLOCK);
	pre_owner();
	owner();
	child();
	features();
	mem_tables();
	vring_state();
	ring_addresses();
	fds();
	run_backend();
	rings();
	printf("answers end cases=%d\n", ncases);
	return 0;
}
