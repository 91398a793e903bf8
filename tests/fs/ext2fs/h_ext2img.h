/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Source trees and ext2 images for the ext2fs tests: a tree of files of
 * many sizes (sparse ones too), deep and large directories, symlinks,
 * hard links, special files, odd modes, owners and nanosecond times,
 * made on the host; images made from it by mke2fs -d (e2fsprogs), with
 * e2fsck -D to index the directories.
 */
#ifndef _TESTS_H_EXT2IMG_H_
#define _TESTS_H_EXT2IMG_H_

#include <stdbool.h>
#include <stddef.h>

/* snprintf into an array, failing the test if it does not fit. */
#define PATHF(buf, ...)                                                        \
	do {                                                                   \
		if ((size_t)snprintf((buf), sizeof(buf), __VA_ARGS__) >=       \
		    sizeof(buf))                                               \
			TEST_FAIL("path too long");                            \
	} while (0)

struct tree_opts {
	int many;                       /* entries in many/ */
	bool big;                       /* large and far-sparse files */
};

/* Whether mke2fs is there; prints why not when it is not. */
bool have_e2fsprogs(void);
/* A new empty directory under the temporary directory. */
char *make_tmpdir(const char *tag);
/* Fill dir with the test tree. */
void make_tree(const char *dir, const struct tree_opts *);
/* mke2fs -d src into img with these options, then the post command. */
void make_image(const char *img, const char *src, const char *mkfs_opts,
    const char *size, const char *post);
/*
 * A new temporary directory named for tag, holding an empty file system
 * img (that directory's fs.img) of size made by mke2fs with opts.
 */
char *new_image(const char *tag, const char *opts, const char *size,
    char *img, size_t imglen);
/*
 * The standard output of a shell command, NUL-terminated, to be freed;
 * its exit status in *statusp, or, with statusp NULL, a failure unless 0.
 */
char *cmd_output(const char *cmd, int *statusp);
/* e2fsck -fn must find nothing: exit 0, and its output when not. */
void fsck_clean(const char *img);
/* Run a shell command, which must succeed. */
void sh(const char *fmt, ...) __attribute__((__format__(__printf__, 1, 2)));
/* The first line of a shell command's output, without its newline. */
void sh_out(char *out, size_t len, const char *fmt, ...)
    __attribute__((__format__(__printf__, 3, 4)));
/* The number after label in debugfs's stat of path in img; -1 if none. */
long long stat_field(const char *img, const char *path, const char *label);
/* Write the tree's mtime nanoseconds into the image (debugfs). */
void stamp_nsec(const char *img, const char *src);
void remove_tree(const char *dir);
/* The deterministic contents of a generated file, byte at offset. */
unsigned char file_byte(const char *name, unsigned long long off);

struct statvfs;
/*
 * statvfs of the image as the Linux kernel mounts it read-only (loop
 * mount); false, with a message, where the test cannot loop-mount.
 */
bool linux_statvfs(const char *img, struct statvfs *);
/* Loop-mount img at dir (options for mount -o); false when it cannot. */
bool linux_mount(const char *img, const char *dir, const char *opts);
void linux_unmount(const char *dir);

#endif /* _TESTS_H_EXT2IMG_H_ */
