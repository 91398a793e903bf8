/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Loading a volume: the session, its volume descriptor set, and which
 * tree and names to show.
 *
 * Sessions.  A multi-session image holds one descriptor set per
 * session, at sector 16 of the session; extents are addresses from the
 * start of the image in every session, and a later session's tree
 * refers to the files of the earlier ones it keeps.  By default the
 * set at sector 16 is read (a single session, or an image grown in
 * place, where that set is the newest).  co_sess reads the set of the
 * session starting at co_sessblk (the original's ISOFSMNT_SESS);
 * co_lastsess finds the last one: a session's primary descriptor gives
 * its volume space size, the end of the session (last_session()), and
 * the next session, if any, starts at or after it (a CD's lead-out and
 * lead-in, at most CD9660_SESSGAP sectors, lie between); so we look for
 * the next set from there, and so on while there is one.
 *
 * Trees.  Rock Ridge, when the root directory's "." record starts with
 * an SP entry and no ER entry names only other extensions (and
 * co_norrip is not set), with the primary tree; else Joliet, when a
 * supplementary descriptor has Joliet's escape sequences (and
 * co_nojoliet is not set), with its tree; else the primary tree with
 * ISO names.
 */
#include <sys/systm.h>
#include <sys/kmem.h>

#include "cd9660.h"

#define CD9660_SESSGAP 11400            /* lead-out + lead-in, sectors */
#define CD9660_MAXSESS 99               /* sessions on a CD */

/* The copies of the descriptors a volume is made from. */
struct vdset {
	uint8_t pvd[ISO_SECTOR];
	uint8_t svd[ISO_SECTOR];        /* Joliet's */
	bool have_pvd, have_svd;
	uint8_t sec[ISO_SECTOR];
};

static bool
is_vd(const uint8_t *sec)
{
	return memcmp(sec + ISO_VD_ID, ISO_STDID, 5) == 0 &&
	    sec[ISO_VD_VERSION] == 1;
}

static bool
is_joliet(const uint8_t *svd)
{
	const uint8_t *e = svd + ISO_VD_ESCAPES;

	return e[0] == '%' && e[1] == '/' &&
	    (e[2] == '@' || e[2] == 'C' || e[2] == 'E');
}

/*
 * Read the descriptor set of the session at sector sess.  EINVAL, with
 * a notice, when there is none (not an ISO 9660 image).
 */
static int
read_vds(const struct cd9660 *iso, uint32_t sess, struct vdset *vs, bool quiet)
{
	uint64_t pos;
	int error;

	vs->have_pvd = vs->have_svd = false;
	for (int i = 0; i < ISO_VD_MAX; i++) {
		pos = ((uint64_t)sess + ISO_VD_START + (uint64_t)i) *
		    ISO_SECTOR;
		if (!cd9660_range_ok(iso, pos, ISO_SECTOR))
			break;
		if ((error = iso->iso_dev.cd_read(iso->iso_dev.cd_cookie, pos,
		    vs->sec, ISO_SECTOR)) != 0)
			return error;
		if (!is_vd(vs->sec))
			break;
		if (vs->sec[ISO_VD_TYPE] == ISO_VD_TERM)
			break;
		if (vs->sec[ISO_VD_TYPE] == ISO_VD_PRIMARY && !vs->have_pvd) {
			memcpy(vs->pvd, vs->sec, ISO_SECTOR);
			vs->have_pvd = true;
		} else if (vs->sec[ISO_VD_TYPE] == ISO_VD_SUPPL &&
		    !vs->have_svd && is_joliet(vs->sec)) {
			memcpy(vs->svd, vs->sec, ISO_SECTOR);
			vs->have_svd = true;
		}
	}
	if (vs->have_pvd)
		return 0;
	if (!quiet)
		log(LOG_NOTICE, "cd9660: no ISO 9660 primary volume "
		    "descriptor at sector %u", sess + ISO_VD_START);
	return EINVAL;
}

/*
 * The start of the last session, from the session at *sessp.  A
 * session's volume space size is where the image ends as that session
 * sees it: counted from the start of the image by CD writers (mkisofs
 * -C), from the start of the session by xorriso growing an image in
 * place; the next session starts after both readings.
 */
static int
last_session(const struct cd9660 *iso, struct vdset *vs, uint32_t *sessp)
{
	uint32_t sess = *sessp, space, k, end;
	uint64_t from;
	int error;

	for (int n = 0; n < CD9660_MAXSESS; n++) {
		if ((error = read_vds(iso, sess, vs, false)) != 0)
			return error;
		space = iso_le32(vs->pvd + ISO_VD_SPACE);
		from = space > sess ? space : (uint64_t)sess + space;
		if (space == 0 || from >= iso->iso_dev.cd_size / ISO_SECTOR)
			return 0;
		end = (uint32_t)MIN(from + CD9660_SESSGAP + 1,
		    iso->iso_dev.cd_size / ISO_SECTOR);
		for (k = (uint32_t)from; k < end; k++) {
			if (read_vds(iso, k, vs, true) == 0 &&
			    iso_le32(vs->pvd + ISO_VD_SPACE) != 0)
				break;
		}
		if (k >= end)
			return 0;
		*sessp = sess = k;
	}
	return 0;
}

