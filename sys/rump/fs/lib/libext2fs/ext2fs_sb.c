/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The superblock: read it, check that its geometry is consistent with
 * itself and with the device before any of it is used, decide whether
 * the features it declares can be read (and, for later, written), and
 * build the struct ext2fs the rest of ext2fs works from.  Group
 * descriptors are loaded from here too (ext2fs_group.c).
 */
#include <sys/systm.h>
#include <sys/kmem.h>

#include "ext2fs.h"

struct feature {
	uint32_t bit;
	const char *name;
};

/* Names as e2fsprogs and the Linux kernel print them. */
static const struct feature compat_names[] = {
	{ EXT2F_COMPAT_DIR_PREALLOC, "dir_prealloc" },
	{ EXT2F_COMPAT_IMAGIC_INODES, "imagic_inodes" },
	{ EXT2F_COMPAT_HAS_JOURNAL, "has_journal" },
	{ EXT2F_COMPAT_EXT_ATTR, "ext_attr" },
	{ EXT2F_COMPAT_RESIZE_INODE, "resize_inode" },
	{ EXT2F_COMPAT_DIR_INDEX, "dir_index" },
	{ EXT2F_COMPAT_LAZY_BG, "lazy_bg" },
	{ EXT2F_COMPAT_EXCLUDE_BITMAP, "snapshot_bitmap" },
	{ EXT2F_COMPAT_SPARSE_SUPER2, "sparse_super2" },
	{ EXT2F_COMPAT_FAST_COMMIT, "fast_commit" },
	{ EXT2F_COMPAT_STABLE_INODES, "stable_inodes" },
	{ EXT2F_COMPAT_ORPHAN_FILE, "orphan_file" },
	{ 0, NULL }
};

static const struct feature incompat_names[] = {
	{ EXT2F_INCOMPAT_COMPRESSION, "compression" },
	{ EXT2F_INCOMPAT_FILETYPE, "filetype" },
	{ EXT2F_INCOMPAT_RECOVER, "needs_recovery" },
	{ EXT2F_INCOMPAT_JOURNAL_DEV, "journal_dev" },
	{ EXT2F_INCOMPAT_META_BG, "meta_bg" },
	{ EXT2F_INCOMPAT_EXTENTS, "extent" },
	{ EXT2F_INCOMPAT_64BIT, "64bit" },
	{ EXT2F_INCOMPAT_MMP, "mmp" },
	{ EXT2F_INCOMPAT_FLEX_BG, "flex_bg" },
	{ EXT2F_INCOMPAT_EA_INODE, "ea_inode" },
	{ EXT2F_INCOMPAT_DIRDATA, "dirdata" },
	{ EXT2F_INCOMPAT_CSUM_SEED, "metadata_csum_seed" },
	{ EXT2F_INCOMPAT_LARGEDIR, "large_dir" },
	{ EXT2F_INCOMPAT_INLINE_DATA, "inline_data" },
	{ EXT2F_INCOMPAT_ENCRYPT, "encrypt" },
	{ EXT2F_INCOMPAT_CASEFOLD, "casefold" },
	{ 0, NULL }
};

static const struct feature rocompat_names[] = {
	{ EXT2F_ROCOMPAT_SPARSE_SUPER, "sparse_super" },
	{ EXT2F_ROCOMPAT_LARGE_FILE, "large_file" },
	{ EXT2F_ROCOMPAT_BTREE_DIR, "btree_dir" },
	{ EXT2F_ROCOMPAT_HUGE_FILE, "huge_file" },
	{ EXT2F_ROCOMPAT_GDT_CSUM, "uninit_bg" },
	{ EXT2F_ROCOMPAT_DIR_NLINK, "dir_nlink" },
	{ EXT2F_ROCOMPAT_EXTRA_ISIZE, "extra_isize" },
	{ EXT2F_ROCOMPAT_HAS_SNAPSHOT, "snapshot" },
	{ EXT2F_ROCOMPAT_QUOTA, "quota" },
	{ EXT2F_ROCOMPAT_BIGALLOC, "bigalloc" },
	{ EXT2F_ROCOMPAT_METADATA_CSUM, "metadata_csum" },
	{ EXT2F_ROCOMPAT_REPLICA, "replica" },
	{ EXT2F_ROCOMPAT_READONLY, "read-only" },
	{ EXT2F_ROCOMPAT_PROJECT, "project" },
	{ EXT2F_ROCOMPAT_SHARED_BLOCKS, "shared_blocks" },
	{ EXT2F_ROCOMPAT_VERITY, "verity" },
	{ EXT2F_ROCOMPAT_ORPHAN_PRESENT, "orphan_present" },
	{ 0, NULL }
};

