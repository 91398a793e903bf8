/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The FFS (UFS1 and UFS2) on-disk format, as far as reading and writing
 * it needs.
 *
 * Byte order: every multi-byte field is in the byte order of the
 * machine that made the image.  The superblock's magic number, read in
 * either order, tells which; every field is then swapped on access
 * (ffs_subr.c).  Single bytes (directory d_type, d_namlen) need none.
 *
 * Units: "frags" are fragments of fs_fsize bytes, the addressing unit of
 * every block pointer; a block is fs_frag (1, 2, 4 or 8) fragments of
 * fs_bsize bytes (4 KiB .. 64 KiB here).  Sector (DEV_BSIZE, 512 bytes)
 * = frag << fs_fsbtodb.
 *
 * The superblock, SBLOCKSIZE bytes, is at byte 65536 (UFS2), 8192 (UFS1,
 * and UFS2 from some makefs versions) or 262144 (UFS2 on large media).
 * A UFS2 superblock names its own location in fs_sblockloc; one found
 * elsewhere is a cylinder group's backup copy and is not the primary.
 *
 *   off  size  field            meaning
 *     8    4   fs_sblkno        cg-relative frag of the cg's sb copy
 *    12    4   fs_cblkno        cg-relative frag of the cg header
 *    16    4   fs_iblkno        cg-relative frag of the first inode block
 *    20    4   fs_dblkno        cg-relative frag of the first data block
 *    24    4   fs_old_cgoffset  UFS1: cg start staggering ...
 *    28    4   fs_old_cgmask    ... cgstart = fpg*c + cgoffset*(c & ~cgmask)
 *    36    4   fs_old_size      UFS1: frags in the file system
 *    40    4   fs_old_dsize     UFS1: data frags
 *    44    4   fs_ncg           number of cylinder groups
 *    48    4   fs_bsize         block size, bytes
 *    52    4   fs_fsize         fragment size, bytes
 *    56    4   fs_frag          frags per block
 *    60    4   fs_minfree       percent of data frags kept back
 *    72    4   fs_bmask         ~(bsize - 1)
 *    76    4   fs_fmask         ~(fsize - 1)
 *    80    4   fs_bshift        log2(bsize)
 *    84    4   fs_fshift        log2(fsize)
 *    96    4   fs_fragshift     log2(frag)
 *   100    4   fs_fsbtodb       log2(fsize / 512)
 *   104    4   fs_sbsize        bytes of the superblock in use
 *   116    4   fs_nindir        pointers per indirect block (bsize/4, /8)
 *   120    4   fs_inopb         inodes per block (bsize/128, /256)
 *   144    8   fs_id            two 32-bit words of file-system id
 *   184    4   fs_ipg           inodes per cylinder group
 *   188    4   fs_fpg           frags per cylinder group
 *   192   16   fs_old_cstotal   UFS1 totals, 4 x int32: ndir, nbfree,
 *                               nifree, nffree
 *  1000    8   fs_sblockloc     UFS2: byte offset of this superblock
 *  1008   64   fs_cstotal       totals, 8 x int64: ndir, nbfree, nifree,
 *                               nffree, numclusters, 3 spare
 *  1080    8   fs_size          frags in the file system
 *  1088    8   fs_dsize         data frags
 *  1312    4   fs_flags         FS_FLAGS_UPDATED: UFS1's 64-bit fields
 *                               (size, dsize, cstotal) are the truth;
 *                               otherwise a UFS1 fs_old_* ones are
 *  1320    4   fs_maxsymlinklen longest symlink kept in the inode
 *  1324    4   fs_old_inodefmt  UFS1: 2 = 4.4BSD inodes and directories
 *  1372    4   fs_magic         0x011954 UFS1, 0x19540119 UFS2
 *
 * A cylinder group c starts at frag cgstart(c) (fpg*c for UFS2).  Its
 * inodes, ipg of them in ipg/inopb whole blocks, start at cgstart(c) +
 * fs_iblkno; inode i lives in group i / ipg at index i % ipg.  Inode 2
 * is the root directory; 0 means "no inode"; 1 is never a file.
 *
 * UFS1 inode, 128 bytes:            UFS2 inode, 256 bytes:
 *   0  2  di_mode  (type | perms)     0  2  di_mode
 *   2  2  di_nlink (signed)           2  2  di_nlink (signed)
 *   8  8  di_size                     4  4  di_uid
 *  16  4  di_atime   20 4 nsec        8  4  di_gid
 *  24  4  di_mtime   28 4 nsec       16  8  di_size
 *  32  4  di_ctime   36 4 nsec       24  8  di_blocks (512-byte units)
 *  40 48  di_db[12]  (int32 frags)   32  8  di_atime
 *  88 12  di_ib[3]   (int32 frags)   40  8  di_mtime
 * 100  4  di_flags                   48  8  di_ctime
 * 104  4  di_blocks (512-byte units) 56  8  di_birthtime
 * 108  4  di_gen                     64  4  di_mtimensec
 * 112  4  di_uid                     68  4  di_atimensec
 * 116  4  di_gid                     72  4  di_ctimensec
 *                                    76  4  di_birthnsec
 *                                    88  4  di_flags
 *                                   112 96  di_db[12] (int64 frags)
 *                                   208 24  di_ib[3]  (int64 frags)
 *
 * di_db[n] holds logical block n; di_ib[0..2] a single, double and
 * triple indirect block of fs_nindir pointers each.  A zero pointer is
 * a hole.  Every block of a file is a full block except, for a file
 * that ends within the direct blocks, the last one, which is only as
 * many frags as the size needs (they never cross a block boundary).
 * A symlink whose target is shorter than fs_maxsymlinklen keeps it in
 * di_db/di_ib (60 bytes UFS1, 120 UFS2); a device keeps its number in
 * di_db[0] as (major << 8) | (minor & 0xff) | ((minor & ~0xff) << 12).
 *
 * Directories are a sequence of DIRBLKSIZ (512) byte chunks; no entry
 * crosses a chunk.  An entry (struct direct):
 *   0  4  d_ino     0: an unused record
 *   4  2  d_reclen  bytes to the next entry, a multiple of 4
 *   6  1  d_type    DT_* as dirent(5)
 *   7  1  d_namlen
 *   8  .  d_name    d_namlen bytes, NUL, padding to a multiple of 4
 * The records of a chunk cover it exactly.
 */
