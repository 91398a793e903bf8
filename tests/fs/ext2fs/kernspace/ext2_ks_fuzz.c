/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Seeded corruption of ext2 images, in the kernel, in memory: a clean
 * walk of the image finds its metadata blocks (every block read except
 * file data), then each case flips bytes in them, mounts, walks and
 * reads everything within fixed budgets, and puts the bytes back.  What
 * is tested is that every case ends in an error return or a clean walk:
 * no crash, no hang, no sanitizer report.
 */
#include <sys/kmem.h>
#include <rump/rumpuser.h>

#include "ext2_ks_private.h"

#define WALK_MAX_DEPTH   24
#define WALK_MAX_ENTRIES 20000          /* records visited per walk */
#define WALK_MAX_BYTES   (256 * 1024)   /* read per file */
#define WALK_MAX_RUNS    4096           /* block map calls per file */
#define CHUNK            (64 * 1024)

struct walk {
	struct ext2fs *fs;
	bool data;                      /* read file bytes, or only map */
	uint8_t *chunk;
	uint32_t entries;
	uint64_t bytes;
	int errors;
};

struct walk_dir {
	struct walk *w;
	struct ext2fs_inode *dp;
	int depth;
};

static void walk_inode(struct walk *, uint32_t, int);

static void
note(struct walk *w, int error)
{
	if (error != 0)
		w->errors++;
}

static int
walk_entry(void *arg, const struct ext2fs_dirent *de)
{
	struct walk_dir *wd = arg;
	uint32_t ino;
	uint8_t type;

	if (++wd->w->entries > WALK_MAX_ENTRIES)
		return EXT2FS_DIR_STOP;
	if (strcmp(de->ed_name, ".") == 0 || strcmp(de->ed_name, "..") == 0)
		return 0;
	/* Find it again by name: through the index when there is one. */
	note(wd->w, ext2fs_lookup(wd->w->fs, wd->dp, de->ed_name,
	    de->ed_namelen, &ino, &type));
	walk_inode(wd->w, de->ed_ino, wd->depth + 1);
	return 0;
}

static void
walk_file(struct walk *w, const struct ext2fs_inode *ip)
{
	uint64_t lblk, pblk, run, nblk, off;
	size_t n;
	int error = 0, i;

	if (w->data) {
		for (off = 0; off < MIN(ip->ei_size, WALK_MAX_BYTES) &&
		     error == 0; off += n) {
			error = ext2fs_read(w->fs, ip, off, w->chunk, CHUNK, &n);
			w->bytes += n;
			if (n == 0)
				break;
		}
		note(w, error);
		return;
	}
	if (ip->ei_flags & EXT4_INLINE_DATA_FL)
		return;
	nblk = (ip->ei_size + w->fs->e2_bsize - 1) >> w->fs->e2_bshift;
	for (lblk = 0, i = 0; lblk < nblk && i < WALK_MAX_RUNS && error == 0;
	     lblk += run, i++)
		error = ext2fs_bmap(w->fs, ip, lblk, &pblk, &run);
	note(w, error);
}

static void
walk_inode(struct walk *w, uint32_t ino, int depth)
{
	struct walk_dir wd = { w, NULL, depth };
	struct ext2fs_inode *ip;
	uint64_t off = 0;
	size_t n;
	int error;

	if (depth > WALK_MAX_DEPTH || w->entries > WALK_MAX_ENTRIES)
		return;
	if ((ip = kmem_alloc(sizeof(*ip), KM_SLEEP)) == NULL) {
		note(w, ENOMEM);
		return;
	}
	if ((error = ext2fs_iget(w->fs, ino, ip)) != 0) {
		note(w, error);
		goto out;
	}
	switch (ip->ei_mode & EXT2_IFMT) {
	case EXT2_IFDIR:
		wd.dp = ip;
		note(w, ext2fs_readdir(w->fs, ip, &off, walk_entry, &wd));
		break;
	case EXT2_IFREG:
		walk_file(w, ip);
		break;
	case EXT2_IFLNK:
		note(w, ext2fs_readlink(w->fs, ip, (char *)w->chunk, CHUNK, &n));
		break;
	}
out:
	kmem_free(ip, sizeof(*ip));
}

static int
walk_all(struct ext2fs *fs, bool data, uint8_t *chunk, struct walk *w)
{
	memset(w, 0, sizeof(*w));
	w->fs = fs;
	w->data = data;
	w->chunk = chunk;
	walk_inode(w, EXT2_ROOT_INO, 0);
	return w->errors;
}

static uint32_t
xorshift(uint32_t *s)
{
	uint32_t x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x;
}