/*
 * Incompatible features this reader understands.  The others change
 * what directory records or file contents mean (dirdata, encrypt,
 * casefold, compression) or say the device is not a file system
 * (journal_dev): such an image is refused, naming the feature.
 */
#define EXT2FS_READ_INCOMPAT                                                   \
	(EXT2F_INCOMPAT_FILETYPE | EXT2F_INCOMPAT_RECOVER |                    \
	    EXT2F_INCOMPAT_META_BG | EXT2F_INCOMPAT_EXTENTS |                  \
	    EXT2F_INCOMPAT_64BIT | EXT2F_INCOMPAT_MMP |                        \
	    EXT2F_INCOMPAT_FLEX_BG | EXT2F_INCOMPAT_EA_INODE |                 \
	    EXT2F_INCOMPAT_CSUM_SEED | EXT2F_INCOMPAT_LARGEDIR |               \
	    EXT2F_INCOMPAT_INLINE_DATA)

/*
 * What a read-write mount may meet: the ext2 feature set of issue 5 and
 * the ext4 one that `mke2fs -t ext4` makes (extents, 64bit, flex_bg,
 * huge_file, uninit_bg, metadata_csum and its seed, dir_nlink,
 * extra_isize, large_dir) and ea_inode, each kept consistent by the
 * writer, and a journal that needs recovery (replayed before the first
 * change: ext2fs_journal_vfs.c), and orphan_file with orphan_present
 * (ext2fs_orphan.c).  Anything else makes the mount read-only.
 */
#define EXT2FS_WRITE_INCOMPAT                                                  \
	(EXT2F_INCOMPAT_FILETYPE | EXT2F_INCOMPAT_RECOVER |                    \
	    EXT2F_INCOMPAT_EXTENTS | EXT2F_INCOMPAT_64BIT |                    \
	    EXT2F_INCOMPAT_FLEX_BG | EXT2F_INCOMPAT_CSUM_SEED |                \
	    EXT2F_INCOMPAT_LARGEDIR | EXT2F_INCOMPAT_EA_INODE)
#define EXT2FS_WRITE_ROCOMPAT                                                  \
	(EXT2F_ROCOMPAT_SPARSE_SUPER | EXT2F_ROCOMPAT_LARGE_FILE |             \
	    EXT2F_ROCOMPAT_HUGE_FILE | EXT2F_ROCOMPAT_GDT_CSUM |               \
	    EXT2F_ROCOMPAT_DIR_NLINK | EXT2F_ROCOMPAT_EXTRA_ISIZE |            \
	    EXT2F_ROCOMPAT_METADATA_CSUM | EXT2F_ROCOMPAT_ORPHAN_PRESENT)

static const struct feature *const feature_tables[] = {
	[EXT2FS_COMPAT] = compat_names,
	[EXT2FS_INCOMPAT] = incompat_names,
	[EXT2FS_ROCOMPAT] = rocompat_names,
};

/* The name of one feature bit of a kind (EXT2FS_COMPAT ...). */
const char *
ext2fs_feature_name(int kind, uint32_t bit)
{
	const struct feature *f;

	if (kind < 0 || kind >= (int)__arraycount(feature_tables))
		return "unknown";
	for (f = feature_tables[kind]; f->name != NULL; f++)
		if (f->bit == bit)
			return f->name;
	return "unknown";
}

static uint32_t
lowest_bit(uint32_t v)
{
	return v & -v;
}

