/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_PRINTK_H
#define _LINUX_PRINTK_H

#include <linux/compiler.h>

int printk(const char *fmt, ...) __printf(1, 2);

#define KERN_ERR	""
#define KERN_WARNING	""
#define KERN_INFO	""
#define KERN_DEBUG	""

#define pr_err(fmt, ...)	printk("err: " fmt, ##__VA_ARGS__)
#define pr_warn(fmt, ...)	printk("warn: " fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...)	printk(fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...)	do { } while (0)
#define pr_err_ratelimited	pr_err
#define pr_warn_once		pr_warn

#endif /* _LINUX_PRINTK_H */
