/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The journal writer's format, for the host test to check against
 * e2fsck and Linux: one transaction of given blocks laid out in the
 * image's journal (its checksum version, its tag size) as a commit
 * writes it, handed back as blocks and their device offsets, with the
 * journal superblock saying the log starts with it.
 */
#include <sys/kmem.h>

#include "ext2_ks_private.h"
#include "ext2fs_jbd2.h"

int
rump_test_ext2_journal_txn(void *fs, uint32_t n, const uint64_t *blks,
    const uint8_t *data, uint8_t *out, uint64_t *offs, uint32_t max,
    uint32_t *noutp)
{
	struct ks_fs *kf = fs;
	struct ext2fs_journal *j = NULL;
	uint32_t bsize = kf->fs->e2_bsize, tid, l = 0;
	uint8_t **d = NULL;
	uint64_t dev;
	bool done = false;
	int error;

	rump_schedule();
	if ((error = ext2fs_journal_open(kf->fs, &j)) != 0)
		goto out;
	if (n > ext2fs_journal_maxblocks(j) || max < 2) {
		error = EFBIG;
		goto out;
	}
	if ((d = kmem_alloc(n * sizeof(*d) + 1, KM_SLEEP)) == NULL) {
		error = ENOMEM;
		goto out;
	}
	for (uint32_t i = 0; i < n; i++)
		d[i] = (uint8_t *)(uintptr_t)(data + (size_t)i * bsize);
	tid = ext2fs_journal_seq(j);
	/* Block 0 out: the journal superblock. */
	offs[0] = ext2fs_journal_sbblock(j) * bsize;
	if ((error = ext2fs_bread(kf->fs, ext2fs_journal_sbblock(j), out)) != 0)
		goto out;
	ext2fs_journal_setlog(j, out, true, tid);
	for (l = 0; !done; l++) {
		if (l + 1 >= max) {
			error = EFBIG;
			goto out;
		}
		(void)ext2fs_journal_logblock(j, tid, n, blks, d, l,
		    out + (size_t)(l + 1) * bsize, &dev, &done);
		offs[l + 1] = dev * bsize;
	}
	*noutp = l + 1;
out:
	if (d != NULL)
		kmem_free(d, n * sizeof(*d) + 1);
	ext2fs_journal_free(j);
	rump_unschedule();
	return error;
}
