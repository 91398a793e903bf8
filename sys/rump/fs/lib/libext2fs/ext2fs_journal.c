/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The JBD2 journal at the format level: replay into memory (the three
 * walks of the log, ext2fs_jbd2.h, and the map they leave, from a
 * file-system block to the journal block holding the copy to put
 * there), and the blocks of a transaction laid out for writing
 * (ext2fs_journal_logblock(), ext2fs_journal_setlog()).  Nothing here
 * writes the device: ext2fs_journal_vfs.c reads through the map or
 * copies it home, ext2fs_journal_write.c writes the transactions.
 *
 * The journal file is mapped once, into runs of contiguous blocks, so
 * that a log block is found without walking the inode's map again, and
 * so that a tag naming a block of the journal itself (which replay would
 * overwrite under its own feet) is seen to be corrupt.  Sequence numbers
 * are kept as ages, tid - s_sequence: they grow through the log, so no
 * comparison wraps.
 *
 * Locking: none.  Replay runs at mount, before the mount is visible;
 * a finished struct ext2fs_journal is only read (lookups) until freed.
 * The writer's calls come with its em_lock held as writer.
 */
#include <sys/systm.h>
#include <sys/endian.h>
#include <sys/kmem.h>

#include "ext2fs_jbd2.h"

/* A run of the journal file: len blocks from lblk at pblk on. */
struct jrun {
	uint32_t r_lblk, r_len;
	uint64_t r_pblk;
};

/* A table entry: a block, and its journal copy or its revoking age. */
struct jent {
	uint64_t e_key;
	uint64_t e_val;                 /* map: journal block (device) */
	uint32_t e_aux;                 /* map: escaped; revoke: age */
	uint32_t e_next;                /* chain, index + 1 (0: end) */
};

/* A hash table of entries in one growing array. */
struct jtab {
	struct jent *t_ent;
	uint32_t t_n, t_cap;
	uint32_t *t_bucket;             /* index + 1 of the chain's head */
	uint32_t t_bits;
};

struct ext2fs_journal {
	const struct ext2fs *j_fs;      /* during the walks only */
	struct ext2fs_inode j_ino;
	struct jrun *j_runs;
	uint32_t j_nruns, j_runcap;
	uint64_t j_sbpblk;              /* the journal superblock's block */
	uint32_t j_bsize;
	uint32_t j_first, j_maxlen, j_start, j_seq;
	uint32_t j_wstart;              /* the writer's: where tid's log goes */
	bool j_wasync;                  /* the writer commits async */
	uint32_t j_wnext;               /* async: after the last log, 0: none */
	uint32_t j_wprev;               /* async: where tid - 1's log went */
	uint32_t j_incompat;
	uint32_t j_wcompat;             /* async: compat features to set */
	bool j_v2;                      /* a v2 superblock (with features) */
	bool j_csum, j_csum3, j_64bit;
	bool j_csum1;                   /* v1: crc32 of each transaction */
	bool j_async;                   /* async_commit: commit may precede */
	bool j_torn;                    /* scan: a copy's checksum is bad */
	uint32_t *j_crctab;             /* v1: crc32 (MSB first) table */
	uint32_t j_crc1;                /* v1: of the transaction so far */
	uint32_t j_seed;                /* crc32c of the journal UUID */
	uint32_t j_tagsize;
	uint32_t j_end;                 /* age of the first transaction dropped */
	struct jtab j_map, j_revoke;
	uint8_t *j_buf, *j_data;        /* a log block, a copy */
};

enum pass { PASS_SCAN, PASS_REVOKE, PASS_REPLAY };

#define JTAB_MAXBITS 16

static int
tab_init(struct jtab *t, uint32_t hint)
{
	t->t_bits = 4;
	while (t->t_bits < JTAB_MAXBITS && (1u << t->t_bits) < hint)
		t->t_bits++;
	t->t_bucket = kmem_zalloc(sizeof(uint32_t) << t->t_bits, KM_SLEEP);
	return t->t_bucket == NULL ? ENOMEM : 0;
}

static void
tab_free(struct jtab *t)
{
	if (t->t_bucket != NULL)
		kmem_free(t->t_bucket, sizeof(uint32_t) << t->t_bits);
	if (t->t_ent != NULL)
		kmem_free(t->t_ent, (size_t)t->t_cap * sizeof(*t->t_ent));
	memset(t, 0, sizeof(*t));
}

static uint32_t
tab_hash(const struct jtab *t, uint64_t key)
{
	return (uint32_t)((key * 0x9E3779B97F4A7C15ull) >> (64 - t->t_bits));
}

static struct jent *
tab_find(const struct jtab *t, uint64_t key)
{
	uint32_t i;

	if (t->t_bucket == NULL)
		return NULL;
	for (i = t->t_bucket[tab_hash(t, key)]; i != 0;
	    i = t->t_ent[i - 1].e_next)
		if (t->t_ent[i - 1].e_key == key)
			return &t->t_ent[i - 1];
	return NULL;
}