#ifndef _FFS_FORMAT_H_
#define _FFS_FORMAT_H_

#define FS_UFS1_MAGIC 0x011954
#define FS_UFS2_MAGIC 0x19540119

#define SBLOCK_UFS1   8192
#define SBLOCK_UFS2   65536
#define SBLOCK_PIGGY  262144
#define SBLOCKSIZE    8192

/* Superblock field offsets. */
#define FS_SBLKNO         8
#define FS_CBLKNO        12
#define FS_IBLKNO        16
#define FS_DBLKNO        20
#define FS_OLD_CGOFFSET  24
#define FS_OLD_CGMASK    28
#define FS_OLD_TIME      32
#define FS_OLD_SIZE      36
#define FS_OLD_DSIZE     40
#define FS_NCG           44
#define FS_BSIZE         48
#define FS_FSIZE         52
#define FS_FRAG          56
#define FS_MINFREE       60
#define FS_BMASK         72
#define FS_FMASK         76
#define FS_BSHIFT        80
#define FS_FSHIFT        84
#define FS_FRAGSHIFT     96
#define FS_FSBTODB      100
#define FS_SBSIZE       104
#define FS_NINDIR       116
#define FS_INOPB        120
#define FS_ID           144
#define FS_OLD_CSADDR   152     /* UFS1: frag of the group summaries */
#define FS_CSSIZE       156     /* bytes of the group summaries */
#define FS_CGSIZE       160     /* bytes of a cylinder group header */
#define FS_IPG          184
#define FS_FPG          188
#define FS_OLD_CSTOTAL  192
#define FS_FMOD         208     /* byte: modified (0 on disk) */
#define FS_CLEAN        209     /* byte: 1 when unmounted cleanly */
#define FS_RONLY        210     /* byte: mounted read-only (0 on disk) */
#define FS_OLD_FLAGS    211     /* byte: FS_FLAGS_UPDATED */
#define FS_SBLOCKLOC   1000
#define FS_CSTOTAL     1008
#define FS_TIME        1072     /* int64: last written */
#define FS_SIZE        1080
#define FS_DSIZE       1088
#define FS_CSADDR      1096     /* UFS2 int64: frag of group summaries */
#define FS_PENDINGBLOCKS 1104   /* int64: soft updates, kept 0 */
#define FS_PENDINGINODES 1112
#define FS_AVGFILESIZE 1196     /* expected bytes per file */
#define FS_AVGFPDIR    1200     /* expected files per directory */
#define FS_FLAGS       1312
#define FS_CONTIGSUMSIZE 1316   /* cluster summary sizes, 0: none */
#define FS_MAXSYMLINKLEN 1320
#define FS_OLD_INODEFMT  1324
#define FS_MAGIC       1372

