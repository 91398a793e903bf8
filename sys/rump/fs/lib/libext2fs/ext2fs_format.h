/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The ext2/ext3/ext4 on-disk format, as described by the kernel.org
 * document "ext4 Data Structures and Algorithms" (disk layout chapter).
 * Everything on disk is little-endian and is read with the EXT2_LE*
 * loads below from byte buffers at the offsets given here: no structure
 * is overlaid on image bytes, so neither host byte order nor alignment
 * matters, and a short buffer is never read past.
 *
 * Blocks.  The disk is an array of blocks of 1024 << s_log_block_size
 * bytes (1 KiB to 64 KiB).  Block 0 holds the boot area; the superblock
 * is always the 1024 bytes at byte 1024, whatever the block size, so it
 * lives in block 1 of a 1 KiB-block file system (s_first_data_block 1)
 * and in block 0 otherwise.  Block number 0 in any pointer means "none"
 * (a hole in a file map).
 *
 * Groups.  Blocks from s_first_data_block on are cut into groups of
 * s_blocks_per_group; each has s_inodes_per_group inodes in its inode
 * table.  The group descriptor table (GDT) starts in the block after the
 * superblock's and has one descriptor per group: 32 bytes, or
 * s_desc_size (>= 64) with the 64bit feature.  With meta_bg, the GDT
 * from group descriptor block s_first_meta_bg on is split: the
 * descriptors of each meta group (one block's worth of groups) live in
 * the first block (after a superblock backup, if any) of the meta
 * group's first group.  With flex_bg the bitmaps and inode tables of a
 * group may sit in another group: only their block numbers matter.
 *
 * Inodes are numbered from 1; inode N is entry (N-1) % s_inodes_per_group
 * of group (N-1) / s_inodes_per_group's inode table, each entry
 * s_inode_size bytes (128 in revision 0).  Inode 2 is the root
 * directory; inodes below s_first_ino are reserved.  Bytes 0..127 are
 * the classic inode; when s_inode_size > 128, i_extra_isize (at 128)
 * says how many further bytes hold the fields below (nanosecond times,
 * creation time, checksum high half); the rest holds extended
 * attributes.
 *
 * A file's i_block (60 bytes) is one of:
 *  - 15 le32 block numbers: 12 direct, then a single, a double and a
 *    triple indirect block of le32 block numbers (ext2/ext3);
 *  - with EXT4_EXTENTS_FL, the root of an extent tree: a 12-byte header
 *    and up to 4 12-byte entries (index entries above depth 0, extents
 *    at depth 0).  Tree blocks carry the same header, as many entries as
 *    fit, and with metadata_csum a le32 checksum right after eh_max
 *    entries;
 *  - with EXT4_INLINE_DATA_FL, the first 60 bytes of the file itself;
 *    the rest is the value of the in-inode extended attribute
 *    "system.data";
 *  - for a fast symlink (size < 60, no inline data), the target;
 *  - for a device node, the device number: old encoding in i_block[0]
 *    (major << 8 | minor) or, when that is 0, new encoding in i_block[1].
 *
 * Directories are files of blocks filled exactly by records: le32 inode
 * (0: unused record), le16 rec_len (to the next record, a multiple of 4,
 * 65535 or 0 meaning 65536 in a 64 KiB block), u8 name_len, u8 file type
 * (with filetype; without it name_len is le16), then the name (not
 * NUL-terminated).  With metadata_csum each leaf block ends in a 12-byte
 * fake record (inode 0, rec_len 12, name_len 0, type 0xDE) whose last 4
 * bytes are the block's checksum.  A hash-indexed directory
 * (EXT2_INDEX_FL) keeps its index in blocks that read as empty records:
 * block 0 holds "." and "..", the rest of ".." spanning the block, then
 * the root info and the root's entries; interior nodes are one empty
 * record spanning the block, then entries.  Entries are {le32 hash, le32
 * block} sorted by hash, the first entry's hash slot holding {le16 limit,
 * le16 count}; with metadata_csum an 8-byte tail follows the limit
 * entries (le32 reserved, le32 checksum over the header and count
 * entries, then the tail with its checksum word as zero).
 *
 * Checksums (metadata_csum): crc32c without the final inversion, seeded
 * with crc32c(~0, s_uuid) or s_checksum_seed (csum_seed feature).  For
 * an inode's metadata the seed is further chained with le32 inode number
 * and le32 generation.  With gdt_csum (uninit_bg) instead, group
 * descriptors carry crc16 (ANSI, reflected 0xA001) of uuid, le32 group
 * and the descriptor.
 */