/* The entry of key, made (zeroed) if new; *newp whether it was. */
static int
tab_get(struct jtab *t, uint64_t key, struct jent **ep, bool *newp)
{
	struct jent *e;
	uint32_t cap, h;

	if ((*ep = tab_find(t, key)) != NULL) {
		*newp = false;
		return 0;
	}
	if (t->t_n == t->t_cap) {
		cap = t->t_cap == 0 ? 64 : t->t_cap * 2;
		if (cap <= t->t_cap ||
		    (e = kmem_alloc((size_t)cap * sizeof(*e), KM_SLEEP)) == NULL)
			return ENOMEM;
		if (t->t_ent != NULL) {
			memcpy(e, t->t_ent, (size_t)t->t_n * sizeof(*e));
			kmem_free(t->t_ent, (size_t)t->t_cap * sizeof(*e));
		}
		t->t_ent = e;
		t->t_cap = cap;
	}
	h = tab_hash(t, key);
	e = &t->t_ent[t->t_n];
	memset(e, 0, sizeof(*e));
	e->e_key = key;
	e->e_next = t->t_bucket[h];
	t->t_bucket[h] = ++t->t_n;
	*ep = e;
	*newp = true;
	return 0;
}

/* Add run [lblk, lblk + len) at pblk, merging with the last. */
static int
run_add(struct ext2fs_journal *j, uint32_t lblk, uint32_t len, uint64_t pblk)
{
	struct jrun *r;
	uint32_t cap;

	if (j->j_nruns > 0) {
		r = &j->j_runs[j->j_nruns - 1];
		if (r->r_pblk + r->r_len == pblk) {
			r->r_len += len;
			return 0;
		}
	}
	if (j->j_nruns == j->j_runcap) {
		cap = j->j_runcap == 0 ? 16 : j->j_runcap * 2;
		if ((r = kmem_alloc((size_t)cap * sizeof(*r), KM_SLEEP)) == NULL)
			return ENOMEM;
		if (j->j_runs != NULL) {
			memcpy(r, j->j_runs, (size_t)j->j_nruns * sizeof(*r));
			kmem_free(j->j_runs, (size_t)j->j_runcap * sizeof(*r));
		}
		j->j_runs = r;
		j->j_runcap = cap;
	}
	r = &j->j_runs[j->j_nruns++];
	r->r_lblk = lblk;
	r->r_len = len;
	r->r_pblk = pblk;
	return 0;
}

/* Map the journal file's blocks [0, n): no holes, inside the fs. */
static int
map_journal(struct ext2fs_journal *j, uint32_t n)
{
	const struct ext2fs *fs = j->j_fs;
	uint64_t pblk, run;
	uint32_t l, len;
	int error;

	j->j_nruns = 0;
	for (l = 0; l < n; l += len) {
		if ((error = ext2fs_bmap(fs, &j->j_ino, l, &pblk, &run)) != 0)
			return error;
		if (pblk == 0)
			return ext2fs_corrupt(fs, "journal: block %u is a hole",
			    l);
		len = (uint32_t)MIN(run, (uint64_t)(n - l));
		if (!ext2fs_blk_ok(fs, pblk, len))
			return ext2fs_corrupt(fs, "journal: block %u at %llu "
			    "out of range", l, (unsigned long long)pblk);
		if ((error = run_add(j, l, len, pblk)) != 0)
			return error;
	}
	return 0;
}

/* The device block of journal block l (l < j_maxlen). */
static uint64_t
jpblk(const struct ext2fs_journal *j, uint32_t l)
{
	uint32_t lo = 0, hi = j->j_nruns, m;

	while (hi - lo > 1) {
		m = (lo + hi) / 2;
		if (j->j_runs[m].r_lblk <= l)
			lo = m;
		else
			hi = m;
	}
	return j->j_runs[lo].r_pblk + (l - j->j_runs[lo].r_lblk);
}

/* Whether device block b is one of the journal's. */
static bool
in_journal(const struct ext2fs_journal *j, uint64_t b)
{
	for (uint32_t i = 0; i < j->j_nruns; i++)
		if (b >= j->j_runs[i].r_pblk &&
		    b - j->j_runs[i].r_pblk < j->j_runs[i].r_len)
			return true;
	return false;
}

static int
jread(const struct ext2fs_journal *j, uint32_t l, void *buf)
{
	return ext2fs_bread(j->j_fs, jpblk(j, l), buf);
}

/* The log block n blocks after l, round the ring. */
static uint32_t
jnext(const struct ext2fs_journal *j, uint32_t l, uint32_t n)
{
	uint32_t ring = j->j_maxlen - j->j_first;

	n %= ring;
	l += n;
	if (l >= j->j_maxlen)
		l -= ring;
	return l;
}

static uint32_t
jcrc(const struct ext2fs_journal *j, const uint8_t *buf, size_t len,
    size_t hole)
{
	static const uint8_t zero[4];
	uint32_t c;

	c = ext2fs_crc32c(j->j_seed, buf, hole);
	c = ext2fs_crc32c(c, zero, sizeof(zero));
	return ext2fs_crc32c(c, buf + hole + 4, len - hole - 4);
}

/* The checksum at the end of a descriptor or revoke block. */
static bool
tail_ok(const struct ext2fs_journal *j, const uint8_t *buf)
{
	size_t at = j->j_bsize - JBD2_TAIL_SIZE;

	return be32dec(buf + at) == jcrc(j, buf, j->j_bsize, at);
}

static bool
commit_ok(const struct ext2fs_journal *j, const uint8_t *buf)
{
	return be32dec(buf + JBD2_COMMIT_CHKSUM) ==
	    jcrc(j, buf, j->j_bsize, JBD2_COMMIT_CHKSUM);
}

/*
 * A v1 commit block: the crc32 of the transaction, or no checksum at
 * all (type, size and value zero).
 */