#define FS_FLAGS_UPDATED 0x80
/* Flags in fs_flags that a writer here does not understand. */
#define FS_FLAGS_SOFTDEP 0x02   /* soft updates */
#define FS_FLAGS_SUJ     0x800  /* soft updates journal (FreeBSD) */
#define FS_FLAGS_GJOURNAL 0x40
#define FS_FLAGS_DOWAPBL 0x04   /* NetBSD log (WAPBL) */
#define FS_MAXFRAG       8

/*
 * Cylinder group header (struct cg), fs_cgsize bytes at group-relative
 * frag fs_cblkno.  Offsets of the maps are from the header's start.
 *
 *   off size field
 *     4   4  cg_magic        CG_MAGIC
 *     8   4  cg_old_time     UFS1: last written
 *    12   4  cg_cgx          this group's number
 *    16   2  cg_old_ncyl     UFS1
 *    18   2  cg_old_niblk    UFS1: inodes
 *    20   4  cg_ndblk        frags in this group
 *    24  16  cg_cs           struct csum: ndir, nbfree, nifree, nffree
 *    40   4  cg_rotor        last block allocated (group-relative frag)
 *    44   4  cg_frotor       last frag run allocated
 *    48   4  cg_irotor       last inode allocated
 *    52  32  cg_frsum[8]     free runs of n frags (n < frag) in blocks
 *                            that are not wholly free
 *    92   4  cg_iusedoff     inode map: bit set = inode in use
 *    96   4  cg_freeoff      frag map: bit set = frag free
 *   100   4  cg_nextfreeoff  bytes of the header in use
 *   104   4  cg_clustersumoff int32[1..contigsumsize]: free runs of n
 *                            whole blocks (the last counts longer ones)
 *   108   4  cg_clusteroff   block map: bit set = whole block free
 *   112   4  cg_nclusterblks blocks in the cluster map
 *   116   4  cg_niblk        UFS2: inodes in this group
 *   120   4  cg_initediblk   UFS2: inodes whose blocks are initialised
 *   136   8  cg_time         UFS2: last written
 */
#define CG_MAGIC          0x090255
#define CG_MAGICOFF       4
#define CG_OLD_TIME       8
#define CG_CGX           12
#define CG_OLD_NIBLK     18
#define CG_NDBLK         20
#define CG_CS            24
#define CG_ROTOR         40
#define CG_FROTOR        44
#define CG_IROTOR        48
#define CG_FRSUM         52
#define CG_IUSEDOFF      92
#define CG_FREEOFF       96
#define CG_NEXTFREEOFF  100
#define CG_CLUSTERSUMOFF 104
#define CG_CLUSTEROFF   108
#define CG_NCLUSTERBLKS 112
#define CG_NIBLK        116
#define CG_INITEDIBLK   120
#define CG_TIME         136
#define FS_44INODEFMT    2

/* Offsets in struct csum (int32 x 4) and struct csum_total (int64 x 8). */
#define CS_NDIR   0
#define CS_NBFREE 1
#define CS_NIFREE 2
#define CS_NFFREE 3

#define UFS_ROOTINO 2
#define UFS_NDADDR  12
#define UFS_NIADDR  3

/* UFS1 dinode. */
#define DINODE1_SIZE  128
#define DI1_MODE      0
#define DI1_NLINK     2
#define DI1_SIZE      8
#define DI1_ATIME     16
#define DI1_ATIMENSEC 20
#define DI1_MTIME     24
#define DI1_MTIMENSEC 28
#define DI1_CTIME     32
#define DI1_CTIMENSEC 36
#define DI1_DB        40
#define DI1_IB        88
#define DI1_FLAGS     100
#define DI1_BLOCKS    104
#define DI1_UID       112
#define DI1_GID       116
#define DI1_GEN       108

/* UFS2 dinode. */
#define DINODE2_SIZE  256
#define DI2_MODE      0
#define DI2_NLINK     2
#define DI2_UID       4
#define DI2_GID       8
#define DI2_SIZE      16
#define DI2_BLOCKS    24
#define DI2_ATIME     32
#define DI2_MTIME     40
#define DI2_CTIME     48
#define DI2_BIRTHTIME 56
#define DI2_MTIMENSEC 64
#define DI2_ATIMENSEC 68
#define DI2_CTIMENSEC 72
#define DI2_BIRTHNSEC 76
#define DI2_GEN       80
#define DI2_FLAGS     88
#define DI2_DB        112
#define DI2_IB        208