#ifndef _EXT2FS_FORMAT_H_
#define _EXT2FS_FORMAT_H_

#include <sys/types.h>

/* Little-endian loads from a byte buffer. */
static inline uint16_t
ext2_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (unsigned)p[1] << 8);
}

static inline uint32_t
ext2_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static inline uint64_t
ext2_le64(const uint8_t *p)
{
	return (uint64_t)ext2_le32(p) | (uint64_t)ext2_le32(p + 4) << 32;
}

static inline void
ext2_set_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void
ext2_set_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/*
 * Superblock: 1024 bytes at byte offset 1024 of the device.
 */
#define EXT2_SB_OFFSET          1024
#define EXT2_SB_SIZE            1024
#define EXT2_SB_MAGIC           0xEF53

#define EXT2_SB_INODES_COUNT    0x000   /* le32 */
#define EXT2_SB_BLOCKS_COUNT_LO 0x004   /* le32 */
#define EXT2_SB_R_BLOCKS_COUNT_LO 0x008 /* le32: reserved for root */
#define EXT2_SB_FREE_BLOCKS_LO  0x00C   /* le32 */
#define EXT2_SB_FREE_INODES     0x010   /* le32 */
#define EXT2_SB_FIRST_DATA_BLOCK 0x014  /* le32: block of the superblock */
#define EXT2_SB_LOG_BLOCK_SIZE  0x018   /* le32: block size 1024 << this */
#define EXT2_SB_LOG_CLUSTER_SIZE 0x01C  /* le32: bigalloc cluster size */
#define EXT2_SB_BLOCKS_PER_GROUP 0x020  /* le32 */
#define EXT2_SB_CLUSTERS_PER_GROUP 0x024 /* le32 */
#define EXT2_SB_INODES_PER_GROUP 0x028  /* le32 */
#define EXT2_SB_MAGIC_OFF       0x038   /* le16: EXT2_SB_MAGIC */
#define EXT2_SB_MTIME           0x02C   /* le32: last mount */
#define EXT2_SB_WTIME           0x030   /* le32: last write */
#define EXT2_SB_MNT_COUNT       0x034   /* le16 */
#define EXT2_SB_MAX_MNT_COUNT   0x036   /* le16 (signed) */
#define EXT2_SB_STATE           0x03A   /* le16: 1 clean, 2 errors */
#define EXT2_SB_REV_LEVEL       0x04C   /* le32: 0 original, 1 dynamic */
#define EXT2_SB_FIRST_INO       0x054   /* le32: first usable inode (rev 1) */
#define EXT2_SB_INODE_SIZE      0x058   /* le16: (rev 1) */
#define EXT2_SB_FEATURE_COMPAT  0x05C   /* le32 */
#define EXT2_SB_FEATURE_INCOMPAT 0x060  /* le32 */
#define EXT2_SB_FEATURE_RO_COMPAT 0x064 /* le32 */
#define EXT2_SB_UUID            0x068   /* u8[16] */
#define EXT2_SB_RESERVED_GDT    0x0CE   /* le16: GDT blocks kept for resize */
#define EXT2_SB_JOURNAL_INUM    0x0E0   /* le32: the journal's inode */
#define EXT2_SB_LAST_ORPHAN     0x0E8   /* le32: head of the orphan list */
#define EXT2_SB_HASH_SEED       0x0EC   /* le32[4]: htree hash seed */
#define EXT2_SB_DEF_HASH_VERSION 0x0FC  /* u8: EXT2_HASH_* */
#define EXT2_SB_DESC_SIZE       0x0FE   /* le16: group descriptor size (64bit) */
#define EXT2_SB_FIRST_META_BG   0x104   /* le32: first meta_bg GDT block */
#define EXT2_SB_BLOCKS_COUNT_HI 0x150   /* le32 (64bit) */
#define EXT2_SB_R_BLOCKS_COUNT_HI 0x154 /* le32 (64bit) */
#define EXT2_SB_FREE_BLOCKS_HI  0x158   /* le32 (64bit) */
#define EXT2_SB_MIN_EXTRA_ISIZE 0x15C   /* le16 */
#define EXT2_SB_WANT_EXTRA_ISIZE 0x15E  /* le16 */
#define EXT2_SB_FLAGS           0x160   /* le32: EXT2_SBF_* */
#define EXT2_SB_LOG_GROUPS_PER_FLEX 0x174 /* u8 (flex_bg) */
#define EXT2_SB_CHECKSUM_TYPE   0x175   /* u8: 1 crc32c */
#define EXT2_SB_OVERHEAD_CLUSTERS 0x248 /* le32: statfs overhead, 0: unknown */
#define EXT2_SB_CHECKSUM_SEED   0x270   /* le32 (csum_seed) */
#define EXT2_SB_ORPHAN_FILE_INUM 0x280  /* le32: the orphan file (orphan_file) */
#define EXT2_SB_CHECKSUM        0x3FC   /* le32: crc32c of bytes 0..0x3FB */