static bool
commit1_ok(const struct ext2fs_journal *j, const uint8_t *buf)
{
	uint32_t sum = be32dec(buf + JBD2_COMMIT_CHKSUM);
	uint8_t type = buf[JBD2_COMMIT_CHKSUM_TYPE];
	uint8_t size = buf[JBD2_COMMIT_CHKSUM_SIZE];

	if (type == 0 && size == 0 && sum == 0)
		return true;
	return type == JBD2_CRC32_CHKSUM && size == 4 && sum == j->j_crc1;
}

/* The checksum of a block's copy, as its tag has it, with its tid. */
static bool
copy_ok(const struct ext2fs_journal *j, const uint8_t *tag, uint32_t tid,
    const uint8_t *data)
{
	uint8_t seq[4];
	uint32_t c;

	be32enc(seq, tid);
	c = ext2fs_crc32c(j->j_seed, seq, sizeof(seq));
	c = ext2fs_crc32c(c, data, j->j_bsize);
	if (j->j_csum3)
		return be32dec(tag + 12) == c;
	return be16dec(tag + 4) == (uint16_t)c;
}

/*
 * The v1 checksum of a transaction (compat "checksum", without v2/v3):
 * crc32 (polynomial 0x04C11DB7, most significant bit first, from ~0, no
 * final inversion) over its descriptor blocks and the copies.
 */
static int
crc32_init(struct ext2fs_journal *j)
{
	uint32_t c;

	if ((j->j_crctab = kmem_alloc(256 * sizeof(uint32_t), KM_SLEEP)) ==
	    NULL)
		return ENOMEM;
	for (uint32_t i = 0; i < 256; i++) {
		c = i << 24;
		for (int k = 0; k < 8; k++)
			c = (c & 0x80000000u) ? (c << 1) ^ 0x04C11DB7u : c << 1;
		j->j_crctab[i] = c;
	}
	return 0;
}

static uint32_t
crc32_be(const struct ext2fs_journal *j, uint32_t c, const uint8_t *p,
    size_t len)
{
	while (len-- > 0)
		c = (c << 8) ^ j->j_crctab[(c >> 24) ^ *p++];
	return c;
}

/* Replay pass: the tag of journal block l, copy of fs block b. */
static int
replay_tag(struct ext2fs_journal *j, const uint8_t *tag, uint32_t flags,
    uint64_t b, uint32_t l, uint32_t age)
{
	const struct ext2fs *fs = j->j_fs;
	uint32_t tid = j->j_seq + age;
	struct jent *e;
	bool isnew;
	int error;

	if (b >= fs->e2_nblocks || in_journal(j, b))
		return ext2fs_corrupt(fs, "journal: transaction %u: block "
		    "%llu %s", tid, (unsigned long long)b,
		    b >= fs->e2_nblocks ? "out of range" : "in the journal");
	if ((e = tab_find(&j->j_revoke, b)) != NULL && e->e_aux >= age)
		return 0;
	if (j->j_csum) {
		if ((error = jread(j, l, j->j_data)) != 0)
			return error;
		if (!copy_ok(j, tag, tid, j->j_data))
			return ext2fs_corrupt(fs, "journal: transaction %u: "
			    "checksum of the copy of block %llu (log block %u)",
			    tid, (unsigned long long)b, l);
	}
	if ((error = tab_get(&j->j_map, b, &e, &isnew)) != 0)
		return error;
	e->e_val = jpblk(j, l);
	e->e_aux = (flags & JBD2_FLAG_ESCAPE) != 0;
	return 0;
}

/*
 * The tags of the descriptor in buf, at log block l: *np, the copies
 * that follow it; in the replay pass each is recorded.
 */
static int
desc_tags(struct ext2fs_journal *j, const uint8_t *buf, uint32_t l,
    uint32_t age, enum pass pass, uint32_t *np)
{
	size_t off = JBD2_HEADER_SIZE;
	size_t end = j->j_bsize - (j->j_csum ? JBD2_TAIL_SIZE : 0);
	const uint8_t *tag;
	uint32_t flags, n = 0;
	uint64_t b;
	int error;

	while (off + j->j_tagsize <= end) {
		tag = buf + off;
		b = be32dec(tag);
		if (j->j_64bit)
			b |= (uint64_t)be32dec(tag + 8) << 32;
		flags = j->j_csum3 ? be32dec(tag + 4) : be16dec(tag + 6);
		n++;
		if (n >= j->j_maxlen - j->j_first)
			return ext2fs_corrupt(j->j_fs, "journal: descriptor at "
			    "log block %u: more tags than the log holds", l);
		if (pass == PASS_SCAN && j->j_csum1) {
			if ((error = jread(j, jnext(j, l, n), j->j_data)) != 0)
				return error;
			j->j_crc1 = crc32_be(j, j->j_crc1, j->j_data,
			    j->j_bsize);
		}
		/*
		 * An async commit block went down without waiting for the
		 * copies: one that does not match its tag makes the
		 * transaction torn (dropped at its commit block).
		 */
		if (pass == PASS_SCAN && j->j_async && j->j_csum) {
			if ((error = jread(j, jnext(j, l, n), j->j_data)) != 0)
				return error;
			if (!copy_ok(j, tag, j->j_seq + age, j->j_data))
				j->j_torn = true;
		}
		if (pass == PASS_REPLAY && (error = replay_tag(j, tag, flags,
		    b, jnext(j, l, n), age)) != 0)
			return error;
		off += j->j_tagsize;
		if ((flags & JBD2_FLAG_SAME_UUID) == 0)
			off += JBD2_UUID_SIZE;
		if (flags & JBD2_FLAG_LAST_TAG)
			break;
	}
	*np = n;
	return 0;
}

