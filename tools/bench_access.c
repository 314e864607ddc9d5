// SPDX-License-Identifier: GPL-2.0
/*
 * vmeta bench, suite "access": what one 16-bit read of user memory costs
 * through each primitive, on a page that is mapped (a TLB hit).  It shows
 * that the lab's user accessors are fair (a __get_user without its fence
 * costs a plain load: no translation is charged) and isolates the two
 * effects upstream pays for: the fence of __get_user, and opening a user
 * access region per access instead of per batch.
 */
#include <stdlib.h>
#include <linux/uaccess.h>
#include <umm/phys.h>
#include "bench.h"

#define ACCESSES	(1UL << 20)
#define BATCH		64

enum variant {
	V_LOAD, V_DIRECT, V_GET_USER_NOFENCE, V_GET_USER, V_UNCHECKED,
	V_MASKED_EACH, V_MASKED_BATCH, NR_VARIANTS
};

static const char *const names[NR_VARIANTS] = {
	"user-load", "direct-map-load", "__get_user-nofence", "get_user",
	"__get_user", "masked-per-access", "masked-per-batch",
};

static unsigned long sink;

static double run(enum variant v, unsigned long uaddr, const u16 *user,
		  const u16 *direct, unsigned long n)
{
	const u16 __user *up = (const u16 __user *)uaddr;
	unsigned long i, j, sum = 0;
	double t0 = bench_now_ns();
	u16 x;

	switch (v) {
	case V_LOAD:
		for (i = 0; i < n; i++)
			sum += READ_ONCE(user[i & 1023]);
		break;
	case V_DIRECT:
		for (i = 0; i < n; i++)
			sum += READ_ONCE(direct[i & 1023]);
		break;
	case V_GET_USER_NOFENCE:
		for (i = 0; i < n; i++)
			sum += umm_get_user_nofence_2(umm_uaccess_base +
					(unsigned long)(up + (i & 1023))).val;
		break;
	case V_GET_USER:
		for (i = 0; i < n; i++) {
			get_user(x, up + (i & 1023));
			sum += x;
		}
		break;
	case V_UNCHECKED:
		for (i = 0; i < n; i++) {
			__get_user(x, up + (i & 1023));
			sum += x;
		}
		break;
	case V_MASKED_EACH:
		for (i = 0; i < n; i++) {
			const u16 __user *m =
				masked_user_access_begin(up + (i & 1023));

			unsafe_get_user(x, m, fault);
			user_read_access_end();
			sum += x;
		}
		break;
	case V_MASKED_BATCH:
		for (i = 0; i < n; i += BATCH) {
			const u16 __user *m = masked_user_access_begin(up);

			for (j = 0; j < BATCH; j++) {
				unsafe_get_user(x, m + ((i + j) & 1023), fault);
				sum += x;
			}
			user_read_access_end();
		}
		break;
	default:
		break;
	}
fault:
	sink += sum;
	return (bench_now_ns() - t0) / n;
}

int bench_suite_access(const struct bench_opts *o)
{
	struct bench_result r[NR_VARIANTS] = { 0 };
	struct mm_struct *mm = umm_mm_create();
	unsigned long n = ACCESSES * o->scale, uaddr;
	struct page *page;
	u16 *user, *direct;
	int v, k;

	uaddr = umm_mmap(mm, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);
	umm_use_mm(mm);
	user = umm_user_ptr(mm, uaddr);
	memset(user, 1, PAGE_SIZE);	/* present, dirty: every access a hit */
	mmap_read_lock(mm);
	get_user_pages(uaddr, 1, 0, &page);
	mmap_read_unlock(mm);
	direct = umm_pfn_host(page_to_pfn(page));

	printf("\n== access: one 16-bit read of a mapped user page, ns/access "
	       "(%lu per run)\n", n);
	for (k = 0; k < o->runs; k++)
		for (v = 0; v < NR_VARIANTS; v++)	/* interleaved runs */
			r[v].runs[r[v].nr_runs++] = run(v, uaddr, user, direct, n);
	for (v = 0; v < NR_VARIANTS; v++) {
		r[v].bench = "access";
		r[v].name = names[v];
		r[v].unit = "ns/access";
		bench_summarise(&r[v]);
	}
	bench_report(r, NR_VARIANTS, &r[V_LOAD], &r[V_UNCHECKED],
		     &r[V_MASKED_BATCH], true);
	printf("  the fence: __get_user / __get_user-nofence = %.2f; a region "
	       "per access / per batch = %.2f\n",
	       r[V_UNCHECKED].median / r[V_GET_USER_NOFENCE].median,
	       r[V_MASKED_EACH].median / r[V_MASKED_BATCH].median);
	printf("  translation: get_user (inline: access_ok, window base, "
	       "load) / user-load = %.2f;\n  __get_user-nofence / user-load = "
	       "%.2f (the out-of-line call, as in the kernel)\n",
	       r[V_GET_USER].median / r[V_LOAD].median,
	       r[V_GET_USER_NOFENCE].median / r[V_LOAD].median);
	put_page(page);
	umm_unuse_mm(mm);
	mmput(mm);
	return 0;
}