/*
 * The orphan file (compat orphan_file): a regular inode of whole blocks,
 * each an array of le32 inode numbers (0: a free slot) closed by an
 * 8-byte tail, the magic then a crc32c (metadata_csum; else 0) of the
 * orphan file's inode seed, the block's le64 number on the disk and the
 * slots.  ro_compat orphan_present says slots may be in use.
 */
#define EXT2_OB_TAIL_SIZE       8
#define EXT2_OB_MAGIC_OFF       8       /* le32, this far before the end */
#define EXT2_OB_CSUM_OFF        4       /* le32, this far before the end */
#define EXT2_OB_MAGIC           0x0b10ca04

#define EXT2_SBF_SIGNED_HASH    0x0001  /* htree hashes chars as signed */
#define EXT2_SBF_UNSIGNED_HASH  0x0002  /* ... as unsigned */

#define EXT2_VALID_FS           0x0001  /* s_state: cleanly unmounted */
#define EXT2_ERROR_FS           0x0002  /* s_state: errors detected */

#define EXT2_GOOD_OLD_REV       0
#define EXT2_DYNAMIC_REV        1
#define EXT2_GOOD_OLD_INODE_SIZE 128
#define EXT2_GOOD_OLD_FIRST_INO 11
#define EXT2_ROOT_INO           2
#define EXT2_MIN_LOG_BSIZE      0       /* 1 KiB */
#define EXT2_MAX_LOG_BSIZE      6       /* 64 KiB */
#define EXT2_CSUM_TYPE_CRC32C   1

/* Feature bits.  Compat: safe to ignore for reading and writing. */
#define EXT2F_COMPAT_DIR_PREALLOC   0x0001
#define EXT2F_COMPAT_IMAGIC_INODES  0x0002
#define EXT2F_COMPAT_HAS_JOURNAL    0x0004
#define EXT2F_COMPAT_EXT_ATTR       0x0008
#define EXT2F_COMPAT_RESIZE_INODE   0x0010
#define EXT2F_COMPAT_DIR_INDEX      0x0020
#define EXT2F_COMPAT_LAZY_BG        0x0040
#define EXT2F_COMPAT_EXCLUDE_BITMAP 0x0100
#define EXT2F_COMPAT_SPARSE_SUPER2  0x0200
#define EXT2F_COMPAT_FAST_COMMIT    0x0400
#define EXT2F_COMPAT_STABLE_INODES  0x0800
#define EXT2F_COMPAT_ORPHAN_FILE    0x1000

