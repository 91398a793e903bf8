/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * libfsu: what the fsu_* image tools share.  A tool is a thin main:
 *
 *	fsu_init(argc, argv, usage_text);     program name, signals
 *	... getopt_long with FSU_LONGOPTS, fsu_commonopt() for -t, --help
 *	fsu_open(image, FSU_RDONLY);            mount or exit with a message
 *	... work through fsu_image (struct fsu_side) or ukfs directly
 *	return fsu_exit(status);                unmount, then exit
 *
 * Every exit (fsu_exit, fsu_die, a caught SIGINT or SIGTERM) releases
 * the image first, so nothing is left for fsck.  Messages follow
 * coreutils: "fsu_cat: /etc/nope: No such file or directory" on stderr,
 * exit status 1 (fsu_diff: 2 for trouble).
 */
#ifndef _FSU_H_
#define _FSU_H_

#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

#include <rump/ukfs.h>

extern const char *fsu_progname;
extern struct ukfs *fsu_fs;             /* the mounted image */
extern const char *fsu_fstype;          /* -t, or NULL: detect */
extern const char *fsu_imagename;       /* as the user gave it */
extern volatile sig_atomic_t fsu_signal;        /* caught, not yet acted on */

/* Boot, name the program, catch SIGINT and SIGTERM. */
void fsu_init(int argc, char **argv, const char *usage);

/*
 * Options every tool has: -t TYPE (--type), --help.  Put FSU_LONGOPTS in
 * the tool's long options and "t:" in its short ones; fsu_commonopt()
 * handles them (true) or says the option is the tool's (false); an
 * unknown option ('?') prints the usage line and exits 1.
 */
#define FSU_OPT_HELP 0x100
#define FSU_LONGOPTS                                                           \
	{ "help", no_argument, NULL, FSU_OPT_HELP },                           \
	{ "type", required_argument, NULL, 't' }
bool fsu_commonopt(int ch);
/* "Try 'fsu_ls --help'", exit 1. */
void fsu_usage(void) __attribute__((__noreturn__));

/* Mount image[:part]; on failure print why and exit 1. */
#define FSU_RDONLY 0x01
#define FSU_RDWR   0x00
void fsu_open(const char *image, int flags);
/* Release the image (if mounted) and exit with status. */
int fsu_exit(int status) __attribute__((__noreturn__));

/* Messages: "prog: text: strerror(errno)" and "prog: text". */
void fsu_warn(const char *fmt, ...) __attribute__((__format__(printf, 1, 2)));
void fsu_warnx(const char *fmt, ...) __attribute__((__format__(printf, 1, 2)));
void fsu_die(const char *fmt, ...)
    __attribute__((__format__(printf, 1, 2), __noreturn__));
/* Act on a caught signal: release, then die of it. */
void fsu_checksignal(void);

/*
 * Two sides a file can be on: the host and the image.  The copy, walk
 * and compare code is written once over this table.  Paths on the image
 * side are image paths; descriptors are each side's own.
 */
struct fsu_side {
	const char *s_name;
	int (*s_stat)(const char *, struct stat *);
	int (*s_lstat)(const char *, struct stat *);
	int (*s_open)(const char *, int, mode_t);
	ssize_t (*s_read)(int, void *, size_t);
	ssize_t (*s_write)(int, const void *, size_t);
	off_t (*s_lseek)(int, off_t, int);
	int (*s_ftruncate)(int, off_t);
	int (*s_close)(int);
	int (*s_mkdir)(const char *, mode_t);
	int (*s_symlink)(const char *target, const char *path);
	ssize_t (*s_readlink)(const char *, char *, size_t);
	int (*s_unlink)(const char *);
	int (*s_rmdir)(const char *);
	int (*s_chmod)(const char *, mode_t);
	int (*s_lchown)(const char *, uid_t, gid_t);
	int (*s_lutimens)(const char *, const struct timespec[2]);
	/*
	 * The names in directory path, sorted, without "." and "..": 0;
	 * 1 when names unfit to join to a path were left out (each
	 * reported, see fsu_namecheck); -1 with errno.
	 */
	int (*s_list)(const char *, char ***namesp, size_t *np);
};
extern const struct fsu_side fsu_host, fsu_image;
void fsu_freelist(char **names, size_t n);