/* The block-pointer area, where a short symlink's target lives. */
#define UFS1_SHORTLINK 60
#define UFS2_SHORTLINK 120

/* di_mode file types. */
#define IFMT   0170000
#define IFIFO  0010000
#define IFCHR  0020000
#define IFDIR  0040000
#define IFBLK  0060000
#define IFREG  0100000
#define IFLNK  0120000
#define IFSOCK 0140000
#define IFWHT  0160000

/* Directories. */
#define DIRBLKSIZ   512
#define DIR_INO     0
#define DIR_RECLEN  4
#define DIR_TYPE    6
#define DIR_NAMLEN  7
#define DIR_NAME    8
#define DIR_TYPE_WHITEOUT 14 /* d_type of a whiteout */
/* Bytes an entry with a name of n bytes needs. */
#define DIRSIZ(n)   (DIR_NAME + (((n) + 1 + 3) & ~3))

/*
 * What writing a file system needs besides (newfs, fsck_ffs).
 *
 * More superblock fields:
 *   off  size  field              meaning
 *    32    4   fs_old_time        UFS1: last written, seconds
 *    64    4   fs_old_rotdelay    UFS1: historic, 0
 *    68    4   fs_old_rps         UFS1: historic revolutions/s (60)
 *    88    4   fs_maxcontig       blocks in a cluster (MAXPHYS / bsize)
 *    92    4   fs_maxbpg          blocks of one file in one group
 *   124    4   fs_old_nspf        UFS1: sectors per frag
 *   128    4   fs_optim           0 time, 1 space
 *   132    4   fs_old_npsect      UFS1: historic geometry ...
 *   136    4   fs_old_interleave
 *   152    4   fs_old_csaddr      UFS1: frag of the group summaries
 *   156    4   fs_cssize          bytes of the group summaries
 *   160    4   fs_cgsize          bytes of a group header with its maps
 *   168    4   fs_old_nsect       ... sectors per track
 *   172    4   fs_old_spc         ... sectors per cylinder
 *   176    4   fs_old_ncyl        ... cylinders
 *   180    4   fs_old_cpg         ... cylinders per group
 *   208    1   fs_fmod            0 on disk
 *   209    1   fs_clean           1: unmounted cleanly (or checked)
 *   210    1   fs_ronly           0 on disk
 *   211    1   fs_old_flags       FS_FLAGS_UPDATED as makefs writes it
 *   212  468   fs_fsmnt           where it was last mounted
 *   680   32   fs_volname         the label
 *   856    4   fs_old_cpc         0
 *   860    4   fs_maxbsize        largest block size (= fs_bsize)
 *  1072    8   fs_time            last written, seconds
 *  1096    8   fs_csaddr          frag of the group summaries
 *  1196    4   fs_avgfilesize     allocation hints (16384, 64)
 *  1200    4   fs_avgfpdir
 *  1316    4   fs_contigsumsize   length classes in a cluster summary
 *  1328    8   fs_maxfilesize     largest file, bytes
 *  1336    8   fs_qbmask          bsize - 1
 *  1344    8   fs_qfmask          fsize - 1
 *  1356    4   fs_old_postblformat UFS1: 1 (dynamic tables)
 *  1360    4   fs_old_nrpos       UFS1: 1
 *
 * The group summaries (fs_cssize bytes at fs_csaddr, in group 0's data
 * area) are ncg struct csum, int32 x 4 each: ndir, nbfree, nifree,
 * nffree of every group, as its header's cg_cs says.
 *
 * A cylinder group header, at frag cgstart(c) + fs_cblkno, fs_cgsize
 * bytes; its maps follow it at the byte offsets it names:
 *   off  size  field
 *     4    4   cg_magic          CG_MAGIC
 *     8    4   cg_old_time       UFS1: last written
 *    12    4   cg_cgx            its own group number
 *    16    2   cg_old_ncyl       UFS1: cylinders (1)
 *    18    2   cg_old_niblk      UFS1: inodes in the group
 *    20    4   cg_ndblk          frags in the group (the last may be short)
 *    24   16   cg_cs             ndir, nbfree, nifree, nffree
 *    40    4   cg_rotor          allocation hints
 *    44    4   cg_frotor
 *    48    4   cg_irotor
 *    52   32   cg_frsum[8]       [n]: free runs of n frags in partly
 *                                used blocks (n < fs_frag)
 *    84    4   cg_old_btotoff    UFS1: int32 per cylinder (unused here)
 *    88    4   cg_old_boff       UFS1: int16 per cylinder (unused here)
 *    92    4   cg_iusedoff       bit map of inodes in use (bit set)
 *    96    4   cg_freeoff        bit map of free frags (bit set)
 *   100    4   cg_nextfreeoff    end of the maps
 *   104    4   cg_clustersumoff  int32 [1..contigsumsize]: runs of free
 *                                blocks of each length (longer: last)
 *   108    4   cg_clusteroff     bit map of wholly free blocks
 *   112    4   cg_nclusterblks   blocks in the cluster map
 *   116    4   cg_niblk          UFS2: inodes in the group
 *   120    4   cg_initediblk     UFS2: inodes initialised on disk
 *   136    8   cg_time           UFS2: last written
 *   168        the maps (UFS1: the old tables, then the inode map)
 * Bit n of a map is bit (n % 8) of byte n / 8.
 */