static void
add_names(int kind, uint32_t bits, char *buf, size_t len)
{
	uint32_t bit;

	for (; bits != 0; bits &= ~bit) {
		bit = lowest_bit(bits);
		if (buf[0] != '\0')
			strlcat(buf, ", ", len);
		strlcat(buf, ext2fs_feature_name(kind, bit), len);
	}
}

/*
 * Which features rule out a read-write mount: their names, separated
 * by ", ", in buf (of len bytes), or NULL when the file system may be
 * written.
 */
const char *
ext2fs_rw_blocker(const struct ext2fs *fs, char *buf, size_t len)
{
	buf[0] = '\0';
	add_names(EXT2FS_INCOMPAT, fs->e2_incompat & ~EXT2FS_WRITE_INCOMPAT,
	    buf, len);
	add_names(EXT2FS_ROCOMPAT, fs->e2_rocompat & ~EXT2FS_WRITE_ROCOMPAT,
	    buf, len);
	return buf[0] != '\0' ? buf : NULL;
}

static bool
ispow2(uint32_t v)
{
	return v != 0 && (v & (v - 1)) == 0;
}

/* A geometry error: logged like corruption, EINVAL to the mount. */
#define SB_BAD(fs, ...) (ext2fs_corrupt((fs), __VA_ARGS__), EINVAL)

static int
sb_check_csum(struct ext2fs *fs)
{
	const uint8_t *sb = fs->e2_sb;
	uint32_t want, got;

	if (sb[EXT2_SB_CHECKSUM_TYPE] != EXT2_CSUM_TYPE_CRC32C)
		return SB_BAD(fs, "superblock checksum type %u unknown",
		    sb[EXT2_SB_CHECKSUM_TYPE]);
	want = ext2_le32(sb + EXT2_SB_CHECKSUM);
	got = ext2fs_crc32c(~0u, sb, EXT2_SB_CHECKSUM);
	if (want != got)
		return SB_BAD(fs, "superblock checksum 0x%08x, computed 0x%08x",
		    want, got);
	if (fs->e2_incompat & EXT2F_INCOMPAT_CSUM_SEED)
		fs->e2_csum_seed = ext2_le32(sb + EXT2_SB_CHECKSUM_SEED);
	else
		fs->e2_csum_seed = ext2fs_crc32c(~0u, sb + EXT2_SB_UUID, 16);
	return 0;
}

