/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The checksums of the ext4 format: crc32c (Castagnoli, reflected
 * polynomial 0x82F63B78) for metadata_csum, crc16 (ANSI, reflected
 * polynomial 0xA001) for the group descriptors of gdt_csum.  Both are
 * the raw register update: no inversion in or out, because the format
 * chains them (seed, then inode number, then the structure) and starts
 * from ~0 itself.  The tables are the register after eight shifts of
 * each byte value, generated once from the polynomials (crc32c's, eight
 * of them for eight bytes a step, in ext2fs_crc32c_tab.h).
 *
 * On x86-64 crc32c is the CPU's own crc32 instruction (SSE4.2: the same
 * polynomial and register update, eight bytes an instruction, about ten
 * times the tables' speed), when the CPU says it has it (cpuid, asked
 * once); the tables are the fallback and ext2fs_crc32c_sw().  Every
 * metadata block of an ext4 file system is checksummed on each change,
 * which made crc32c a fifth of the CPU time of creating files.
 */
#include <sys/systm.h>

#if defined(__x86_64__)
#include <cpuid.h>
#endif

#include "ext2fs.h"
#include "ext2fs_crc32c_tab.h"

static const uint16_t crc16_table[256] = {
	0x0000, 0xc0c1, 0xc181, 0x0140, 0xc301, 0x03c0, 0x0280, 0xc241,
	0xc601, 0x06c0, 0x0780, 0xc741, 0x0500, 0xc5c1, 0xc481, 0x0440,
	0xcc01, 0x0cc0, 0x0d80, 0xcd41, 0x0f00, 0xcfc1, 0xce81, 0x0e40,
	0x0a00, 0xcac1, 0xcb81, 0x0b40, 0xc901, 0x09c0, 0x0880, 0xc841,
	0xd801, 0x18c0, 0x1980, 0xd941, 0x1b00, 0xdbc1, 0xda81, 0x1a40,
	0x1e00, 0xdec1, 0xdf81, 0x1f40, 0xdd01, 0x1dc0, 0x1c80, 0xdc41,
	0x1400, 0xd4c1, 0xd581, 0x1540, 0xd701, 0x17c0, 0x1680, 0xd641,
	0xd201, 0x12c0, 0x1380, 0xd341, 0x1100, 0xd1c1, 0xd081, 0x1040,
	0xf001, 0x30c0, 0x3180, 0xf141, 0x3300, 0xf3c1, 0xf281, 0x3240,
	0x3600, 0xf6c1, 0xf781, 0x3740, 0xf501, 0x35c0, 0x3480, 0xf441,
	0x3c00, 0xfcc1, 0xfd81, 0x3d40, 0xff01, 0x3fc0, 0x3e80, 0xfe41,
	0xfa01, 0x3ac0, 0x3b80, 0xfb41, 0x3900, 0xf9c1, 0xf881, 0x3840,
	0x2800, 0xe8c1, 0xe981, 0x2940, 0xeb01, 0x2bc0, 0x2a80, 0xea41,
	0xee01, 0x2ec0, 0x2f80, 0xef41, 0x2d00, 0xedc1, 0xec81, 0x2c40,
	0xe401, 0x24c0, 0x2580, 0xe541, 0x2700, 0xe7c1, 0xe681, 0x2640,
	0x2200, 0xe2c1, 0xe381, 0x2340, 0xe101, 0x21c0, 0x2080, 0xe041,
	0xa001, 0x60c0, 0x6180, 0xa141, 0x6300, 0xa3c1, 0xa281, 0x6240,
	0x6600, 0xa6c1, 0xa781, 0x6740, 0xa501, 0x65c0, 0x6480, 0xa441,
	0x6c00, 0xacc1, 0xad81, 0x6d40, 0xaf01, 0x6fc0, 0x6e80, 0xae41,
	0xaa01, 0x6ac0, 0x6b80, 0xab41, 0x6900, 0xa9c1, 0xa881, 0x6840,
	0x7800, 0xb8c1, 0xb981, 0x7940, 0xbb01, 0x7bc0, 0x7a80, 0xba41,
	0xbe01, 0x7ec0, 0x7f80, 0xbf41, 0x7d00, 0xbdc1, 0xbc81, 0x7c40,
	0xb401, 0x74c0, 0x7580, 0xb541, 0x7700, 0xb7c1, 0xb681, 0x7640,
	0x7200, 0xb2c1, 0xb381, 0x7340, 0xb101, 0x71c0, 0x7080, 0xb041,
	0x5000, 0x90c1, 0x9181, 0x5140, 0x9301, 0x53c0, 0x5280, 0x9241,
	0x9601, 0x56c0, 0x5780, 0x9741, 0x5500, 0x95c1, 0x9481, 0x5440,
	0x9c01, 0x5cc0, 0x5d80, 0x9d41, 0x5f00, 0x9fc1, 0x9e81, 0x5e40,
	0x5a00, 0x9ac1, 0x9b81, 0x5b40, 0x9901, 0x59c0, 0x5880, 0x9841,
	0x8801, 0x48c0, 0x4980, 0x8941, 0x4b00, 0x8bc1, 0x8a81, 0x4a40,
	0x4e00, 0x8ec1, 0x8f81, 0x4f40, 0x8d01, 0x4dc0, 0x4c80, 0x8c41,
	0x4400, 0x84c1, 0x8581, 0x4540, 0x8701, 0x47c0, 0x4680, 0x8641,
	0x8201, 0x42c0, 0x4380, 0x8341, 0x4100, 0x81c1, 0x8081, 0x4040,
};