/* Incompat: a reader that does not know one must not mount at all. */
#define EXT2F_INCOMPAT_COMPRESSION  0x00001
#define EXT2F_INCOMPAT_FILETYPE     0x00002
#define EXT2F_INCOMPAT_RECOVER      0x00004 /* journal needs replay */
#define EXT2F_INCOMPAT_JOURNAL_DEV  0x00008
#define EXT2F_INCOMPAT_META_BG      0x00010
#define EXT2F_INCOMPAT_EXTENTS      0x00040
#define EXT2F_INCOMPAT_64BIT        0x00080
#define EXT2F_INCOMPAT_MMP          0x00100
#define EXT2F_INCOMPAT_FLEX_BG      0x00200
#define EXT2F_INCOMPAT_EA_INODE     0x00400
#define EXT2F_INCOMPAT_DIRDATA      0x01000
#define EXT2F_INCOMPAT_CSUM_SEED    0x02000
#define EXT2F_INCOMPAT_LARGEDIR     0x04000
#define EXT2F_INCOMPAT_INLINE_DATA  0x08000
#define EXT2F_INCOMPAT_ENCRYPT      0x10000
#define EXT2F_INCOMPAT_CASEFOLD     0x20000

/* Read-only compat: an unknown one still allows a read-only mount. */
#define EXT2F_ROCOMPAT_SPARSE_SUPER  0x0001
#define EXT2F_ROCOMPAT_LARGE_FILE    0x0002
#define EXT2F_ROCOMPAT_BTREE_DIR     0x0004
#define EXT2F_ROCOMPAT_HUGE_FILE     0x0008
#define EXT2F_ROCOMPAT_GDT_CSUM      0x0010 /* "uninit_bg" */
#define EXT2F_ROCOMPAT_DIR_NLINK     0x0020
#define EXT2F_ROCOMPAT_EXTRA_ISIZE   0x0040
#define EXT2F_ROCOMPAT_HAS_SNAPSHOT  0x0080
#define EXT2F_ROCOMPAT_QUOTA         0x0100
#define EXT2F_ROCOMPAT_BIGALLOC      0x0200
#define EXT2F_ROCOMPAT_METADATA_CSUM 0x0400
#define EXT2F_ROCOMPAT_REPLICA       0x0800
#define EXT2F_ROCOMPAT_READONLY      0x1000
#define EXT2F_ROCOMPAT_PROJECT       0x2000
#define EXT2F_ROCOMPAT_SHARED_BLOCKS 0x4000
#define EXT2F_ROCOMPAT_VERITY        0x8000
#define EXT2F_ROCOMPAT_ORPHAN_PRESENT 0x10000

/*
 * Group descriptor: 32 bytes, or s_desc_size (>= 64, a power of two)
 * with 64bit, where the _HI fields hold the upper halves.
 */
#define EXT2_GD_SIZE            32
#define EXT2_GD_SIZE_64BIT      64
#define EXT2_GD_MAX_SIZE        1024
#define EXT2_GD_BLOCK_BITMAP    0x00    /* le32 */
#define EXT2_GD_INODE_BITMAP    0x04    /* le32 */
#define EXT2_GD_INODE_TABLE     0x08    /* le32 */
#define EXT2_GD_FREE_BLOCKS     0x0C    /* le16 */
#define EXT2_GD_FREE_INODES     0x0E    /* le16 */
#define EXT2_GD_USED_DIRS       0x10    /* le16 */
#define EXT2_GD_FLAGS           0x12    /* le16: EXT2_BG_* */
#define EXT2_GD_BBITMAP_CSUM    0x18    /* le16: block bitmap crc32c, low */
#define EXT2_GD_IBITMAP_CSUM    0x1A    /* le16: inode bitmap crc32c, low */
#define EXT2_GD_ITABLE_UNUSED   0x1C    /* le16: never-used inodes at the end */
#define EXT2_GD_CHECKSUM        0x1E    /* le16 */
#define EXT2_GD_BLOCK_BITMAP_HI 0x20    /* le32 */
#define EXT2_GD_INODE_BITMAP_HI 0x24    /* le32 */
#define EXT2_GD_INODE_TABLE_HI  0x28    /* le32 */
#define EXT2_GD_FREE_BLOCKS_HI  0x2C    /* le16 */
#define EXT2_GD_FREE_INODES_HI  0x2E    /* le16 */
#define EXT2_GD_USED_DIRS_HI    0x30    /* le16 */
#define EXT2_GD_ITABLE_UNUSED_HI 0x32   /* le16 */
#define EXT2_GD_BBITMAP_CSUM_HI 0x38    /* le16 */
#define EXT2_GD_IBITMAP_CSUM_HI 0x3A    /* le16 */
#define EXT2_GD_CSUM_HI_END     0x3C    /* descriptors this long have them */