/*
 * The root record of a descriptor: checked, and its "." read to see
 * whether Rock Ridge is there.
 */
static int
root_of(struct cd9660 *iso, const uint8_t *vd, struct cd9660_rr *rr,
    uint8_t *sec)
{
	const uint8_t *r = vd + ISO_VD_ROOT;
	uint64_t blk = (uint64_t)iso_le32(r + ISO_DR_EXTENT) + r[ISO_DR_XARLEN];
	uint32_t size = iso_le32(r + ISO_DR_SIZE);
	int error;

	iso->iso_root = blk << iso->iso_lbshift;
	if (r[ISO_DR_LEN] < ISO_DR_ROOTLEN || (r[ISO_DR_FLAGS] &
	    ISO_FL_DIR) == 0 || size < 2 * ISO_DR_MINLEN ||
	    iso->iso_root % ISO_SECTOR != 0 ||
	    !cd9660_range_ok(iso, iso->iso_root, size)) {
		(void)cd9660_corrupt(iso, "bad root directory record "
		    "(block %llu, %u bytes)", (unsigned long long)blk, size);
		return EINVAL;
	}
	if ((error = cd9660_devread(iso, iso->iso_root, sec, ISO_SECTOR)) != 0)
		return error;
	if (sec[ISO_DR_LEN] < ISO_DR_MINLEN || sec[ISO_DR_NAMELEN] != 1 ||
	    sec[ISO_DR_NAME] != 0 || ISO_DR_NAME + 1 > sec[ISO_DR_LEN]) {
		(void)cd9660_corrupt(iso, "the root directory does not start "
		    "with \".\"");
		return EINVAL;
	}
	rr->rr_link = NULL;
	if (cd9660_rr_parse(iso, iso->iso_root, sec, 0, rr) != 0)
		return EINVAL;
	return 0;
}

int
cd9660_vol_load(const struct cd9660_dev *dev, const struct cd9660_opts *opts,
    struct cd9660 **isop)
{
	struct cd9660 *iso;
	struct vdset *vs;
	struct cd9660_rr *rr;
	uint32_t lbsize, sess = 0;
	int error;

	iso = kmem_zalloc(sizeof(*iso), KM_SLEEP);
	vs = kmem_alloc(sizeof(*vs), KM_SLEEP);
	rr = kmem_alloc(sizeof(*rr), KM_SLEEP);
	if (iso == NULL || vs == NULL || rr == NULL) {
		error = ENOMEM;
		goto fail;
	}
	iso->iso_dev = *dev;
	iso->iso_opts = *opts;
	if (opts->co_sess)
		sess = opts->co_sessblk;
	if ((opts->co_lastsess &&
	    (error = last_session(iso, vs, &sess)) != 0) ||
	    (error = read_vds(iso, sess, vs, false)) != 0)
		goto fail;
	lbsize = iso_le16(vs->pvd + ISO_VD_LBSIZE);
	if (lbsize != 512 && lbsize != 1024 && lbsize != 2048) {
		(void)cd9660_corrupt(iso, "logical blocks of %u bytes",
		    lbsize);
		error = EINVAL;
		goto fail;
	}
	iso->iso_lbsize = lbsize;
	iso->iso_lbshift = lbsize == 512 ? 9 : lbsize == 1024 ? 10 : 11;
	iso->iso_space = iso_le32(vs->pvd + ISO_VD_SPACE);
	if ((error = root_of(iso, vs->pvd, rr, vs->sec)) != 0)
		goto fail;
	if (!opts->co_norrip && rr->rr_sp &&
	    (rr->rr_er_rrip || !rr->rr_er_other)) {
		iso->iso_names = CD9660_RRIP;
		iso->iso_skip = rr->rr_spskip;
	} else if (!opts->co_nojoliet && vs->have_svd &&
	    iso_le16(vs->svd + ISO_VD_LBSIZE) == lbsize) {
		iso->iso_names = CD9660_JOLIET;
		if ((error = root_of(iso, vs->svd, rr, vs->sec)) != 0)
			goto fail;
	} else
		iso->iso_names = CD9660_ISO;
	kmem_free(vs, sizeof(*vs));
	kmem_free(rr, sizeof(*rr));
	*isop = iso;
	return 0;
fail:
	if (vs != NULL)
		kmem_free(vs, sizeof(*vs));
	if (rr != NULL)
		kmem_free(rr, sizeof(*rr));
	if (iso != NULL)
		kmem_free(iso, sizeof(*iso));
	return error;
}

void
cd9660_vol_free(struct cd9660 *iso)
{
	kmem_free(iso, sizeof(*iso));
}