/* Revoke pass: the records of the revoke block in buf. */
static int
revoke_records(struct ext2fs_journal *j, const uint8_t *buf, uint32_t age)
{
	uint32_t count = be32dec(buf + JBD2_REVOKE_COUNT);
	size_t rsize = j->j_64bit ? 8 : 4, off;
	struct jent *e;
	bool isnew;
	uint64_t b;
	int error;

	if (count < JBD2_REVOKE_RECORDS ||
	    count > j->j_bsize - (j->j_csum ? JBD2_TAIL_SIZE : 0))
		return ext2fs_corrupt(j->j_fs, "journal: transaction %u: "
		    "revoke block of %u bytes", j->j_seq + age, count);
	for (off = JBD2_REVOKE_RECORDS; off + rsize <= count; off += rsize) {
		b = j->j_64bit ? ((uint64_t)be32dec(buf + off) << 32) |
		    be32dec(buf + off + 4) : be32dec(buf + off);
		if ((error = tab_get(&j->j_revoke, b, &e, &isnew)) != 0)
			return error;
		if (isnew || e->e_aux < age)
			e->e_aux = age;
	}
	return 0;
}

/*
 * One walk of the log from s_start.  The scan stops at the first block
 * that does not continue the log and sets j_end; the other passes stop
 * at j_end.  In the scan, a descriptor or revoke block with a bad
 * checksum is judged at its commit block: a commit as new as the last
 * one makes it corruption, an older one stale blocks of an earlier use
 * of the ring, the end of the log.  With async_commit the commit block
 * may be on the disk before the transaction's copies: a copy that fails
 * its tag's checksum (v2, v3) or a failed v1 transaction checksum makes
 * the transaction torn, the end of the log, with one log line.
 */
static int
walk(struct ext2fs_journal *j, enum pass pass)
{
	const struct ext2fs *fs = j->j_fs;
	uint8_t *buf = j->j_buf;
	uint32_t l = j->j_start, age = 0, used = 0, n, type;
	uint64_t ctime, lastctime = 0;
	bool badsum = false;
	int error;

	j->j_torn = false;
	for (;;) {
		if (pass != PASS_SCAN && age == j->j_end)
			return 0;
		if (used >= j->j_maxlen - j->j_first)
			return ext2fs_corrupt(fs, "journal: the log from block "
			    "%u runs round the ring onto itself", j->j_start);
		if ((error = jread(j, l, buf)) != 0)
			return error;
		type = be32dec(buf + JBD2_H_BLOCKTYPE);
		if (be32dec(buf + JBD2_H_MAGIC) != JBD2_MAGIC ||
		    be32dec(buf + JBD2_H_SEQUENCE) != j->j_seq + age ||
		    (type != JBD2_DESCRIPTOR_BLOCK &&
		    type != JBD2_COMMIT_BLOCK && type != JBD2_REVOKE_BLOCK)) {
			if (pass == PASS_SCAN)
				return 0;
			return ext2fs_corrupt(fs, "journal: log block %u "
			    "changed under the replay", l);
		}
		n = 0;
		switch (type) {
		case JBD2_DESCRIPTOR_BLOCK:
			if (pass == PASS_SCAN && j->j_csum && !tail_ok(j, buf))
				badsum = true;
			if (pass == PASS_SCAN && j->j_csum1)
				j->j_crc1 = crc32_be(j, j->j_crc1, buf,
				    j->j_bsize);
			if ((error = desc_tags(j, buf, l, age, pass, &n)) != 0)
				return error;
			break;
		case JBD2_REVOKE_BLOCK:
			if (pass == PASS_SCAN && j->j_csum && !tail_ok(j, buf))
				badsum = true;
			if (pass == PASS_REVOKE &&
			    (error = revoke_records(j, buf, age)) != 0)
				return error;
			break;
		case JBD2_COMMIT_BLOCK:
			if (pass == PASS_SCAN) {
				ctime = ((uint64_t)be32dec(buf +
				    JBD2_COMMIT_SEC) << 32) |
				    be32dec(buf + JBD2_COMMIT_SEC + 4);
				if (badsum && ctime >= lastctime)
					return ext2fs_corrupt(fs, "journal: "
					    "transaction %u: bad descriptor or "
					    "revoke block checksum",
					    j->j_seq + age);
				if (badsum || (j->j_csum && !commit_ok(j, buf)))
					return 0;
				if (j->j_csum1 && !commit1_ok(j, buf))
					j->j_torn = true;
				if (j->j_torn) {
					if (j->j_async)
						log(LOG_NOTICE, "ext2fs: "
						    "journal: transaction %u "
						    "torn (async commit before "
						    "its blocks): dropped",
						    j->j_seq + age);
					return 0;
				}
				lastctime = ctime;
				j->j_crc1 = ~0u;
				j->j_end = age + 1;
			}
			age++;
			break;
		}
		used += 1 + n;
		l = jnext(j, l, 1 + n);
	}
}