#define EXT2_BG_INODE_UNINIT    0x0001  /* inode table not initialised */
#define EXT2_BG_BLOCK_UNINIT    0x0002
#define EXT2_BG_INODE_ZEROED    0x0004

/*
 * Inode.  Offsets from the start of the inode table entry.
 */
#define EXT2_I_MODE             0x00    /* le16 */
#define EXT2_I_UID              0x02    /* le16: low half */
#define EXT2_I_SIZE_LO          0x04    /* le32 */
#define EXT2_I_ATIME            0x08    /* le32: seconds, signed */
#define EXT2_I_CTIME            0x0C
#define EXT2_I_MTIME            0x10
#define EXT2_I_DTIME            0x14
#define EXT2_I_GID              0x18    /* le16: low half */
#define EXT2_I_LINKS_COUNT      0x1A    /* le16 */
#define EXT2_I_BLOCKS_LO        0x1C    /* le32 */
#define EXT2_I_FLAGS            0x20    /* le32: EXT2_*_FL */
#define EXT2_I_VERSION          0x24    /* le32: osd1, i_version's low half */
#define EXT2_I_BLOCK            0x28    /* 60 bytes: see above */
#define EXT2_I_GENERATION       0x64    /* le32 */
#define EXT2_I_FILE_ACL_LO      0x68    /* le32: xattr block */
#define EXT2_I_SIZE_HIGH        0x6C    /* le32 */
#define EXT2_I_BLOCKS_HIGH      0x74    /* le16 */
#define EXT2_I_FILE_ACL_HIGH    0x76    /* le16 */
#define EXT2_I_UID_HIGH         0x78    /* le16 */
#define EXT2_I_GID_HIGH         0x7A    /* le16 */
#define EXT2_I_CHECKSUM_LO      0x7C    /* le16 */
#define EXT2_I_EXTRA_ISIZE      0x80    /* le16: bytes used past 128 */
#define EXT2_I_CHECKSUM_HI      0x82    /* le16 */
#define EXT2_I_CTIME_EXTRA      0x84    /* le32: nsec << 2 | epoch bits */
#define EXT2_I_MTIME_EXTRA      0x88
#define EXT2_I_ATIME_EXTRA      0x8C
#define EXT2_I_CRTIME           0x90    /* le32 */
#define EXT2_I_CRTIME_EXTRA     0x94
#define EXT2_I_BLOCK_LEN        60
#define EXT2_NDADDR             12      /* direct pointers in i_block */
#define EXT2_IND_BLOCK          12
#define EXT2_DIND_BLOCK         13
#define EXT2_TIND_BLOCK         14

#define EXT2_EXTRA_EPOCH_MASK   0x3     /* seconds bits 32 and 33 */

/* i_flags */
#define EXT2_INDEX_FL           0x00001000 /* hash-indexed directory */
#define EXT2_HUGE_FILE_FL       0x00040000 /* i_blocks in fs blocks */
#define EXT4_EXTENTS_FL         0x00080000
#define EXT4_EA_INODE_FL        0x00200000
#define EXT4_INLINE_DATA_FL     0x10000000

