/* SPDX-License-Identifier: GPL-2.0 */
/* umm: shared memory objects (shmem, memfd, hugetlbfs files). */
#ifndef _UMM_FILE_H
#define _UMM_FILE_H

#include <umm/mm.h>

struct page *umm_file_get_page(struct umm_file *file, pgoff_t index);
void umm_file_get(struct umm_file *file);

#endif /* _UMM_FILE_H */
