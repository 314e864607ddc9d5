/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal TAP producer for the lab's tests: ok()/is() print one test line
 * each, done_testing() prints the plan and gives the exit status.
 */
#ifndef _TESTS_TAP_H
#define _TESTS_TAP_H

#include <stdio.h>
#include <stdlib.h>

static int tap_count, tap_failed;

static inline int tap_ok(int pass, const char *file, int line,
			 const char *name)
{
	tap_count++;
	printf("%sok %d - %s\n", pass ? "" : "not ", tap_count, name);
	if (!pass) {
		tap_failed++;
		printf("#   Failed test at %s:%d\n", file, line);
	}
	fflush(stdout);
	return pass;
}

#define ok(cond, name)	tap_ok(!!(cond), __FILE__, __LINE__, name)

#define is(got, want, name)						\
({									\
	long long __g = (long long)(got), __w = (long long)(want);	\
	int __p = tap_ok(__g == __w, __FILE__, __LINE__, name);	\
	if (!__p)							\
		printf("#   got %lld, want %lld\n", __g, __w);		\
	__p;								\
})

#define diag(fmt, ...)	printf("# " fmt "\n", ##__VA_ARGS__)

/* Abort the whole test program: a precondition of the rest failed. */
#define BAIL_OUT(fmt, ...)						\
do {									\
	printf("Bail out! " fmt "\n", ##__VA_ARGS__);			\
	exit(255);							\
} while (0)

static inline int done_testing(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed ? 1 : 0;
}

#endif /* _TESTS_TAP_H */