/* Check the journal superblock (in j_buf) and take its geometry. */
static int
load_sb(struct ext2fs_journal *j)
{
	const struct ext2fs *fs = j->j_fs;
	const uint8_t *sb = j->j_buf;
	uint32_t type = be32dec(sb + JBD2_H_BLOCKTYPE), unknown;
	uint64_t nblk = j->j_ino.ei_size / fs->e2_bsize;

	if (be32dec(sb + JBD2_H_MAGIC) != JBD2_MAGIC ||
	    (type != JBD2_SUPERBLOCK_V1 && type != JBD2_SUPERBLOCK_V2))
		return ext2fs_corrupt(fs, "journal: no journal superblock");
	j->j_maxlen = be32dec(sb + JBD2_SB_MAXLEN);
	j->j_first = be32dec(sb + JBD2_SB_FIRST);
	j->j_seq = be32dec(sb + JBD2_SB_SEQUENCE);
	j->j_start = be32dec(sb + JBD2_SB_START);
	j->j_wstart = j->j_first;
	if (be32dec(sb + JBD2_SB_BLOCKSIZE) != fs->e2_bsize ||
	    j->j_maxlen > nblk || j->j_first == 0 ||
	    j->j_first >= j->j_maxlen ||
	    (j->j_start != 0 && (j->j_start < j->j_first ||
	    j->j_start >= j->j_maxlen)))
		return ext2fs_corrupt(fs, "journal: superblock geometry (block "
		    "size %u, %u blocks, log from %u, start %u) does not fit "
		    "a journal of %llu blocks", be32dec(sb + JBD2_SB_BLOCKSIZE),
		    j->j_maxlen, j->j_first, j->j_start,
		    (unsigned long long)nblk);
	j->j_v2 = type == JBD2_SUPERBLOCK_V2;
	if (type == JBD2_SUPERBLOCK_V2)
		j->j_incompat = be32dec(sb + JBD2_SB_FEATURE_INCOMPAT);
	unknown = j->j_incompat & ~(uint32_t)(JBD2_FEATURE_INCOMPAT_REVOKE |
	    JBD2_FEATURE_INCOMPAT_64BIT | JBD2_FEATURE_INCOMPAT_ASYNC_COMMIT |
	    JBD2_FEATURE_INCOMPAT_CSUM_V2 | JBD2_FEATURE_INCOMPAT_CSUM_V3);
	if (unknown != 0) {
		log(LOG_NOTICE, "ext2fs: journal: cannot replay a journal "
		    "with incompatible features 0x%x%s", unknown,
		    (unknown & JBD2_FEATURE_INCOMPAT_FAST_COMMIT) ?
		    " (fast commits)" : "");
		return EINVAL;
	}
	j->j_64bit = (j->j_incompat & JBD2_FEATURE_INCOMPAT_64BIT) != 0;
	j->j_async = (j->j_incompat & JBD2_FEATURE_INCOMPAT_ASYNC_COMMIT) != 0;
	j->j_csum3 = (j->j_incompat & JBD2_FEATURE_INCOMPAT_CSUM_V3) != 0;
	j->j_csum = j->j_csum3 ||
	    (j->j_incompat & JBD2_FEATURE_INCOMPAT_CSUM_V2) != 0;
	j->j_csum1 = !j->j_csum && type == JBD2_SUPERBLOCK_V2 &&
	    (be32dec(sb + JBD2_SB_FEATURE_COMPAT) &
	    JBD2_FEATURE_COMPAT_CHECKSUM) != 0;
	j->j_crc1 = ~0u;
	if (j->j_csum3)
		j->j_tagsize = 16;
	else
		j->j_tagsize = 8 + (j->j_64bit ? 4 : 0) + (j->j_csum ? 2 : 0);
	if (j->j_csum1)
		return crc32_init(j);
	if (!j->j_csum)
		return 0;
	if (j->j_csum3 && (j->j_incompat & JBD2_FEATURE_INCOMPAT_CSUM_V2))
		return ext2fs_corrupt(fs, "journal: checksums v2 and v3 both "
		    "set");
	if (sb[JBD2_SB_CHECKSUM_TYPE] != JBD2_CHECKSUM_CRC32C)
		return ext2fs_corrupt(fs, "journal: checksum type %u unknown",
		    sb[JBD2_SB_CHECKSUM_TYPE]);
	j->j_seed = ~0u;
	if (be32dec(sb + JBD2_SB_CHECKSUM) !=
	    jcrc(j, sb, JBD2_SB_SIZE, JBD2_SB_CHECKSUM))
		return ext2fs_corrupt(fs, "journal: superblock checksum");
	j->j_seed = ext2fs_crc32c(~0u, sb + JBD2_SB_UUID, JBD2_UUID_SIZE);
	return 0;
}

void
ext2fs_journal_free(struct ext2fs_journal *j)
{
	if (j == NULL)
		return;
	tab_free(&j->j_map);
	tab_free(&j->j_revoke);
	if (j->j_runs != NULL)
		kmem_free(j->j_runs, (size_t)j->j_runcap * sizeof(*j->j_runs));
	if (j->j_buf != NULL)
		kmem_free(j->j_buf, j->j_bsize);
	if (j->j_data != NULL)
		kmem_free(j->j_data, j->j_bsize);
	if (j->j_crctab != NULL)
		kmem_free(j->j_crctab, 256 * sizeof(uint32_t));
	kmem_free(j, sizeof(*j));
}

/*
 * The internal journal of fs, its superblock checked and its blocks
 * mapped, without looking at the log: for writing into it.
 */