/* i_mode file types (the host's S_IF* values, restated for the format). */
#define EXT2_IFMT               0xF000
#define EXT2_IFSOCK             0xC000
#define EXT2_IFLNK              0xA000
#define EXT2_IFREG              0x8000
#define EXT2_IFBLK              0x6000
#define EXT2_IFDIR              0x4000
#define EXT2_IFCHR              0x2000
#define EXT2_IFIFO              0x1000

/*
 * Extent tree (i_block or a tree block): header, then entries.
 */
#define EXT4_EXT_MAGIC          0xF30A
#define EXT4_EXT_HDR_SIZE       12
#define EXT4_EXT_ENTRY_SIZE     12
#define EXT4_EXT_MAX_DEPTH      5
#define EXT4_EXT_TAIL_SIZE      4       /* le32 checksum after eh_max entries */
#define EXT4_EH_MAGIC           0x00    /* le16 */
#define EXT4_EH_ENTRIES         0x02    /* le16: valid entries */
#define EXT4_EH_MAX             0x04    /* le16: capacity */
#define EXT4_EH_DEPTH           0x06    /* le16: 0 = entries are extents */
/* index entry */
#define EXT4_EI_BLOCK           0x00    /* le32: first logical block covered */
#define EXT4_EI_LEAF_LO         0x04    /* le32: child block */
#define EXT4_EI_LEAF_HI         0x08    /* le16 */
/* extent (leaf entry) */
#define EXT4_EE_BLOCK           0x00    /* le32: first logical block */
#define EXT4_EE_LEN             0x04    /* le16: > 32768: unwritten, len-32768 */
#define EXT4_EE_START_HI        0x06    /* le16 */
#define EXT4_EE_START_LO        0x08    /* le32 */
#define EXT4_EXT_INIT_MAX_LEN   32768

/*
 * Directory records.
 */
#define EXT2_DIRENT_INODE       0x00    /* le32 */
#define EXT2_DIRENT_REC_LEN     0x04    /* le16 */
#define EXT2_DIRENT_NAME_LEN    0x06    /* u8 (le16 without filetype) */
#define EXT2_DIRENT_FILE_TYPE   0x07    /* u8: EXT2_FT_* */
#define EXT2_DIRENT_NAME        0x08
#define EXT2_DIRENT_HDR         8
#define EXT2_NAME_MAX           255
#define EXT2_DIRENT_TAIL_SIZE   12
#define EXT2_DIRENT_TAIL_FT     0xDE
#define EXT2_DIRENT_TAIL_CSUM   8       /* le32, in the tail record */

#define EXT2_FT_UNKNOWN         0
#define EXT2_FT_REG_FILE        1
#define EXT2_FT_DIR             2
#define EXT2_FT_CHRDEV          3
#define EXT2_FT_BLKDEV          4
#define EXT2_FT_FIFO            5
#define EXT2_FT_SOCK            6
#define EXT2_FT_SYMLINK         7
#define EXT2_FT_MAX             8

/* Record length: 8-byte header plus the name, rounded up to 4. */
#define EXT2_DIR_REC_LEN(namelen) (((namelen) + EXT2_DIRENT_HDR + 3) & ~3u)

/*
 * Hash tree.  In block 0: "." at 0 (rec_len 12), ".." at 12, root info
 * at 24, entries at 32.  In an interior node: one empty record spanning
 * the block, entries at 8.
 */
