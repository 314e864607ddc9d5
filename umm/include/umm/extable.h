/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umm: an exception table, as the kernel's: each entry names an
 * instruction that may fault on a user address and where to continue if
 * the fault cannot be resolved.  Entries are PC-relative, so the table
 * needs no relocation in a position-independent program.
 */
#ifndef _UMM_EXTABLE_H
#define _UMM_EXTABLE_H

struct umm_extable_entry {
	int insn;	/* faulting instruction, relative to this field */
	int fixup;	/* continuation, relative to this field */
};

#define UMM_EXTABLE(from, to)						\
	".pushsection umm_extable, \"a\"\n"				\
	".balign 4\n"							\
	".long " #from " - .\n"						\
	".long " #to " - .\n"						\
	".popsection\n"

#endif /* _UMM_EXTABLE_H */