int
ext2fs_journal_open(const struct ext2fs *fs, struct ext2fs_journal **jp)
{
	uint32_t ino = ext2_le32(fs->e2_sb + EXT2_SB_JOURNAL_INUM);
	struct ext2fs_journal *j;
	int error;

	*jp = NULL;
	if ((fs->e2_compat & EXT2F_COMPAT_HAS_JOURNAL) == 0)
		return ext2fs_corrupt(fs, "needs_recovery without a journal");
	if (ino == 0) {
		log(LOG_NOTICE, "ext2fs: journal: cannot replay an external "
		    "journal");
		return EINVAL;
	}
	if ((j = kmem_zalloc(sizeof(*j), KM_SLEEP)) == NULL)
		return ENOMEM;
	j->j_fs = fs;
	j->j_bsize = fs->e2_bsize;
	if ((j->j_buf = kmem_alloc(j->j_bsize, KM_SLEEP)) == NULL ||
	    (j->j_data = kmem_alloc(j->j_bsize, KM_SLEEP)) == NULL) {
		error = ENOMEM;
		goto fail;
	}
	if ((error = ext2fs_iget(fs, ino, &j->j_ino)) != 0)
		goto fail;
	if ((j->j_ino.ei_mode & EXT2_IFMT) != EXT2_IFREG ||
	    j->j_ino.ei_size < (uint64_t)2 * fs->e2_bsize) {
		error = ext2fs_corrupt(fs, "journal: inode %u is not a journal "
		    "(mode 0%o, %llu bytes)", ino, j->j_ino.ei_mode,
		    (unsigned long long)j->j_ino.ei_size);
		goto fail;
	}
	if ((error = map_journal(j, 1)) != 0 ||
	    (error = jread(j, 0, j->j_buf)) != 0 ||
	    (error = load_sb(j)) != 0 ||
	    (error = map_journal(j, j->j_maxlen)) != 0)
		goto fail;
	j->j_sbpblk = jpblk(j, 0);
	j->j_fs = NULL;
	*jp = j;
	return 0;
fail:
	ext2fs_journal_free(j);
	return error;
}

/*
 * The internal journal of fs, replayed into memory: *jp maps each
 * block the journal puts back to its copy (it may map none: an empty
 * log).  fs is only used during the call.
 */
int
ext2fs_journal_replay(const struct ext2fs *fs, struct ext2fs_journal **jp)
{
	struct ext2fs_journal *j;
	int error;

	if ((error = ext2fs_journal_open(fs, &j)) != 0)
		return error;
	j->j_fs = fs;
	if (j->j_start != 0 &&
	    ((error = tab_init(&j->j_map, j->j_maxlen)) != 0 ||
	    (error = tab_init(&j->j_revoke, j->j_maxlen)) != 0 ||
	    (error = walk(j, PASS_SCAN)) != 0 ||
	    (error = walk(j, PASS_REVOKE)) != 0 ||
	    (error = walk(j, PASS_REPLAY)) != 0)) {
		ext2fs_journal_free(j);
		return error;
	}
	tab_free(&j->j_revoke);
	j->j_fs = NULL;
	*jp = j;
	return 0;
}

/* The journal's copy of block b: its device block, and if escaped. */
bool
ext2fs_journal_lookup(const struct ext2fs_journal *j, uint64_t b,
    uint64_t *srcp, bool *escp)
{
	const struct jent *e = tab_find(&j->j_map, b);

	if (e == NULL)
		return false;
	*srcp = e->e_val;
	*escp = e->e_aux != 0;
	return true;
}

/* How many blocks the journal puts back. */
size_t
ext2fs_journal_nblocks(const struct ext2fs_journal *j)
{
	return j->j_map.t_n;
}

/* Entry i of the map (i < ext2fs_journal_nblocks()). */
bool
ext2fs_journal_entry(const struct ext2fs_journal *j, size_t i, uint64_t *bp,
    uint64_t *srcp, bool *escp)
{
	if (i >= j->j_map.t_n)
		return false;
	*bp = j->j_map.t_ent[i].e_key;
	*srcp = j->j_map.t_ent[i].e_val;
	*escp = j->j_map.t_ent[i].e_aux != 0;
	return true;
}

/* The device block of the journal superblock. */
uint64_t
ext2fs_journal_sbblock(const struct ext2fs_journal *j)
{
	return j->j_sbpblk;
}

/*
 * The journal superblock's block in buf made empty
 * after the replay: s_start 0 and s_sequence past every transaction in
 * the log, so that none of them can be taken for a new one.
 */
int
ext2fs_journal_reset(const struct ext2fs_journal *j, uint8_t *buf)
{
	if (be32dec(buf + JBD2_SB_START) != j->j_start ||
	    be32dec(buf + JBD2_SB_SEQUENCE) != j->j_seq)
		return EIO;
	if (j->j_start != 0)
		be32enc(buf + JBD2_SB_SEQUENCE, j->j_seq + j->j_end + 1);
	be32enc(buf + JBD2_SB_START, 0);
	if (j->j_csum) {
		be32enc(buf + JBD2_SB_CHECKSUM, 0);
		be32enc(buf + JBD2_SB_CHECKSUM,
		    ext2fs_crc32c(~0u, buf, JBD2_SB_SIZE));
	}
	return 0;
}