#define EXT2_DX_ROOT_INFO       0x18
#define EXT2_DX_RI_HASH_VERSION 0x04    /* u8, within root info */
#define EXT2_DX_RI_INFO_LENGTH  0x05    /* u8: 8 */
#define EXT2_DX_RI_LEVELS       0x06    /* u8: levels below the root */
#define EXT2_DX_ROOT_ENTRIES    0x20
#define EXT2_DX_NODE_ENTRIES    0x08
#define EXT2_DX_ENTRY_SIZE      8       /* le32 hash, le32 block */
#define EXT2_DX_LIMIT           0x00    /* le16, in entry 0's hash slot */
#define EXT2_DX_COUNT           0x02    /* le16 */
#define EXT2_DX_TAIL_SIZE       8       /* le32 reserved, le32 checksum */
#define EXT2_DX_MAX_LEVELS      2       /* 3 with largedir */
#define EXT2_DX_MAX_LEVELS_LARGE 3

/* Hash versions, as in s_def_hash_version and the root info. */
#define EXT2_HASH_LEGACY        0
#define EXT2_HASH_HALF_MD4      1
#define EXT2_HASH_TEA           2
#define EXT2_HASH_LEGACY_UNSIGNED 3
#define EXT2_HASH_HALF_MD4_UNSIGNED 4
#define EXT2_HASH_TEA_UNSIGNED  5
#define EXT2_HASH_SIPHASH       6

/*
 * Extended attributes ("Extended Attributes" in the disk layout
 * chapter), in two places: in the inode, after its i_extra_isize bytes
 * (le32 magic, then entries; value offsets count from the first entry;
 * values fill the area from its end), and in an attribute block named by
 * i_file_acl (a 32-byte header: le32 magic, le32 refcount (inodes
 * sharing it), le32 blocks (1), le32 hash, le32 checksum (metadata_csum:
 * crc32c of the fs seed, le64 block number and the block with this field
 * zero), then entries from byte 32, kept sorted by index, name length
 * and name; value offsets count from the block's start).  An entry is
 * u8 name_len, u8 name_index (the namespace, EXT2_XATTR_INDEX_*, the
 * prefix left out of the name), le16 value_offs, le32 value_inum (ea_inode:
 * the value is that inode's data), le32 value_size, le32 hash, then the
 * name, padded to 4; a zero le32 ends the list.  Values are padded to 4.
 * An entry's hash: over the name, h = h << 5 ^ h >> 27 ^ c, then over
 * the value's le32 words, h = h << 16 ^ h >> 16 ^ w; the block's: over
 * the entries' hashes, h = h << 16 ^ h >> 16 ^ e_hash (0 if any is 0).
 * Inline data keeps its bytes past i_block in "system.data" in the inode.
 */
#define EXT2_XATTR_MAGIC        0xEA020000
#define EXT2_XATTR_REFCOUNT     0x04    /* le32, in an attribute block */
#define EXT2_XATTR_BLOCKS       0x08    /* le32 */
#define EXT2_XATTR_HASH         0x0C    /* le32 */
#define EXT2_XATTR_CHECKSUM     0x10    /* le32, in an attribute block */
#define EXT2_XATTR_HDR_SIZE     32
#define EXT2_XE_NAME_LEN        0x00
#define EXT2_XE_NAME_INDEX      0x01
#define EXT2_XE_VALUE_OFFS      0x02
#define EXT2_XE_VALUE_INUM      0x04
#define EXT2_XE_VALUE_SIZE      0x08
#define EXT2_XE_HASH            0x0C
#define EXT2_XE_NAME            0x10
#define EXT2_XATTR_INDEX_USER   1
#define EXT2_XATTR_INDEX_ACL_ACCESS 2
#define EXT2_XATTR_INDEX_ACL_DEFAULT 3
#define EXT2_XATTR_INDEX_TRUSTED 4
#define EXT2_XATTR_INDEX_SECURITY 6
#define EXT2_XATTR_INDEX_SYSTEM 7

/*
 * A POSIX ACL as ext4 stores it in an attribute of index 2 or 3: le32
 * version 1, then entries of le16 tag, le16 perm and, for a named user
 * or group (ACL_USER, ACL_GROUP) only, le32 id.
 */
#define EXT4_ACL_VERSION        1
#define EXT4_ACL_SHORT          4
#define EXT4_ACL_FULL           8

#endif /* _EXT2FS_FORMAT_H_ */
