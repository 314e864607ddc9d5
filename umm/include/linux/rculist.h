/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umm: list_head lists that readers walk under RCU or SRCU while an
 * updater (holding the list's lock) adds and removes entries.  Every
 * store to a ->next that a reader may follow is an atomic store and every
 * reader load an atomic load, so that ThreadSanitizer sees the
 * publication; removal leaves ->next intact for a reader standing on the
 * entry, as in Linux.
 */
#ifndef _LINUX_RCULIST_H
#define _LINUX_RCULIST_H

#include <linux/list.h>
#include <linux/rcupdate.h>

/* Follow @p->next inside a read section.  Pairs with list_add_rcu(). */
#define list_next_rcu_ptr(p)	__atomic_load_n(&(p)->next, __ATOMIC_ACQUIRE)

static inline void __list_add_rcu(struct list_head *entry,
				  struct list_head *prev,
				  struct list_head *next)
{
	entry->next = next;
	entry->prev = prev;
	next->prev = entry;
	/* Publish: pairs with the acquire in list_next_rcu_ptr(). */
	__atomic_store_n(&prev->next, entry, __ATOMIC_RELEASE);
}

/* Add @entry after @head.  Context: the caller holds the list's lock. */
static inline void list_add_rcu(struct list_head *entry,
				struct list_head *head)
{
	__list_add_rcu(entry, head, head->next);
}

static inline void list_add_tail_rcu(struct list_head *entry,
				     struct list_head *head)
{
	__list_add_rcu(entry, head->prev, head);
}

/*
 * Unlink @entry; readers standing on it still find the rest of the list.
 * ->prev is poisoned, ->next kept.  The entry may be freed only after a
 * grace period.  Context: the caller holds the list's lock.
 */
static inline void list_del_rcu(struct list_head *entry)
{
	entry->next->prev = entry->prev;
	__atomic_store_n(&entry->prev->next, entry->next, __ATOMIC_RELAXED);
	entry->prev = LIST_POISON2;
}

/* The entry after list node @p, inside a read section. */
#define __list_next_entry_rcu(p, type, member)				\
	container_of(list_next_rcu_ptr(p), type, member)

/* Lockless emptiness test inside a read section. */
static inline bool list_empty_rcu(struct list_head *head)
{
	return list_next_rcu_ptr(head) == head;
}

/* Walk under rcu_read_lock() or srcu_read_lock(). */
#define list_for_each_entry_rcu(pos, head, member)			\
	for (pos = __list_next_entry_rcu(head, __typeof__(*pos), member); \
	     &pos->member != (head);					\
	     pos = __list_next_entry_rcu(&pos->member, __typeof__(*pos),	\
					 member))

#endif /* _LINUX_RCULIST_H */
