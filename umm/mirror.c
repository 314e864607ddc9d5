// SPDX-License-Identifier: GPL-2.0
/*
 * umm: user address spaces mirrored as real host mappings.
 *
 * Every lab mm owns a window of host address space, UMM_TASK_SIZE long;
 * whenever the lab installs a present PTE it maps the same memfd page at
 * window + user address, and whenever it clears or downgrades a PTE it
 * replaces that mapping.  User threads (guest drivers) and the kernel's
 * user accessors thus load and store through a real, already resolved
 * translation: one instruction, no software walk.
 *
 * A PTE that is writable but clean is mirrored read-only: the first store
 * faults and the lab sets the dirty bit, as hardware would.  So a page is
 * dirty in the lab exactly when a user store (or a kernel write through
 * uaccess) went through its PTE; a write through a kernel mapping leaves
 * it clean, as in Linux.
 *
 * A fault in a window enters the SIGSEGV handler below, which runs the
 * lab's fault handler for that mm and returns to retry the access.  If
 * the fault cannot be resolved and the instruction has an exception-table
 * entry (umm/uaccess.c), execution continues at its fixup, which returns
 * -EFAULT; otherwise the program dies, as a user process would.
 *
 * Shootdown: the host kernel's munmap/mmap of the mirror completes its
 * TLB shootdown before returning, so once the lab has replaced a mirror
 * mapping no thread can use the old translation.
 */
#include <errno.h>
#include <execinfo.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>
#include <linux/kernel.h>
#include <umm/extable.h>
#include <umm/cache.h>
#include <umm/mm.h>
#include <umm/phys.h>

/*
 * Each window is followed by a guard as large as itself that no mm ever
 * gets: an address just above the user range (a masked pointer plus an
 * offset) faults, as x86's non-canonical hole makes it fault.  16 windows
 * and guards are 512 GiB, which fits ThreadSanitizer's address layout.
 */
#define NR_WINDOWS	16
#define WINDOW_STRIDE	(2 * UMM_TASK_SIZE)

static char *arena;
static unsigned long nr_mirror_maps;	/* host mmap()s of user pages */
static struct mm_struct *windows[NR_WINDOWS];	/* window_lock */
static pthread_mutex_t window_lock = PTHREAD_MUTEX_INITIALIZER;

/* Weak: a program that has no user accessor has no table at all. */
extern const struct umm_extable_entry __start_umm_extable[] __attribute__((weak));
extern const struct umm_extable_entry __stop_umm_extable[] __attribute__((weak));

static void die(const char *what)
{
	fprintf(stderr, "umm: mirror: %s: %s\n", what, strerror(errno));
	abort();
}

static struct mm_struct *window_mm(unsigned long host)
{
	unsigned long off = host - (unsigned long)arena;

	if (!arena || host < (unsigned long)arena ||
	    off >= NR_WINDOWS * WINDOW_STRIDE)
		return NULL;
	return __atomic_load_n(&windows[off / WINDOW_STRIDE], __ATOMIC_ACQUIRE);
}

static bool extable_fixup(ucontext_t *uc)
{
	unsigned long ip = uc->uc_mcontext.gregs[REG_RIP];
	const struct umm_extable_entry *e;

	for (e = __start_umm_extable; e < __stop_umm_extable; e++) {
		if ((unsigned long)&e->insn + e->insn != ip)
			continue;
		uc->uc_mcontext.gregs[REG_RIP] =
			(unsigned long)&e->fixup + e->fixup;
		return true;
	}
	return false;
}

static void segv_handler(int sig, siginfo_t *si, void *ctx)
{
	void *trace[32];
	ucontext_t *uc = ctx;
	unsigned long host = (unsigned long)si->si_addr;
	bool write = uc->uc_mcontext.gregs[REG_ERR] & 2;
	struct mm_struct *mm = window_mm(host);
	int saved_errno = errno;

	if (mm)
		umm_cache_running_mm(mm);
	if (mm && !umm_handle_fault(mm, host - mm->mirror_base, write)) {
		errno = saved_errno;
		return;
	}
	if (extable_fixup(uc)) {
		errno = saved_errno;
		return;
	}
	if (mm)
		fprintf(stderr, "umm: unhandled %s fault at user address %#lx: "
			"outside any VMA or not permitted\n",
			write ? "write" : "read", host - mm->mirror_base);
	else
		fprintf(stderr, "umm: unhandled %s fault at %#lx\n",
			write ? "write" : "read", host);
	backtrace_symbols_fd(trace, backtrace(trace, ARRAY_SIZE(trace)), 2);
	/* Die of the fault itself: the access is retried without us. */
	signal(SIGSEGV, SIG_DFL);
}

