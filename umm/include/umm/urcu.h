/* SPDX-License-Identifier: GPL-2.0 */
/* umm: liburcu behind names that do not clash with the kernel's. */
#ifndef _UMM_URCU_H
#define _UMM_URCU_H

void umm_urcu_register_thread(void);
void umm_urcu_unregister_thread(void);
void umm_urcu_read_lock(void);
void umm_urcu_read_unlock(void);
void umm_urcu_synchronize(void);

#endif /* _UMM_URCU_H */
