/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * cd9660: the read side of ISO 9660 with Rock Ridge and Joliet, below
 * the VFS (cd9660_format.h is the format).
 *
 * Data flow: the VFS glue (cd9660_vfsops.c, cd9660_vnops.c) loads a
 * volume with cd9660_vol_load() and asks for nodes and directory
 * entries; this layer reads the device only through the struct
 * cd9660_dev it was given (for a mount, the buffer cache on the device
 * vnode) and turns image bytes into decoded values.  Every value from
 * the image is checked before it is used as a length, an offset or a
 * block number; a bad one is EIO (EINVAL from cd9660_vol_load) and one
 * log line from cd9660_corrupt().  Continuation areas are followed at
 * most CD9660_MAXCE times per record and a multi-extent file has at
 * most CD9660_MAXEXT extents, so no image makes a walk endless.
 *
 * Inode numbers are byte positions on the image, so they are the same
 * at every mount: a directory's is the position of its "." record (the
 * start of its extent), any other file's the position of its (first)
 * record in its directory.  Readdir cookies are byte offsets in the
 * directory.
 *
 * Locking: a struct cd9660 is immutable once loaded and a struct
 * cd9660_node is a private decoded copy, immutable but for a
 * directory's name table, published once with an atomic
 * compare-and-swap; nothing else keeps state between calls, so any
 * number of threads may call in at once.  Every
 * function may sleep (it reads the device and allocates with KM_SLEEP).
 */
#ifndef _CD9660_H_
#define _CD9660_H_

#include <sys/types.h>
#include <sys/time.h>

#include "cd9660_format.h"

#define CD9660_MAXCE  16                /* continuation areas per record */
#define CD9660_MAXEXT 4096              /* extents of one file */
#define CD9660_NAMEMAX 255
#define CD9660_LINKMAX 4095             /* a symlink target, bytes */

/* The device: read len bytes at byte offset off; its size in bytes. */
struct cd9660_dev {
	int (*cd_read)(void *cookie, uint64_t off, void *buf, size_t len);
	void *cd_cookie;
	uint64_t cd_size;
};

/* Which tree and names a volume shows. */
enum cd9660_names { CD9660_ISO, CD9660_RRIP, CD9660_JOLIET };

/* Mount options (the ISOFSMNT_* of <rump/iso_args.h>, decoded). */
struct cd9660_opts {
	bool co_norrip;
	bool co_nojoliet;
	bool co_gens;                   /* keep ";N", show every version */
	bool co_nocasetrans;            /* ISO names as recorded */
	bool co_sess;                   /* the session starts at co_sessblk */
	uint32_t co_sessblk;
	bool co_lastsess;               /* find the last session */
};

/* A loaded volume.  Immutable after cd9660_vol_load(). */
struct cd9660 {
	struct cd9660_dev iso_dev;
	uint32_t iso_lbsize;            /* logical block size, bytes */
	uint32_t iso_lbshift;
	uint32_t iso_space;             /* volume space size, blocks */
	enum cd9660_names iso_names;
	uint32_t iso_skip;              /* SUSP LEN_SKP */
	uint64_t iso_root;              /* the root's inode number */
	struct cd9660_opts iso_opts;
};

/* A piece of a file's data: bytes [off, off + len) of the device. */
struct cd9660_extent {
	uint64_t ce_off;
	uint64_t ce_len;
};

/* A decoded file. */
struct cd9660_node {
	uint64_t cn_ino;
	uint32_t cn_mode;               /* S_IF* | permissions */
	uint32_t cn_nlink;
	uint32_t cn_uid, cn_gid;
	uint64_t cn_size;
	uint32_t cn_rdev_hi, cn_rdev_lo; /* PN as recorded */
	struct timespec cn_atime, cn_mtime, cn_ctime;
	uint64_t cn_parent;             /* a directory's ".." inode */
	uint32_t cn_next;               /* extents */
	struct cd9660_extent *cn_ext;   /* [cn_next], kmem */
	char *cn_link;                  /* a symlink's target, kmem, NUL */
	size_t cn_linklen;
	struct cd9660_dircache *cn_dc;  /* a directory's names: set once,
					 * atomically (cd9660_dircache.c) */
};

/* A directory entry, as cd9660_dir_next() hands it out. */
struct cd9660_dirent {
	uint64_t de_ino;
	uint32_t de_mode;               /* S_IFMT part only */
	uint64_t de_off;                /* this entry's cookie */
	uint64_t de_next;               /* the next entry's cookie */
	size_t de_namelen;
	char de_name[CD9660_NAMEMAX + 1];
};

/* cd9660_subr.c */
int cd9660_corrupt(const struct cd9660 *, const char *, ...)
    __printflike(2, 3);
int cd9660_devread(const struct cd9660 *, uint64_t, void *, size_t);
bool cd9660_range_ok(const struct cd9660 *, uint64_t, uint64_t);
void cd9660_date7(const uint8_t *, struct timespec *);
void cd9660_date17(const uint8_t *, struct timespec *);

/* cd9660_vol.c */
int cd9660_vol_load(const struct cd9660_dev *, const struct cd9660_opts *,
    struct cd9660 **);
void cd9660_vol_free(struct cd9660 *);

/* cd9660_node.c */
int cd9660_node_load(const struct cd9660 *, uint64_t ino, uint64_t dirend,
    struct cd9660_node *);
void cd9660_node_free(struct cd9660_node *);

/* cd9660_dir.c */
struct cd9660_dirbuf;
struct cd9660_dirbuf *cd9660_dirbuf_get(void);
void cd9660_dirbuf_put(struct cd9660_dirbuf *);
/* The entry at or after *offp in dir (ENOENT at the end). */
int cd9660_dir_next(const struct cd9660 *, const struct cd9660_node *,
    struct cd9660_dirbuf *, uint64_t off, struct cd9660_dirent *);
int cd9660_dir_lookup(const struct cd9660 *, struct cd9660_node *,
    const char *, size_t, struct cd9660_dirent *);

/* cd9660_dircache.c */
struct cd9660_dircache;
int cd9660_dc_lookup(const struct cd9660 *, struct cd9660_node *,
    const char *, size_t, struct cd9660_dirent *);
void cd9660_dc_free(struct cd9660_dircache *);

/* cd9660_rrip.c: one record's system use entries. */
struct cd9660_rr {
	bool rr_px, rr_pn, rr_cl, rr_pl, rr_re;
	uint32_t rr_mode, rr_nlink, rr_uid, rr_gid;
	uint32_t rr_rdev_hi, rr_rdev_lo;
	uint32_t rr_clblk, rr_plblk;
	unsigned rr_tf;                 /* RR_TF_* of the times found */
	struct timespec rr_ctime, rr_mtime, rr_atime;
	size_t rr_namelen;              /* NM, when rr_name */
	bool rr_name;
	char rr_namebuf[CD9660_NAMEMAX + 1];
	char *rr_link;                  /* SL goes here when not NULL */
	size_t rr_linklen;
	bool rr_sl;
	bool rr_sp;                     /* an SP entry (the root's ".") */
	uint32_t rr_spskip;
	bool rr_er_rrip, rr_er_other;   /* ER entries: Rock Ridge, others */
};
int cd9660_rr_parse(const struct cd9660 *, uint64_t recpos,
    const uint8_t *rec, size_t skip, struct cd9660_rr *);

#endif /* _CD9660_H_ */