/*
 * Writing a transaction (ext2fs_journal_write.c's writer): the ring is
 * cut in two halves and transaction tid's log starts at the first block
 * of half tid & 1 (ext2fs_journal_region()), so that writing it never
 * touches the log of tid - 1, which the journal superblock may still
 * name until tid's commit.  A transaction fills at most its half less
 * one block: a replay that has read a commit block never walks on into
 * the other half.  A transaction of n blocks takes n copies, one
 * descriptor before every ext2fs_journal_tags() of them, and the
 * commit block.
 */
uint32_t
ext2fs_journal_tags(const struct ext2fs_journal *j)
{
	size_t room = j->j_bsize - JBD2_HEADER_SIZE -
	    (j->j_csum ? JBD2_TAIL_SIZE : 0);

	return (uint32_t)(room / j->j_tagsize);
}

/* The largest transaction a half (async: a third) holds, in blocks. */
uint32_t
ext2fs_journal_maxblocks(const struct ext2fs_journal *j)
{
	uint32_t room = (j->j_maxlen - j->j_first) / (j->j_wasync ? 3 : 2) -
	    1;
	uint32_t per = ext2fs_journal_tags(j);

	/* n copies, ceil(n / per) descriptors and the commit fit the room. */
	if (room < 3)
		return 0;
	return (uint32_t)(((uint64_t)(room - 2) * per) / (per + 1));
}

/* Whether the journal superblock (as last set) says the log is empty. */
bool
ext2fs_journal_isempty(const struct ext2fs_journal *j)
{
	return j->j_start == 0;
}

/*
 * Transaction tid is the next one written: the start of its half, or
 * with async commits right after the log of tid - 1.
 */
void
ext2fs_journal_region(struct ext2fs_journal *j, uint32_t tid)
{
	if (j->j_wasync) {
		j->j_wprev = j->j_wstart;
		j->j_wstart = j->j_wnext != 0 ? j->j_wnext : j->j_first;
		return;
	}
	j->j_wstart = j->j_first + ((tid & 1) != 0 ?
	    (j->j_maxlen - j->j_first) / 2 : 0);
}

/*
 * Async commits (ext2fs_journal_write.c): transactions follow each other
 * in the ring, each at most a third of it, so that writing tid never
 * touches the logs of tid - 1 and tid - 2, which the journal superblock
 * on the disk may name until the commit of tid is down.  Sets the
 * journal's incompat async_commit, so that a replay (ours, e2fsck's,
 * Linux's) drops a transaction whose commit block came without all of
 * its blocks.  That needs checksums: a journal without them gets v3
 * (with metadata_csum) or v1, as Linux gives it, from the first commit
 * on (sb: the journal superblock as it is, for its uuid).
 */
int
ext2fs_journal_async(struct ext2fs_journal *j, const uint8_t *sb,
    bool mcsum)
{
	int error;

	if (!j->j_v2)
		return EINVAL;
	if (!j->j_csum && !j->j_csum1 && mcsum) {
		j->j_incompat |= JBD2_FEATURE_INCOMPAT_CSUM_V3;
		j->j_csum = j->j_csum3 = true;
		j->j_tagsize = 16;
		j->j_seed = ext2fs_crc32c(~0u, sb + JBD2_SB_UUID,
		    JBD2_UUID_SIZE);
	} else if (!j->j_csum && !j->j_csum1) {
		if ((error = crc32_init(j)) != 0)
			return error;
		j->j_csum1 = true;
		j->j_wcompat |= JBD2_FEATURE_COMPAT_CHECKSUM;
	}
	j->j_wasync = true;
	j->j_incompat |= JBD2_FEATURE_INCOMPAT_ASYNC_COMMIT;
	j->j_wnext = 0;
	return 0;
}

/*
 * The start and sequence the journal superblock names with async
 * commits while tid is written: tid - 1's (its checkpoint went down at
 * tid - 1's commit flush... and is redone by a replay from it), or tid's
 * own when it is the first since the log was empty.
 */
void
ext2fs_journal_setlog_async(struct ext2fs_journal *j, uint8_t *buf,
    uint32_t tid, bool first)
{
	uint32_t start = first ? j->j_wstart : j->j_wprev;

	be32enc(buf + JBD2_SB_FEATURE_COMPAT, be32dec(buf +
	    JBD2_SB_FEATURE_COMPAT) | j->j_wcompat);
	be32enc(buf + JBD2_SB_FEATURE_INCOMPAT, j->j_incompat);
	if (j->j_csum)
		buf[JBD2_SB_CHECKSUM_TYPE] = JBD2_CHECKSUM_CRC32C;
	be32enc(buf + JBD2_SB_START, start);
	be32enc(buf + JBD2_SB_SEQUENCE, first ? tid : tid - 1);
	j->j_start = start;
	j->j_seq = first ? tid : tid - 1;
	if (j->j_csum) {
		be32enc(buf + JBD2_SB_CHECKSUM, 0);
		be32enc(buf + JBD2_SB_CHECKSUM,
		    ext2fs_crc32c(~0u, buf, JBD2_SB_SIZE));
	}
}

uint32_t
ext2fs_journal_seq(const struct ext2fs_journal *j)
{
	return j->j_seq;
}

/*
 * Log block l of the transaction tid of n blocks (blks[i], their data
 * data[i]), into buf: l 0 is the first descriptor, the commit block is
 * the last.  *devp is the device block to write it to; *donep is set
 * on the commit block.  Called for l = 0, 1, ... in order (the v1
 * checksum runs over the blocks as they come).
 */