static int
load_image(const char *path, uint8_t **imgp, uint64_t *sizep)
{
	unsigned long long size;
	struct rumpuser_iovec iov;
	unsigned long n;
	int error, type, fd;

	if ((error = rumpuser_getfileinfo(path, &size, &type)) != 0)
		return error;
	if ((error = rumpuser_open(path, RUMPUSER_OPEN_RDONLY, &fd)) != 0)
		return error;
	if ((*imgp = kmem_alloc(size, KM_SLEEP)) == NULL) {
		rumpuser_close(fd);
		return ENOMEM;
	}
	iov.iov_base = *imgp;
	iov.iov_len = size;
	error = rumpuser_iovread(fd, &iov, 1, 0, &n);
	rumpuser_close(fd);
	if (error == 0 && n != size)
		error = EIO;
	if (error != 0)
		kmem_free(*imgp, size);
	*sizep = size;
	return error;
}

int
rump_test_ext2_fuzz(const char *path, uint32_t seed, uint32_t ncases,
    uint32_t nflips, struct rump_test_ext2_fuzzstats *st)
{
	struct { uint64_t off; uint8_t old; } flips[64];
	uint8_t *img = NULL, *touched = NULL, *chunk = NULL;
	uint64_t size = 0, nb = 0, *meta = NULL;
	uint32_t nmeta = 0, bsize, c, f;
	struct ks_fs *kf;
	struct walk w;
	int error;

	rump_schedule();
	memset(st, 0, sizeof(*st));
	if (nflips > __arraycount(flips))
		nflips = __arraycount(flips);
	if (seed == 0)
		seed = 1;
	if ((error = load_image(path, &img, &size)) != 0)
		goto out;
	if ((chunk = kmem_alloc(CHUNK, KM_SLEEP)) == NULL ||
	    (touched = kmem_zalloc(size / 1024 + 1, KM_SLEEP)) == NULL) {
		error = ENOMEM;
		goto out;
	}
	/* The clean walk, noting the blocks read. */
	if ((error = ks_mount_mem(img, size, touched, &kf)) != 0)
		goto out;
	bsize = kf->fs->e2_bsize;
	nb = size / bsize;
	memset(touched, 0, size / 1024 + 1);
	/* The superblock and descriptors were read before fs was set. */
	touched[EXT2_SB_OFFSET / bsize] = 1;
	for (uint64_t b = EXT2_SB_OFFSET / bsize + 1;
	     b <= EXT2_SB_OFFSET / bsize + 1 + kf->fs->e2_ngroups *
	     kf->fs->e2_desc_size / bsize && b < nb; b++)
		touched[b] = 1;
	if (walk_all(kf->fs, false, chunk, &w) != 0) {
		printf("ext2 fuzz: the clean image walks with %d errors\n",
		    w.errors);
		error = EIO;
	}
	ks_unmount(kf);
	if (error != 0)
		goto out;
	for (uint64_t b = 0; b < nb; b++)
		nmeta += touched[b];
	if ((meta = kmem_alloc(nmeta * sizeof(*meta), KM_SLEEP)) == NULL) {
		error = ENOMEM;
		goto out;
	}
	nmeta = 0;
	for (uint64_t b = 0; b < nb; b++)
		if (touched[b])
			meta[nmeta++] = b;
	st->meta_blocks = nmeta;

	for (c = 0; c < ncases; c++) {
		for (f = 0; f < nflips; f++) {
			uint64_t b = meta[xorshift(&seed) % nmeta];

			flips[f].off = b * bsize + xorshift(&seed) % bsize;
			flips[f].old = img[flips[f].off];
			img[flips[f].off] ^= (uint8_t)(xorshift(&seed) % 255 + 1);
		}
		st->cases++;
		if (ks_mount_mem(img, size, NULL, &kf) != 0)
			st->mount_failed++;
		else {
			if (walk_all(kf->fs, true, chunk, &w) != 0)
				st->walk_errors++;
			else
				st->clean++;
			st->entries += w.entries;
			st->bytes += w.bytes;
			ks_unmount(kf);
		}
		/* Put the bytes back, last flip first (they may repeat). */
		while (f-- > 0)
			img[flips[f].off] = flips[f].old;
	}
out:
	if (meta != NULL)
		kmem_free(meta, nmeta * sizeof(*meta));
	if (touched != NULL)
		kmem_free(touched, size / 1024 + 1);
	if (chunk != NULL)
		kmem_free(chunk, CHUNK);
	if (img != NULL)
		kmem_free(img, size);
	rump_unschedule();
	return error;
}