/*
 * A name read from directory dir of an untrusted image, before it is
 * joined to a path: 0 to use it, 1 for "." or ".." (once each: dotsp
 * counts them, 0 before the first name), -1 for a name with '/', empty
 * or a second "." or ".." ("prog: dir: invalid file name in image:
 * 'name'" printed).
 */
int fsu_namecheck(const char *dir, const char *name, unsigned *dotsp);

/*
 * The directories above the one being walked, for finding loops: a
 * hostile image may link a directory under itself.  fsu_loop() gives
 * the ancestor that directory st is, or NULL; fsu_warnloop() says so as
 * find does: "prog: File system loop detected; 'path' is part of the
 * same file system loop as 'a_path'."
 */
struct fsu_ancestor {
	const struct fsu_ancestor *a_up;
	dev_t a_dev;
	ino_t a_ino;
	const char *a_path;
};
const struct fsu_ancestor *fsu_loop(const struct fsu_ancestor *up,
    const struct stat *st);
void fsu_warnloop(const char *path, const struct fsu_ancestor *a);

/* dir + "/" + name, malloc'd (exits on no memory). */
char *fsu_join(const char *dir, const char *name);
/* The last component of path (no trailing slashes), malloc'd. */
char *fsu_basename(const char *path);
void *fsu_xmalloc(size_t);
char *fsu_xstrdup(const char *);

/*
 * Copying, with cp's rules (fsu_copy.c).  fsu_cp() copies src on side
 * from to dst on side to: onto dst, or into it when dst is a directory
 * (or into is set).  FSU_CP_RECURSIVE copies directories (else they are
 * refused: "omitting directory"), symbolic links inside trees stay
 * links; FSU_CP_PRESERVE keeps modes, times and (when permitted)
 * owners.  Prints its own messages; 0 or -1.
 */
#define FSU_CP_RECURSIVE 0x01
#define FSU_CP_PRESERVE  0x02
int fsu_cp(const struct fsu_side *from, const char *src,
    const struct fsu_side *to, const char *dst, bool into, int flags);
/* The whole of fsu_put (put) and fsu_get. */
int fsu_cpmain(int argc, char **argv, bool put, const char *usage);
/*
 * Report copy progress on stderr if it is a terminal and fsu_quiet (-q)
 * is not set: files (when not 0) and bytes so far, and the rate; once a
 * copy has taken a second, twice a second.  done erases the line.
 */
extern bool fsu_quiet;
void fsu_progress(uint64_t files, uint64_t bytes, bool done);
/*
 * Copy the bytes of descriptor in (from its start) to out (at its
 * offset).  With holes, the source's holes are seeked over and the size
 * set at the end, so sparse stays sparse; without (a pipe, an O_APPEND
 * file), they are written as zeros.  0, or -1 with errno and *wfailedp
 * telling whether writing (or reading) failed.
 */
int fsu_copyfd(const struct fsu_side *from, int in, const struct fsu_side *to,
    int out, bool holes, bool *wfailedp);

/*
 * Walking a tree on a side (fsu_walk.c), parents before children
 * (postorder set: children first), names sorted.  fn gets the path, its
 * lstat and the depth (0 for root); returning FSU_WALK_SKIP does not
 * descend, -1 stops the walk.  Errors of listing a directory are
 * reported ("prog: path: why") and make fsu_walk return -1 at the end;
 * so does a directory that is its own ancestor (fsu_loop), which is
 * neither handed to fn nor entered.
 */
#define FSU_WALK_SKIP 1
typedef int (*fsu_walkfn)(const char *path, const struct stat *st,
    int depth, void *arg);
int fsu_walk(const struct fsu_side *side, const char *root, bool postorder,
    fsu_walkfn fn, void *arg);

/* Formats (fsu_fmt.c). */
void fsu_modestr(mode_t mode, char buf[11]);
/* ls -h and df -h style: 1023, 1.0K, 12K, 1.5M ... */
void fsu_human(uint64_t n, char *buf, size_t size);
const char *fsu_username(uid_t uid, char *buf, size_t size);
const char *fsu_groupname(gid_t gid, char *buf, size_t size);
/* A user or group name or number: 0 or -1. */
int fsu_parseuser(const char *s, uid_t *uidp);
int fsu_parsegroup(const char *s, gid_t *gidp);
/* chmod's mode: octal or symbolic ("u+x,go-w"), applied to old. */
int fsu_parsemode(const char *s, mode_t old, bool isdir, mode_t *newp);
const char *fsu_typename(mode_t mode);

#endif /* _FSU_H_ */