int
ext2fs_journal_logblock(struct ext2fs_journal *j, uint32_t tid, size_t n,
    const uint64_t *blks, uint8_t *const *data, uint32_t l, uint8_t *buf,
    uint64_t *devp, bool *donep)
{
	uint32_t per = ext2fs_journal_tags(j), group = per + 1, flags;
	size_t ndesc = (n + per - 1) / per, i, k, first;
	uint8_t seq[4], *tag;
	uint32_t c;

	*donep = false;
	if (l == 0)
		j->j_crc1 = ~0u;
	*devp = jpblk(j, jnext(j, j->j_wstart, l));
	memset(buf, 0, j->j_bsize);
	if (l >= n + ndesc) {
		/* The commit block. */
		struct timespec now;

		nanotime(&now);
		be32enc(buf + JBD2_H_MAGIC, JBD2_MAGIC);
		be32enc(buf + JBD2_H_BLOCKTYPE, JBD2_COMMIT_BLOCK);
		be32enc(buf + JBD2_H_SEQUENCE, tid);
		be32enc(buf + JBD2_COMMIT_SEC, (uint32_t)((uint64_t)now.tv_sec >>
		    32));
		be32enc(buf + JBD2_COMMIT_SEC + 4, (uint32_t)now.tv_sec);
		be32enc(buf + JBD2_COMMIT_SEC + 8, (uint32_t)now.tv_nsec);
		if (j->j_csum1) {
			buf[JBD2_COMMIT_CHKSUM_TYPE] = JBD2_CRC32_CHKSUM;
			buf[JBD2_COMMIT_CHKSUM_SIZE] = 4;
			be32enc(buf + JBD2_COMMIT_CHKSUM, j->j_crc1);
		} else if (j->j_csum)
			be32enc(buf + JBD2_COMMIT_CHKSUM,
			    jcrc(j, buf, j->j_bsize, JBD2_COMMIT_CHKSUM));
		j->j_wnext = jnext(j, j->j_wstart, l + 1);
		*donep = true;
		return 0;
	}
	first = (size_t)(l / group) * per;
	if (l % group != 0) {
		/* A copy: escaped if it begins with the magic. */
		i = first + l % group - 1;
		memcpy(buf, data[i], j->j_bsize);
		if (be32dec(buf) == JBD2_MAGIC)
			be32enc(buf, 0);
		if (j->j_csum1)
			j->j_crc1 = crc32_be(j, j->j_crc1, buf, j->j_bsize);
		return 0;
	}
	be32enc(buf + JBD2_H_MAGIC, JBD2_MAGIC);
	be32enc(buf + JBD2_H_BLOCKTYPE, JBD2_DESCRIPTOR_BLOCK);
	be32enc(buf + JBD2_H_SEQUENCE, tid);
	tag = buf + JBD2_HEADER_SIZE;
	for (k = 0; k < per && first + k < n; k++, tag += j->j_tagsize) {
		i = first + k;
		flags = JBD2_FLAG_SAME_UUID;
		if (be32dec(data[i]) == JBD2_MAGIC)
			flags |= JBD2_FLAG_ESCAPE;
		if (k + 1 == per || i + 1 == n)
			flags |= JBD2_FLAG_LAST_TAG;
		be32enc(tag, (uint32_t)blks[i]);
		if (j->j_csum3)
			be32enc(tag + 4, flags);
		else
			be16enc(tag + 6, (uint16_t)flags);
		if (j->j_64bit || j->j_csum3)
			be32enc(tag + 8, (uint32_t)(blks[i] >> 32));
		if (j->j_csum) {
			/* Of the copy as the log holds it (escaped). */
			be32enc(seq, tid);
			c = ext2fs_crc32c(j->j_seed, seq, sizeof(seq));
			if (flags & JBD2_FLAG_ESCAPE) {
				static const uint8_t zero[4];

				c = ext2fs_crc32c(c, zero, 4);
				c = ext2fs_crc32c(c, data[i] + 4,
				    j->j_bsize - 4);
			} else
				c = ext2fs_crc32c(c, data[i], j->j_bsize);
			if (j->j_csum3)
				be32enc(tag + 12, c);
			else
				be16enc(tag + 4, (uint16_t)c);
		}
	}
	if (j->j_csum)
		be32enc(buf + j->j_bsize - JBD2_TAIL_SIZE,
		    jcrc(j, buf, j->j_bsize, j->j_bsize - JBD2_TAIL_SIZE));
	if (j->j_csum1)
		j->j_crc1 = crc32_be(j, j->j_crc1, buf, j->j_bsize);
	return 0;
}

/*
 * The journal superblock's block in buf with the log starting where
 * transaction tid is written (start: ext2fs_journal_region()) or empty,
 * tid next (!start).
 */
void
ext2fs_journal_setlog(struct ext2fs_journal *j, uint8_t *buf, bool start,
    uint32_t tid)
{
	be32enc(buf + JBD2_SB_START, start ? j->j_wstart : 0);
	be32enc(buf + JBD2_SB_SEQUENCE, tid);
	j->j_start = start ? j->j_wstart : 0;
	j->j_seq = tid;
	if (j->j_csum) {
		be32enc(buf + JBD2_SB_CHECKSUM, 0);
		be32enc(buf + JBD2_SB_CHECKSUM,
		    ext2fs_crc32c(~0u, buf, JBD2_SB_SIZE));
	}
}
