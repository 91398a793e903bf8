/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The system use area of one directory record: the SUSP entries (SP,
 * CE, ST, ER) and the Rock Ridge ones (PX, PN, SL, NM, CL, PL, RE, TF),
 * decoded into a struct cd9660_rr.  Continuation areas (CE) are read
 * through the device, at most CD9660_MAXCE of them, so a chain that
 * loops ends in an error.  Names and symlink targets made of several
 * entries (the CONTINUE flags of NM and SL) are put together here.
 */
#include <sys/systm.h>
#include <sys/kmem.h>

#include "cd9660.h"

static const char *const rrip_ids[] = { "RRIP_1991A", "IEEE_P1282",
    "IEEE_1282" };

/* Where SL components are in the target being built. */
struct slstate {
	bool at_root;                   /* the target is just "/" */
	bool cont;                      /* the last component goes on */
};

static int
link_add(const struct cd9660 *iso, uint64_t pos, struct cd9660_rr *rr,
    const void *s, size_t n)
{
	if (n > CD9660_LINKMAX - rr->rr_linklen)
		return cd9660_corrupt(iso, "record at %llu: symlink target "
		    "longer than %d bytes", (unsigned long long)pos,
		    CD9660_LINKMAX);
	memcpy(rr->rr_link + rr->rr_linklen, s, n);
	rr->rr_linklen += n;
	rr->rr_link[rr->rr_linklen] = '\0';
	return 0;
}

/* The component records of one SL entry (RRIP 4.1.3.1). */
static int
sl_parse(const struct cd9660 *iso, uint64_t pos, struct cd9660_rr *rr,
    struct slstate *st, const uint8_t *p, size_t len)
{
	size_t i = 0, clen;
	const void *text;
	uint8_t f;
	int error;

	rr->rr_sl = true;
	while (i + 2 <= len) {
		f = p[i];
		clen = p[i + 1];
		if (i + 2 + clen > len)
			return cd9660_corrupt(iso, "record at %llu: SL "
			    "component overruns its entry",
			    (unsigned long long)pos);
		text = p + i + 2;
		i += 2 + clen;
		if (f & (RR_SLC_ROOT | RR_SLC_VOLROOT | RR_SLC_HOST)) {
			if (rr->rr_linklen == 0) {
				if ((error = link_add(iso, pos, rr, "/", 1)))
					return error;
				st->at_root = true;
				st->cont = false;
				continue;
			}
			text = "";
			clen = 0;
		} else if (f & RR_SLC_CURRENT) {
			text = ".";
			clen = 1;
		} else if (f & RR_SLC_PARENT) {
			text = "..";
			clen = 2;
		}
		if (memchr(text, '/', clen) != NULL ||
		    memchr(text, '\0', clen) != NULL)
			return cd9660_corrupt(iso, "record at %llu: SL "
			    "component holds '/' or NUL",
			    (unsigned long long)pos);
		if (rr->rr_linklen > 0 && !st->at_root && !st->cont &&
		    (error = link_add(iso, pos, rr, "/", 1)) != 0)
			return error;
		if ((error = link_add(iso, pos, rr, text, clen)) != 0)
			return error;
		st->at_root = false;
		st->cont = (f & RR_SLC_CONTINUE) != 0;
	}
	return 0;
}

static void
tf_parse(struct cd9660_rr *rr, const uint8_t *p, size_t len)
{
	uint8_t flags = p[0];
	size_t sz = (flags & RR_TF_LONG) ? 17 : 7, off = 1;
	struct timespec ts;

	for (int bit = 0; bit < 7; bit++) {
		if ((flags & (1u << bit)) == 0)
			continue;
		if (off + sz > len)
			break;
		if (sz == 17)
			cd9660_date17(p + off, &ts);
		else
			cd9660_date7(p + off, &ts);
		off += sz;
		switch (1u << bit) {
		case RR_TF_MODIFY:
			rr->rr_mtime = ts;
			break;
		case RR_TF_ACCESS:
			rr->rr_atime = ts;
			break;
		case RR_TF_ATTR:
			rr->rr_ctime = ts;
			break;
		default:
			continue;
		}
		rr->rr_tf |= 1u << bit;
	}
}

/*
 * One entry.  *cep is set from a CE entry; *stop from ST.
 */
