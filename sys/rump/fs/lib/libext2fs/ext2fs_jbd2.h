/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The JBD2 journal of ext3/ext4, as the kernel.org document "ext4 Data
 * Structures and Algorithms" (journal chapter) describes it, and its
 * replay.
 *
 * Format.  An internal journal is the file of inode s_journal_inum; its
 * block 0 is the journal superblock, blocks s_first .. s_maxlen - 1 a
 * ring, the log.  Everything in the journal is big-endian.  Every log
 * block a transaction writes begins with a 12-byte header: the magic,
 * the block type and the transaction's sequence number (tid).  A
 * transaction is descriptor blocks, each followed by the copies of the
 * file-system blocks its tags name, and revoke blocks, then a commit
 * block.  A copy whose first four bytes were the magic is stored with
 * them zeroed and its tag marked escaped.  With checksums v2 or v3
 * (crc32c seeded with the journal's UUID) descriptor and revoke blocks
 * end with a 4-byte checksum of the block, commit blocks keep one of
 * theirs at offset 16 and every tag carries the checksum of its copy
 * (with the tid).  The older compat checksum (v1) is one crc32 (MSB
 * first) over a transaction's descriptor blocks and copies, in its
 * commit block.  A log needing replay starts at s_start, with
 * transaction s_sequence; s_start 0 is an empty log.
 *
 * Replay (ext2fs_journal.c) is three walks of the log: the scan finds
 * where the last whole transaction ends (a commit block missing, with
 * a bad checksum, or older than the one before, ends the log, and the
 * torn transaction is discarded), the second collects the revoked
 * blocks with the newest tid that revoked each, the third records, for
 * every block not revoked by its own transaction or a later one, the
 * log block holding its last copy.  Nothing is written by the walks:
 * the result, struct ext2fs_journal, is a map from file-system blocks
 * to journal blocks.  A read-only mount reads through it (the image
 * stays as it is); a read-write mount copies the blocks home, then
 * empties the log and clears needs_recovery (ext2fs_journal_vfs.c).
 *
 * Writing (ext2fs_journal_write.c) lays a transaction out the same way
 * from s_first, in the journal's own checksum version and tag size,
 * every tag with SAME_UUID, a copy beginning with the magic escaped.
 *
 * Errors: a journal that cannot be what it claims (bad superblock,
 * blocks out of range, a bad checksum inside a committed transaction)
 * is EIO and one log line; an external journal or a journal feature we
 * do not know is EINVAL and one log line.
 */
#ifndef _EXT2FS_JBD2_H_
#define _EXT2FS_JBD2_H_

#include "ext2fs.h"

#define JBD2_MAGIC              0xC03B3998u

/* Block header: be32 magic, be32 block type, be32 sequence. */
#define JBD2_H_MAGIC            0x00
#define JBD2_H_BLOCKTYPE        0x04
#define JBD2_H_SEQUENCE         0x08
#define JBD2_HEADER_SIZE        12

#define JBD2_DESCRIPTOR_BLOCK   1
#define JBD2_COMMIT_BLOCK       2
#define JBD2_SUPERBLOCK_V1      3
#define JBD2_SUPERBLOCK_V2      4
#define JBD2_REVOKE_BLOCK       5

/* Journal superblock (journal block 0, 1024 bytes used). */
#define JBD2_SB_BLOCKSIZE       0x0C
#define JBD2_SB_MAXLEN          0x10    /* blocks in the journal */
#define JBD2_SB_FIRST           0x14    /* first log block */
#define JBD2_SB_SEQUENCE        0x18    /* tid expected at s_start */
#define JBD2_SB_START           0x1C    /* log start, 0: empty */
#define JBD2_SB_ERRNO           0x20
#define JBD2_SB_FEATURE_COMPAT  0x24    /* v2 only, as the rest */
#define JBD2_SB_FEATURE_INCOMPAT 0x28
#define JBD2_SB_FEATURE_RO_COMPAT 0x2C
#define JBD2_SB_UUID            0x30    /* u8[16] */
#define JBD2_SB_CHECKSUM_TYPE   0x50    /* u8 */
#define JBD2_SB_CHECKSUM        0xFC    /* be32 */
#define JBD2_SB_SIZE            1024

#define JBD2_CHECKSUM_CRC32C    4       /* s_checksum_type */

#define JBD2_FEATURE_COMPAT_CHECKSUM    0x01    /* v1 commit crc32 */
#define JBD2_FEATURE_INCOMPAT_REVOKE    0x01
#define JBD2_FEATURE_INCOMPAT_64BIT     0x02
#define JBD2_FEATURE_INCOMPAT_ASYNC_COMMIT 0x04
#define JBD2_FEATURE_INCOMPAT_CSUM_V2   0x08
#define JBD2_FEATURE_INCOMPAT_CSUM_V3   0x10
#define JBD2_FEATURE_INCOMPAT_FAST_COMMIT 0x20

/*
 * Descriptor tags, from byte 12 until a tag with LAST_TAG.  With
 * csum_v3: be32 blocknr, be32 flags, be32 blocknr_high, be32 checksum
 * (16 bytes).  Otherwise: be32 blocknr, be16 checksum (csum_v2), be16
 * flags, be32 blocknr_high (64bit only): 8 bytes, 12 with 64bit, and 2
 * more with csum_v2.  A tag without SAME_UUID is followed by 16 bytes
 * of UUID.
 */
#define JBD2_FLAG_ESCAPE        0x1
#define JBD2_FLAG_SAME_UUID     0x2
#define JBD2_FLAG_DELETED       0x4
#define JBD2_FLAG_LAST_TAG      0x8
#define JBD2_UUID_SIZE          16
#define JBD2_TAIL_SIZE          4       /* block checksum, v2/v3 */

/* Commit block: checksum type and size bytes, crc at 16, time at 48. */
#define JBD2_COMMIT_CHKSUM_TYPE 0x0C    /* u8: 1 crc32 (v1) */
#define JBD2_COMMIT_CHKSUM_SIZE 0x0D    /* u8: 4 */
#define JBD2_COMMIT_CHKSUM      0x10    /* be32 h_chksum[0] */
#define JBD2_CRC32_CHKSUM       1
#define JBD2_COMMIT_SEC         0x30    /* be64 */

/* Revoke block: be32 bytes used (header included), then records. */
#define JBD2_REVOKE_COUNT       0x0C
#define JBD2_REVOKE_RECORDS     0x10

struct ext2fs_journal;

/* ext2fs_journal.c */
int ext2fs_journal_open(const struct ext2fs *, struct ext2fs_journal **);
int ext2fs_journal_replay(const struct ext2fs *, struct ext2fs_journal **);
void ext2fs_journal_free(struct ext2fs_journal *);
bool ext2fs_journal_lookup(const struct ext2fs_journal *, uint64_t,
    uint64_t *, bool *);
size_t ext2fs_journal_nblocks(const struct ext2fs_journal *);
bool ext2fs_journal_entry(const struct ext2fs_journal *, size_t, uint64_t *,
    uint64_t *, bool *);
uint64_t ext2fs_journal_sbblock(const struct ext2fs_journal *);
int ext2fs_journal_reset(const struct ext2fs_journal *, uint8_t *);
uint32_t ext2fs_journal_tags(const struct ext2fs_journal *);
uint32_t ext2fs_journal_maxblocks(const struct ext2fs_journal *);
uint32_t ext2fs_journal_seq(const struct ext2fs_journal *);
void ext2fs_journal_region(struct ext2fs_journal *, uint32_t);
int ext2fs_journal_async(struct ext2fs_journal *, const uint8_t *, bool);
void ext2fs_journal_setlog_async(struct ext2fs_journal *, uint8_t *,
    uint32_t, bool);
bool ext2fs_journal_isempty(const struct ext2fs_journal *);
int ext2fs_journal_logblock(struct ext2fs_journal *, uint32_t, size_t,
    const uint64_t *, uint8_t *const *, uint32_t, uint8_t *, uint64_t *,
    bool *);
void ext2fs_journal_setlog(struct ext2fs_journal *, uint8_t *, bool,
    uint32_t);

#endif /* _EXT2FS_JBD2_H_ */