/* Eight bytes a step (the tables' slicing), the tail a byte at a time. */
uint32_t
ext2fs_crc32c_sw(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint32_t lo, hi;

	for (; len >= 8; p += 8, len -= 8) {
		lo = crc ^ ext2_le32(p);
		hi = ext2_le32(p + 4);
		crc = crc32c_tab[7][lo & 0xff] ^ crc32c_tab[6][(lo >> 8) & 0xff] ^
		    crc32c_tab[5][(lo >> 16) & 0xff] ^ crc32c_tab[4][lo >> 24] ^
		    crc32c_tab[3][hi & 0xff] ^ crc32c_tab[2][(hi >> 8) & 0xff] ^
		    crc32c_tab[1][(hi >> 16) & 0xff] ^ crc32c_tab[0][hi >> 24];
	}
	while (len-- > 0)
		crc = crc32c_tab[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return crc;
}

#if defined(__x86_64__)
/* 1: the CPU has SSE4.2's crc32; 0: not; -1: not asked yet (races agree). */
static int crc32c_insn = -1;

static bool
crc32c_have_insn(void)
{
	unsigned a, b, c, d;
	int v = __atomic_load_n(&crc32c_insn, __ATOMIC_RELAXED);

	if (v < 0) {
		v = __get_cpuid(1, &a, &b, &c, &d) && (c & bit_SSE4_2) != 0;
		__atomic_store_n(&crc32c_insn, v, __ATOMIC_RELAXED);
	}
	return v != 0;
}

/* Bytes up to 8-byte alignment, then 8 at a time, then the tail. */
__attribute__((target("sse4.2"))) static uint32_t
crc32c_sse42(uint32_t crc, const uint8_t *p, size_t len)
{
	uint64_t c, w;

	for (; len > 0 && ((uintptr_t)p & 7) != 0; len--)
		crc = __builtin_ia32_crc32qi(crc, *p++);
	c = crc;
	for (; len >= 8; p += 8, len -= 8) {
		__builtin_memcpy(&w, p, sizeof(w));
		c = __builtin_ia32_crc32di(c, w);
	}
	crc = (uint32_t)c;
	while (len-- > 0)
		crc = __builtin_ia32_crc32qi(crc, *p++);
	return crc;
}
#endif

uint32_t
ext2fs_crc32c(uint32_t crc, const void *buf, size_t len)
{
#if defined(__x86_64__)
	if (crc32c_have_insn())
		return crc32c_sse42(crc, buf, len);
#endif
	return ext2fs_crc32c_sw(crc, buf, len);
}

uint16_t
ext2fs_crc16(uint16_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len-- > 0)
		crc = (uint16_t)(crc16_table[(crc ^ *p++) & 0xff] ^ (crc >> 8));
	return crc;
}

/* Chain a little-endian 32-bit number (inode, generation, group). */
uint32_t
ext2fs_csum_le32(uint32_t crc, uint32_t v)
{
	uint8_t b[4];

	ext2_set_le32(b, v);
	return ext2fs_crc32c(crc, b, sizeof(b));
}
