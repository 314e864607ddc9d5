// SPDX-License-Identifier: GPL-2.0
/*
 * umm: the only file that sees liburcu.  Its names (rcu_read_lock, struct
 * rcu_head, ...) clash with the kernel's, so rcu.c reaches it through
 * these umm_urcu_* functions.
 */
#include <urcu/urcu-memb.h>
#include <umm/urcu.h>

void umm_urcu_register_thread(void)
{
	urcu_memb_register_thread();
}

void umm_urcu_unregister_thread(void)
{
	urcu_memb_unregister_thread();
}

void umm_urcu_read_lock(void)
{
	urcu_memb_read_lock();
}

void umm_urcu_read_unlock(void)
{
	urcu_memb_read_unlock();
}

void umm_urcu_synchronize(void)
{
	urcu_memb_synchronize_rcu();
}
