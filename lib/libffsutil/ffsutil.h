/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * libffsutil: what newfs(8) and fsck_ffs(8) share about an FFS image
 * they reach with ordinary file I/O.  The on-disk format is the
 * kernel's (sys/rump/fs/lib/libffs/ffs_format.h); this library decodes
 * it in either byte order, checks a superblock, does the geometry
 * arithmetic (where a group, its header, its inodes and its data
 * start), lays out and summarises group headers, and reads and writes
 * inodes.  Host userland code: it may print nothing and never exits.
 */
#ifndef _FFSUTIL_H_
#define _FFSUTIL_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ffs_format.h"

/* An open image and its decoded superblock. */
struct ffsu_fs {
	int fd;
	bool swap; /* image byte order is not the host's */
	bool ufs2;
	uint64_t sbloc;               /* byte offset of the superblock in use */
	uint64_t imgbytes;            /* size of the image file */
	unsigned char sb[SBLOCKSIZE]; /* raw superblock, image order */

	uint32_t sblkno, cblkno, iblkno, dblkno;
	uint32_t ncg, bsize, fsize, frag, fragshift, fsbtodb;
	uint32_t minfree, sbsize, nindir, inopb, ipg, fpg;
	uint32_t cgsize, cssize, contigsumsize, maxsymlinklen;
	uint32_t cgoffset, cgmask; /* UFS1 group staggering */
	uint32_t isize;            /* bytes of a dinode */
	uint64_t size, dsize;      /* frags */
	uint64_t csaddr;           /* frag of the group summaries */
	uint64_t maxino;           /* ncg * ipg */
	int64_t cstotal[4];        /* ndir, nbfree, nifree, nffree */
	bool oldfields;            /* UFS1 totals live in the 32-bit fields */
};

/* Where a group header's maps are (byte offsets in the header). */
struct ffsu_cglayout {
	uint32_t btotoff, boff, iusedoff, freeoff;
	uint32_t clustersumoff, clusteroff, nextfreeoff;
};

/* An inode, decoded; the fields fsck and newfs look at. */
struct ffsu_dinode {
	uint16_t mode;
	int16_t nlink;
	uint32_t uid, gid, flags, gen;
	uint64_t size, blocks; /* blocks: 512-byte sectors held */
	int64_t db[UFS_NDADDR], ib[UFS_NIADDR];
	int64_t atime, mtime, ctime, birthtime;
	uint32_t extsize; /* UFS2 extended attribute bytes */
	int64_t extb[UFS_NXADDR]; /* UFS2: the attribute area's frags */
};

/* Byte order of the image. */
uint16_t ffsu_get16(const struct ffsu_fs *, const void *);
uint32_t ffsu_get32(const struct ffsu_fs *, const void *);
uint64_t ffsu_get64(const struct ffsu_fs *, const void *);
void ffsu_put16(const struct ffsu_fs *, void *, uint16_t);
void ffsu_put32(const struct ffsu_fs *, void *, uint32_t);
void ffsu_put64(const struct ffsu_fs *, void *, uint64_t);

/* Frags that hold n bytes. */
static inline uint64_t
ffsu_nfrags(const struct ffsu_fs *fs, uint64_t n)
{
	return (n + fs->fsize - 1) / fs->fsize;
}

/* Bit maps of group headers. */
static inline bool
ffsu_isset(const unsigned char *map, uint64_t n)
{
	return (map[n / 8] >> (n % 8)) & 1;
}
static inline void
ffsu_setbit(unsigned char *map, uint64_t n)
{
	map[n / 8] |= (unsigned char)(1u << (n % 8));
}
static inline void
ffsu_clrbit(unsigned char *map, uint64_t n)
{
	map[n / 8] &= (unsigned char)~(1u << (n % 8));
}

/*
 * Decode and check the superblock in raw (found at byte loc) into fs
 * (fs->imgbytes must be set).  0, or -1 with why filled in.
 */
int ffsu_sb_decode(struct ffsu_fs *, const void *raw, uint64_t loc, char *why,
                   size_t whylen);
/*
 * Open path and find its superblock at the standard places: 0, or -1
 * with why (errno kept for I/O failures).
 */
int ffsu_open(struct ffsu_fs *, const char *path, bool rw, char *why,
              size_t whylen);
/*
 * Find a group's backup superblock when the primary is unusable: the
 * copy in group 0 (tried for every geometry) and then group 1.  Byte
 * offset of the copy, or 0 if none checks out.
 */
uint64_t ffsu_find_alt(struct ffsu_fs *);
/* Write the totals and clean flag into fs->sb, then fs->sb to disk. */
int ffsu_sb_write(struct ffsu_fs *, uint64_t loc);

/* Geometry, in frags. */
uint64_t ffsu_cgbase(const struct ffsu_fs *, uint32_t c);
uint64_t ffsu_cgstart(const struct ffsu_fs *, uint32_t c);
uint64_t ffsu_cgsblock(const struct ffsu_fs *, uint32_t c);
uint64_t ffsu_cgtod(const struct ffsu_fs *, uint32_t c);
uint64_t ffsu_cgimin(const struct ffsu_fs *, uint32_t c);
uint64_t ffsu_cgdmin(const struct ffsu_fs *, uint32_t c);
/* Frags the group really has (the last may be short). */
uint32_t ffsu_cgndblk(const struct ffsu_fs *, uint32_t c);
/* Byte offset of inode ino. */
uint64_t ffsu_ino_offset(const struct ffsu_fs *, uint64_t ino);

/* Map layout of a group header for this geometry; its byte size. */
uint32_t ffsu_cg_layout(bool ufs2, uint32_t ipg, uint32_t fpg, uint32_t frag,
                        uint32_t contigsumsize, struct ffsu_cglayout *);
/* A fresh header for group c in buf (fs->cgsize bytes): no maps set. */
void ffsu_cg_init(const struct ffsu_fs *, uint32_t c, void *buf, int64_t now);
/*
 * Recompute cg_cs, cg_frsum and the cluster map and summary of the
 * header in buf from its inode and free-frag maps (dirs: how many of
 * its inodes are directories).
 */
void ffsu_cg_summarize(const struct ffsu_fs *, void *buf, uint32_t ndir);
int ffsu_cg_read(const struct ffsu_fs *, uint32_t c, void *buf);
int ffsu_cg_write(const struct ffsu_fs *, uint32_t c, const void *buf);

/* Inodes: raw is fs->isize bytes in image order. */
void ffsu_dinode_decode(const struct ffsu_fs *, const void *raw,
                        struct ffsu_dinode *);
/* Into raw, leaving the fields it does not know alone. */
void ffsu_dinode_encode(const struct ffsu_fs *, const struct ffsu_dinode *,
                        void *raw);
int ffsu_inode_read(const struct ffsu_fs *, uint64_t ino, void *raw);
int ffsu_inode_write(const struct ffsu_fs *, uint64_t ino, const void *raw);

/* Whole transfers at a byte offset: 0, or -1 with errno (EIO if short). */
int ffsu_pread(const struct ffsu_fs *, void *, size_t, uint64_t);
int ffsu_pwrite(const struct ffsu_fs *, const void *, size_t, uint64_t);

#endif /* _FFSUTIL_H_ */
