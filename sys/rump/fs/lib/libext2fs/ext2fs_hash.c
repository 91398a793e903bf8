/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The directory index hashes (ext4 document, "Hash Tree Directories"):
 * the legacy hash, a reduced MD4 ("half MD4": three rounds of eight
 * steps over 32 bytes of name at a time) and TEA (sixteen Feistel
 * cycles over 16 bytes at a time).  Names are packed into 32-bit words
 * big-end first and padded with a word made from the length; each
 * character enters as a signed or an unsigned char, as the superblock
 * says (the "unsigned" hash versions).  The low bit of a hash is kept
 * clear: in index entries it marks a collision run continuing from the
 * previous block.
 */
#include <sys/systm.h>

#include "ext2fs.h"

#define HASH_EOF_32 0x7fffffffu         /* reserved: end of directory */

static int
char_value(const char *p, size_t i, bool uns)
{
	return uns ? (int)(unsigned char)p[i] : (int)(signed char)p[i];
}

static uint32_t
hash_legacy(const char *name, size_t len, bool uns)
{
	uint32_t h, h0 = 0x12a3fe2d, h1 = 0x37abe8f9;

	for (size_t i = 0; i < len; i++) {
		h = h1 + (h0 ^ (uint32_t)(char_value(name, i, uns) * 7152373));
		if (h & 0x80000000u)
			h -= 0x7fffffff;
		h1 = h0;
		h0 = h;
	}
	return h0 << 1;
}

/*
 * Pack up to 4 * nwords characters into words, most significant first,
 * starting each word from the length pad; fill the rest with the pad.
 */
static void
pack_words(const char *p, size_t len, uint32_t *w, int nwords, bool uns)
{
	uint32_t pad, v;
	size_t i;
	int n = 0;

	pad = (uint32_t)len | (uint32_t)len << 8;
	pad |= pad << 16;
	if (len > (size_t)nwords * 4)
		len = (size_t)nwords * 4;
	v = pad;
	for (i = 0; i < len; i++) {
		v = (uint32_t)char_value(p, i, uns) + (v << 8);
		if (i % 4 == 3) {
			w[n++] = v;
			v = pad;
		}
	}
	if (n < nwords && i % 4 != 0)
		w[n++] = v;
	while (n < nwords)
		w[n++] = pad;
}

static uint32_t
rol32(uint32_t v, int s)
{
	return v << s | v >> (32 - s);
}

#define MD4_F(x, y, z) ((z) ^ ((x) & ((y) ^ (z))))
#define MD4_G(x, y, z) (((x) & (y)) + (((x) ^ (y)) & (z)))
#define MD4_H(x, y, z) ((x) ^ (y) ^ (z))
#define MD4_K2 0x5a827999u
#define MD4_K3 0x6ed9eba1u

/*
 * One half-MD4 block: the rounds of MD4 with eight input words, each
 * word used once per round, in the orders and shifts below.
 */
static void
half_md4(uint32_t st[4], const uint32_t in[8])
{
	static const uint8_t r1s[4] = { 3, 7, 11, 19 };
	static const uint8_t r2o[8] = { 1, 3, 5, 7, 0, 2, 4, 6 };
	static const uint8_t r2s[4] = { 3, 5, 9, 13 };
	static const uint8_t r3o[8] = { 3, 7, 2, 6, 1, 5, 0, 4 };
	static const uint8_t r3s[4] = { 3, 9, 11, 15 };
	uint32_t v[4] = { st[0], st[1], st[2], st[3] }, f;
	int i, a, b, c, d;

	/* Step i updates v[a] from the other three, a cycling 0, 3, 2, 1. */
	for (i = 0; i < 24; i++) {
		a = (4 - i % 4) % 4;
		b = (a + 1) % 4;
		c = (a + 2) % 4;
		d = (a + 3) % 4;
		if (i < 8) {
			f = MD4_F(v[b], v[c], v[d]) + in[i];
			v[a] = rol32(v[a] + f, r1s[i % 4]);
		} else if (i < 16) {
			f = MD4_G(v[b], v[c], v[d]) + in[r2o[i - 8]] + MD4_K2;
			v[a] = rol32(v[a] + f, r2s[i % 4]);
		} else {
			f = MD4_H(v[b], v[c], v[d]) + in[r3o[i - 16]] + MD4_K3;
			v[a] = rol32(v[a] + f, r3s[i % 4]);
		}
	}
	for (i = 0; i < 4; i++)
		st[i] += v[i];
}

static void
tea(uint32_t st[4], const uint32_t in[4])
{
	uint32_t sum = 0, x = st[0], y = st[1];

	for (int n = 0; n < 16; n++) {
		sum += 0x9e3779b9u;
		x += ((y << 4) + in[0]) ^ (y + sum) ^ ((y >> 5) + in[1]);
		y += ((x << 4) + in[2]) ^ (x + sum) ^ ((x >> 5) + in[3]);
	}
	st[0] += x;
	st[1] += y;
}

/*
 * Hash a name with hash version ver (EXT2_HASH_*) and the superblock's
 * seed (all zero: the default MD4 start).  EINVAL for an unknown version.
 */
int
ext2fs_hash(int ver, const uint32_t *seed, const char *name, size_t len,
    uint32_t *hashp, uint32_t *minorp)
{
	uint32_t st[4] = { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476 };
	uint32_t in[8], h, minor = 0;
	bool uns = ver >= EXT2_HASH_LEGACY_UNSIGNED;

	if (seed != NULL && (seed[0] | seed[1] | seed[2] | seed[3]) != 0)
		memcpy(st, seed, sizeof(st));
	switch (ver) {
	case EXT2_HASH_LEGACY:
	case EXT2_HASH_LEGACY_UNSIGNED:
		h = hash_legacy(name, len, uns);
		break;
	case EXT2_HASH_HALF_MD4:
	case EXT2_HASH_HALF_MD4_UNSIGNED:
		for (size_t i = 0; i < len; i += 32) {
			pack_words(name + i, len - i, in, 8, uns);
			half_md4(st, in);
		}
		h = st[1];
		minor = st[2];
		break;
	case EXT2_HASH_TEA:
	case EXT2_HASH_TEA_UNSIGNED:
		for (size_t i = 0; i < len; i += 16) {
			pack_words(name + i, len - i, in, 4, uns);
			tea(st, in);
		}
		h = st[0];
		minor = st[1];
		break;
	default:
		return EINVAL;
	}
	h &= ~1u;
	if (h == HASH_EOF_32 << 1)
		h = (HASH_EOF_32 - 1) << 1;
	*hashp = h;
	*minorp = minor;
	return 0;
}