/* Block size, group sizes and counts, each against the others. */
static int
sb_check_geometry(struct ext2fs *fs)
{
	const uint8_t *sb = fs->e2_sb;
	uint32_t logbs, logcs, cpg, ipb;
	uint64_t ngroups, devblocks;
	bool bigalloc = (fs->e2_rocompat & EXT2F_ROCOMPAT_BIGALLOC) != 0;

	logbs = ext2_le32(sb + EXT2_SB_LOG_BLOCK_SIZE);
	if (logbs > EXT2_MAX_LOG_BSIZE)
		return SB_BAD(fs, "block size 1024 << %u too large", logbs);
	fs->e2_bshift = 10 + logbs;
	fs->e2_bsize = 1u << fs->e2_bshift;

	fs->e2_nblocks = ext2_le32(sb + EXT2_SB_BLOCKS_COUNT_LO);
	if (fs->e2_incompat & EXT2F_INCOMPAT_64BIT)
		fs->e2_nblocks |=
		    (uint64_t)ext2_le32(sb + EXT2_SB_BLOCKS_COUNT_HI) << 32;
	devblocks = fs->e2_dev.ed_size >> fs->e2_bshift;
	if (fs->e2_nblocks > devblocks)
		return SB_BAD(fs, "%llu blocks, the device holds %llu",
		    (unsigned long long)fs->e2_nblocks,
		    (unsigned long long)devblocks);

	fs->e2_first_data_block = ext2_le32(sb + EXT2_SB_FIRST_DATA_BLOCK);
	if (fs->e2_first_data_block !=
	    (fs->e2_bsize == 1024 && !bigalloc ? 1u : 0u))
		return SB_BAD(fs, "first data block %u with %u-byte blocks",
		    fs->e2_first_data_block, fs->e2_bsize);
	if (fs->e2_nblocks <= fs->e2_first_data_block + 1u)
		return SB_BAD(fs, "%llu blocks", (unsigned long long)fs->e2_nblocks);

	/* One bitmap block covers a group (of clusters, with bigalloc). */
	fs->e2_bpg = ext2_le32(sb + EXT2_SB_BLOCKS_PER_GROUP);
	if (bigalloc) {
		logcs = ext2_le32(sb + EXT2_SB_LOG_CLUSTER_SIZE);
		cpg = ext2_le32(sb + EXT2_SB_CLUSTERS_PER_GROUP);
		if (logcs < logbs || logcs - logbs > 16 || cpg == 0 ||
		    cpg > 8 * fs->e2_bsize ||
		    (uint64_t)cpg << (logcs - logbs) != fs->e2_bpg)
			return SB_BAD(fs, "cluster geometry: log %u, %u per "
			    "group, %u blocks per group", logcs, cpg, fs->e2_bpg);
	} else if (fs->e2_bpg == 0 || fs->e2_bpg > 8 * fs->e2_bsize)
		return SB_BAD(fs, "%u blocks per group", fs->e2_bpg);

	if (fs->e2_isize > fs->e2_bsize)
		return SB_BAD(fs, "inode size %u > block size %u", fs->e2_isize,
		    fs->e2_bsize);
	ipb = fs->e2_bsize / fs->e2_isize;
	fs->e2_ipg = ext2_le32(sb + EXT2_SB_INODES_PER_GROUP);
	if (fs->e2_ipg < ipb || fs->e2_ipg > 8 * fs->e2_bsize)
		return SB_BAD(fs, "%u inodes per group", fs->e2_ipg);
	fs->e2_itable_blocks = (fs->e2_ipg + ipb - 1) / ipb;

	ngroups = (fs->e2_nblocks - fs->e2_first_data_block + fs->e2_bpg - 1) /
	    fs->e2_bpg;
	fs->e2_ninodes = ext2_le32(sb + EXT2_SB_INODES_COUNT);
	if (ngroups * fs->e2_ipg != fs->e2_ninodes)
		return SB_BAD(fs, "%u inodes, but %llu groups of %u",
		    fs->e2_ninodes, (unsigned long long)ngroups, fs->e2_ipg);
	fs->e2_ngroups = (uint32_t)ngroups;     /* <= e2_ninodes */
	if (fs->e2_first_ino < EXT2_GOOD_OLD_FIRST_INO ||
	    fs->e2_first_ino > fs->e2_ninodes)
		return SB_BAD(fs, "first inode %u of %u", fs->e2_first_ino,
		    fs->e2_ninodes);
	return 0;
}