static int
entry(const struct cd9660 *iso, uint64_t pos, struct cd9660_rr *rr,
    struct slstate *st, const uint8_t *p, size_t l, uint32_t ce[3],
    bool *stop)
{
	const char *sig = (const char *)p;
	bool ours = false;
	size_t n;

	if (memcmp(sig, "ST", 2) == 0) {
		*stop = true;
	} else if (memcmp(sig, "SP", 2) == 0 && l >= SUSP_SP_LEN &&
	    p[4] == SUSP_CHECK0 && p[5] == SUSP_CHECK1) {
		rr->rr_sp = true;
		rr->rr_spskip = p[6];
	} else if (memcmp(sig, "CE", 2) == 0 && l >= SUSP_CE_LEN) {
		ce[0] = iso_le32(p + 4);
		ce[1] = iso_le32(p + 12);
		ce[2] = iso_le32(p + 20);
	} else if (memcmp(sig, "ER", 2) == 0 && l >= 8) {
		n = p[4];
		for (size_t i = 0; i < __arraycount(rrip_ids); i++)
			if (8 + n <= l && n == strlen(rrip_ids[i]) &&
			    memcmp(p + 8, rrip_ids[i], n) == 0)
				ours = true;
		if (ours)
			rr->rr_er_rrip = true;
		else
			rr->rr_er_other = true;
	} else if (memcmp(sig, "PX", 2) == 0 && l >= RR_PX_MINLEN) {
		rr->rr_px = true;
		rr->rr_mode = iso_le32(p + 4);
		rr->rr_nlink = iso_le32(p + 12);
		rr->rr_uid = iso_le32(p + 20);
		rr->rr_gid = iso_le32(p + 28);
	} else if (memcmp(sig, "PN", 2) == 0 && l >= RR_PN_LEN) {
		rr->rr_pn = true;
		rr->rr_rdev_hi = iso_le32(p + 4);
		rr->rr_rdev_lo = iso_le32(p + 12);
	} else if (memcmp(sig, "SL", 2) == 0 && l >= 5) {
		if (rr->rr_link != NULL)
			return sl_parse(iso, pos, rr, st, p + 5, l - 5);
		rr->rr_sl = true;
	} else if (memcmp(sig, "NM", 2) == 0 && l >= 5) {
		if (p[4] & (RR_NM_CURRENT | RR_NM_PARENT))
			return 0;
		n = l - 5;
		if (n > CD9660_NAMEMAX - rr->rr_namelen)
			return cd9660_corrupt(iso, "record at %llu: NM name "
			    "longer than %d bytes", (unsigned long long)pos,
			    CD9660_NAMEMAX);
		memcpy(rr->rr_namebuf + rr->rr_namelen, p + 5, n);
		rr->rr_namelen += n;
		rr->rr_namebuf[rr->rr_namelen] = '\0';
		rr->rr_name = true;
	} else if (memcmp(sig, "CL", 2) == 0 && l >= RR_CL_LEN) {
		rr->rr_cl = true;
		rr->rr_clblk = iso_le32(p + 4);
	} else if (memcmp(sig, "PL", 2) == 0 && l >= RR_CL_LEN) {
		rr->rr_pl = true;
		rr->rr_plblk = iso_le32(p + 4);
	} else if (memcmp(sig, "RE", 2) == 0) {
		rr->rr_re = true;
	} else if (memcmp(sig, "TF", 2) == 0 && l >= 5) {
		tf_parse(rr, p + 4, l - 4);
	}
	return 0;
}

/*
 * Decode the system use area of the record rec (at byte position
 * recpos on the image; rec[0] bytes long, checked by the caller),
 * skipping skip bytes at its start, and the continuation areas it
 * points to.  rr->rr_link, when not NULL, receives an SL target
 * (CD9660_LINKMAX + 1 bytes); everything else of rr is cleared first.
 */
int
cd9660_rr_parse(const struct cd9660 *iso, uint64_t recpos, const uint8_t *rec,
    size_t skip, struct cd9660_rr *rr)
{
	char *link = rr->rr_link;
	struct slstate st = { false, false };
	uint32_t ce[3];
	const uint8_t *p;
	uint8_t *cebuf = NULL;
	size_t len, l, nlen = rec[ISO_DR_NAMELEN], start;
	bool stop;
	int error = 0, nce = 0;

	memset(rr, 0, sizeof(*rr));
	rr->rr_link = link;
	if (link != NULL)
		link[0] = '\0';
	start = ISO_DR_NAME + nlen + (nlen % 2 == 0 ? 1 : 0) + skip;
	if (start >= rec[ISO_DR_LEN])
		return 0;
	p = rec + start;
	len = rec[ISO_DR_LEN] - start;
	for (;;) {
		ce[0] = ce[1] = ce[2] = 0;
		stop = false;
		while (len >= SUSP_HDR && !stop && p[0] != '\0') {
			l = p[2];
			if (l < SUSP_HDR || l > len) {
				error = cd9660_corrupt(iso, "record at %llu: "
				    "system use entry of %zu bytes in %zu",
				    (unsigned long long)recpos, l, len);
				goto out;
			}
			if ((error = entry(iso, recpos, rr, &st, p, l, ce,
			    &stop)) != 0)
				goto out;
			p += l;
			len -= l;
		}
		if (ce[2] == 0)
			break;
		if (++nce > CD9660_MAXCE || ce[2] > ISO_SECTOR ||
		    ce[1] >= iso->iso_lbsize) {
			error = cd9660_corrupt(iso, "record at %llu: bad or "
			    "looping continuation area (block %u, offset %u, "
			    "%u bytes)", (unsigned long long)recpos, ce[0],
			    ce[1], ce[2]);
			goto out;
		}
		if (cebuf == NULL &&
		    (cebuf = kmem_alloc(ISO_SECTOR, KM_SLEEP)) == NULL) {
			error = ENOMEM;
			goto out;
		}
		if ((error = cd9660_devread(iso,
		    ((uint64_t)ce[0] << iso->iso_lbshift) + ce[1], cebuf,
		    ce[2])) != 0)
			goto out;
		p = cebuf;
		len = ce[2];
	}
out:
	if (cebuf != NULL)
		kmem_free(cebuf, ISO_SECTOR);
	return error;
}