static void install_handler(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = segv_handler;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSEGV, &sa, NULL))
		die("sigaction");
}

/*
 * 2 MiB aligned, so that a huge PMD's mirror may be a huge host mapping
 * when the direct map's memfd has huge pages (umm_direct_map_backing()).
 */
static void arena_init(void)
{
	char *p = mmap(NULL, NR_WINDOWS * WINDOW_STRIDE + PMD_SIZE, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		die("reserving the user windows");
	arena = (char *)ALIGN((unsigned long)p, PMD_SIZE);
	install_handler();
}

/**
 * umm_mirror_create - give @mm a window of host address space
 * Context: process context.  Returns 0 or -ENOMEM when all windows are
 * in use.
 */
int umm_mirror_create(struct mm_struct *mm)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	int i, ret = -ENOMEM;

	pthread_once(&once, arena_init);
	pthread_mutex_lock(&window_lock);
	for (i = 0; i < NR_WINDOWS; i++) {
		if (windows[i])
			continue;
		mm->mirror_base = (unsigned long)arena + i * WINDOW_STRIDE;
		__atomic_store_n(&windows[i], mm, __ATOMIC_RELEASE);
		ret = 0;
		break;
	}
	pthread_mutex_unlock(&window_lock);
	return ret;
}

/**
 * umm_mirror_destroy - return @mm's window, with nothing mapped in it
 * Context: the mm has no users left.
 */
void umm_mirror_destroy(struct mm_struct *mm)
{
	unsigned long i = (mm->mirror_base - (unsigned long)arena) /
			  WINDOW_STRIDE;

	umm_mirror_unmap(mm, 0, UMM_TASK_SIZE);
	pthread_mutex_lock(&window_lock);
	__atomic_store_n(&windows[i], NULL, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&window_lock);
}

/**
 * umm_mirror_map - mirror @nr pages from @pfn at user address @addr
 * Context: mm->page_table_lock held, with the PTEs just installed.
 */
void umm_mirror_map(struct mm_struct *mm, unsigned long addr,
		    unsigned long pfn, unsigned long nr, bool writable)
{
	int prot = PROT_READ | (writable ? PROT_WRITE : 0);
	void *want = (void *)(mm->mirror_base + addr);

	lockdep_assert_held(&mm->page_table_lock);
	if (mmap(want, nr << PAGE_SHIFT, prot, MAP_SHARED | MAP_FIXED,
		 umm_memfd(), pfn << PAGE_SHIFT) != want)
		die("mapping a user page (raise vm.max_map_count?)");
	umm_cache_user_map(mm, addr, pfn, nr);
	__atomic_add_fetch(&nr_mirror_maps, 1, __ATOMIC_RELAXED);
}

/**
 * umm_mirror_map_calls - how many host mmap()s have mirrored user pages
 * (a huge PMD is one), for tests
 * Context: any.
 */
unsigned long umm_mirror_map_calls(void)
{
	return __atomic_load_n(&nr_mirror_maps, __ATOMIC_RELAXED);
}

/**
 * umm_mirror_unmap - remove the mirror of [@addr, @addr + @len)
 * Context: mm->page_table_lock held (or the mm is gone), with the PTEs
 * just cleared.  On return no thread can use the old translations.
 */
void umm_mirror_unmap(struct mm_struct *mm, unsigned long addr,
		      unsigned long len)
{
	void *want = (void *)(mm->mirror_base + addr);

	if (mmap(want, len, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE,
		 -1, 0) != want)
		die("unmapping a user range");
	umm_cache_user_unmap(mm, addr, len);
}

void *umm_user_ptr(struct mm_struct *mm, unsigned long addr)
{
	return (void *)(mm->mirror_base + addr);
}

/**
 * umm_user_read - a lab user thread loads @n bytes at @uptr
 * @buf: where to
 * @uptr: from umm_user_ptr()
 * @n: bytes
 *
 * A plain copy that the cache model sees as a user access at the user
 * address (its colour), in every build.
 * Context: a lab user thread.
 */
__umm_user_code void umm_user_read(void *buf, const void *uptr, size_t n)
{
	memcpy(buf, uptr, n);
	umm_cache_read(uptr, n, __FILE__, __LINE__);
}

/**
 * umm_user_write - a lab user thread stores @n bytes at @uptr
 * @uptr: from umm_user_ptr()
 * @buf: what
 * @n: bytes
 *
 * Context: a lab user thread.
 */
__umm_user_code void umm_user_write(void *uptr, const void *buf, size_t n)
{
	memcpy(uptr, buf, n);
	umm_cache_write(uptr, n, __FILE__, __LINE__);
}