/* Which features are there, and can they be read. */
static int
sb_check_features(struct ext2fs *fs)
{
	const uint8_t *sb = fs->e2_sb;
	uint32_t unknown;

	fs->e2_desc_size = EXT2_GD_SIZE;
	if (fs->e2_rev == EXT2_GOOD_OLD_REV) {
		/* Revision 0 has no feature fields: the bytes mean nothing. */
		fs->e2_isize = EXT2_GOOD_OLD_INODE_SIZE;
		fs->e2_first_ino = EXT2_GOOD_OLD_FIRST_INO;
		return 0;
	}
	fs->e2_compat = ext2_le32(sb + EXT2_SB_FEATURE_COMPAT);
	fs->e2_incompat = ext2_le32(sb + EXT2_SB_FEATURE_INCOMPAT);
	fs->e2_rocompat = ext2_le32(sb + EXT2_SB_FEATURE_RO_COMPAT);
	if ((unknown = fs->e2_incompat & ~EXT2FS_READ_INCOMPAT) != 0)
		return SB_BAD(fs, "incompatible feature %s (0x%x) not supported",
		    ext2fs_feature_name(EXT2FS_INCOMPAT, lowest_bit(unknown)),
		    lowest_bit(unknown));
	fs->e2_isize = ext2_le16(sb + EXT2_SB_INODE_SIZE);
	fs->e2_first_ino = ext2_le32(sb + EXT2_SB_FIRST_INO);
	if (!ispow2(fs->e2_isize) || fs->e2_isize < EXT2_GOOD_OLD_INODE_SIZE)
		return SB_BAD(fs, "inode size %u", fs->e2_isize);

	if (fs->e2_incompat & EXT2F_INCOMPAT_64BIT) {
		fs->e2_desc_size = ext2_le16(sb + EXT2_SB_DESC_SIZE);
		if (!ispow2(fs->e2_desc_size) ||
		    fs->e2_desc_size < EXT2_GD_SIZE_64BIT ||
		    fs->e2_desc_size > EXT2_GD_MAX_SIZE)
			return SB_BAD(fs, "group descriptor size %u",
			    fs->e2_desc_size);
	}
	/* metadata_csum supersedes gdt_csum when both are set. */
	fs->e2_metadata_csum =
	    (fs->e2_rocompat & EXT2F_ROCOMPAT_METADATA_CSUM) != 0;
	fs->e2_gdt_csum = !fs->e2_metadata_csum &&
	    (fs->e2_rocompat & EXT2F_ROCOMPAT_GDT_CSUM) != 0;

	for (int i = 0; i < 4; i++)
		fs->e2_hash_seed[i] = ext2_le32(sb + EXT2_SB_HASH_SEED + 4 * i);
	fs->e2_def_hash = sb[EXT2_SB_DEF_HASH_VERSION];
	fs->e2_hash_unsigned =
	    (ext2_le32(sb + EXT2_SB_FLAGS) & EXT2_SBF_UNSIGNED_HASH) != 0;
	return 0;
}

/*
 * Read and check the superblock of the device and its group
 * descriptors.  On success *fsp is a new struct ext2fs (free it with
 * ext2fs_sb_free()); on failure EINVAL (not an ext2 file system, or one
 * we cannot read: logged), EIO or ENOMEM.
 */
int
ext2fs_sb_load(const struct ext2fs_dev *dev, struct ext2fs **fsp)
{
	struct ext2fs *fs;
	int error;

	if ((fs = kmem_zalloc(sizeof(*fs), KM_SLEEP)) == NULL)
		return ENOMEM;
	fs->e2_dev = *dev;
	if (dev->ed_size < EXT2_SB_OFFSET + EXT2_SB_SIZE) {
		error = SB_BAD(fs, "device of %llu bytes too small",
		    (unsigned long long)dev->ed_size);
		goto fail;
	}
	error = dev->ed_read(dev->ed_cookie, EXT2_SB_OFFSET, fs->e2_sb,
	    EXT2_SB_SIZE);
	if (error != 0)
		goto fail;
	if (ext2_le16(fs->e2_sb + EXT2_SB_MAGIC_OFF) != EXT2_SB_MAGIC) {
		/* Not ours at all: no corruption to report. */
		error = EINVAL;
		goto fail;
	}
	fs->e2_rev = ext2_le32(fs->e2_sb + EXT2_SB_REV_LEVEL);
	if (fs->e2_rev > EXT2_DYNAMIC_REV) {
		error = SB_BAD(fs, "revision %u unknown", fs->e2_rev);
		goto fail;
	}
	if ((error = sb_check_features(fs)) != 0)
		goto fail;
	if (fs->e2_metadata_csum && (error = sb_check_csum(fs)) != 0)
		goto fail;
	if ((error = sb_check_geometry(fs)) != 0)
		goto fail;
	if ((error = ext2fs_groups_load(fs)) != 0)
		goto fail;
	*fsp = fs;
	return 0;
fail:
	kmem_free(fs, sizeof(*fs));
	return error;
}

void
ext2fs_sb_free(struct ext2fs *fs)
{
	kmem_free(fs->e2_groups,
	    (size_t)fs->e2_ngroups * sizeof(*fs->e2_groups));
	kmem_free(fs, sizeof(*fs));
}