#define FS_OLD_ROTDELAY    64
#define FS_OLD_RPS         68
#define FS_MAXCONTIG       88
#define FS_MAXBPG          92
#define FS_OLD_NSPF       124
#define FS_OPTIM          128
#define FS_OLD_NPSECT     132
#define FS_OLD_INTERLEAVE 136
#define FS_OLD_NSECT      168
#define FS_OLD_SPC        172
#define FS_OLD_NCYL       176
#define FS_OLD_CPG        180
#define FS_FSMNT          212
#define FS_VOLNAME        680
#define FS_VOLNAMELEN      32
#define FS_OLD_CPC        856
#define FS_MAXBSIZE       860
#define FS_MAXFILESIZE   1328
#define FS_QBMASK        1336
#define FS_QFMASK        1344
#define FS_OLD_POSTBLFMT 1356
#define FS_OLD_NRPOS     1360
#define FS_STRUCTSIZE    1376   /* bytes of struct fs */
#define FS_MAXCONTIGSUM    16   /* contigsumsize at most */
#define FS_ISCLEAN          1

#define CG_OLD_NCYL        16
#define CG_OLD_BTOTOFF     84
#define CG_OLD_BOFF        88
#define CG_SPACE          168
#define CG_MAXFRAG          8

/*
 * UFS2 extended attributes (the "extattr area" FreeBSD keeps; UFS1 has
 * none).  Two more dinode fields:
 *   off  size  field
 *    92    4   di_extsize      bytes of the area, at most
 *                              UFS_NXADDR * fs_bsize
 *    96   16   di_extb[2]      int64 frags of its blocks
 * The area is laid out as a small file of di_extsize bytes that has only
 * direct blocks: di_extb[0] holds bytes [0, bsize), di_extb[1] the rest;
 * every block but the last is whole, the last has the frags its bytes
 * need, and a block the size does not reach is 0.  Its frags count in
 * di_blocks with the file's.
 *
 * The area is a sequence of records that covers di_extsize exactly; the
 * one multi-byte field is in the image's byte order:
 *   off  size  field
 *     0    4   ea_length        bytes of the whole record, a multiple of 8
 *     4    1   ea_namespace     1 user, 2 system
 *     5    1   ea_contentpadlen zero bytes after the value (0 to 7)
 *     6    1   ea_namelength    1 to 255
 *     7    .   ea_name          no NUL; zeroes to a multiple of 8 from the
 *                               record's start (EA_HDRLEN)
 *     .    .   the value, then ea_contentpadlen zeroes
 */
#define DI2_EXTSIZE    92
#define DI2_EXTB       96
#define UFS_NXADDR      2

#define EA_LENGTH       0
#define EA_NAMESPACE    4
#define EA_CONTENTPADLEN 5
#define EA_NAMELENGTH   6
#define EA_NAME         7
#define EA_NS_USER      1
#define EA_NS_SYSTEM    2
/* Bytes of a record's header and name, padded: where the value starts. */
#define EA_HDRLEN(namelen) (((size_t)(namelen) + EA_NAME + 7) & ~(size_t)7)
#define EA_PAD8(n)         (((size_t)(n) + 7) & ~(size_t)7)

#endif /* _FFS_FORMAT_H_ */
