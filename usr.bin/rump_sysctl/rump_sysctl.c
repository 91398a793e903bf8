/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * rump.sysctl: read and set sysctl values of the kernel served at
 * $RUMP_SERVER (rump.sysctl(8)).  Names become numbers by walking the
 * tree with CTL_QUERY, whose records (struct sysctl_qnode, sys/sysctl.h)
 * give each child's number, type and size.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump_syscalls.h>
#include <rump/rumpclient.h>
#include <rump/rumpdefs.h>

#define MIN_LEN(a, b) ((a) < (b) ? (a) : (b))

/* The kernel's CTL_QUERY record and types (sys/sysctl.h). */
struct qnode {
	int32_t sq_num;
	int32_t sq_type;
	int32_t sq_flags;
	uint32_t sq_size;
	char sq_name[32];
};
#define T_NODE   1
#define T_INT    2
#define T_STRING 3
#define T_QUAD   4
#define T_STRUCT 5

static bool nflag;
static int status;

static void
usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: rump.sysctl [-n] name ...\n"
	    "       rump.sysctl [-n] -w name=value ...\n"
	    "       rump.sysctl [-n] -a\n"
	    "  read or set sysctl values of the rump kernel at $RUMP_SERVER\n"
	    "  -a  every value    -n  values only    -w  set name to value\n");
}

static void
warnx2(const char *what, const char *why)
{
	fprintf(stderr, "rump.sysctl: %s: %s\n", what, why);
	status = 1;
}

static int
qnode_cmp(const void *a, const void *b)
{
	const struct qnode *x = a, *y = b;

	return (x->sq_num > y->sq_num) - (x->sq_num < y->sq_num);
}

/* The children of mib[0..len-1]; *np records, malloc'd.  -1 on error. */
static int
query(const int *mib, unsigned len, struct qnode **qp, size_t *np)
{
	int q[RUMP_CTL_MAXNAME + 1];
	size_t sz = 0;
	struct qnode *buf;

	memcpy(q, mib, len * sizeof(int));
	q[len] = RUMP_CTL_QUERY;
	for (;;) {
		if (rump_sys___sysctl(q, len + 1, NULL, &sz, NULL, 0) != 0)
			return -1;
		if ((buf = malloc(sz + 1)) == NULL)
			return -1;
		if (rump_sys___sysctl(q, len + 1, buf, &sz, NULL, 0) == 0)
			break;
		free(buf);
		if (errno != ENOMEM)
			return -1;
	}
	*qp = buf;
	*np = sz / sizeof(*buf);
	qsort(buf, *np, sizeof(*buf), qnode_cmp);
	return 0;
}

/* Resolve a dotted name into mib and its node.  -1 with errno. */
static int
resolve(const char *name, int *mib, unsigned *lenp, struct qnode *node)
{
	char *copy = strdup(name), *part, *save = NULL;
	struct qnode *q;
	unsigned len = 0;
	size_t n, i;
	int error = 0;

	if (copy == NULL)
		return -1;
	for (part = strtok_r(copy, ".", &save); part != NULL;
	     part = strtok_r(NULL, ".", &save)) {
		if (len == RUMP_CTL_MAXNAME ||
		    (len > 0 && node->sq_type != T_NODE)) {
			error = ENOTDIR;
			break;
		}
		if (query(mib, len, &q, &n) != 0) {
			error = errno;
			break;
		}
		for (i = 0; i < n; i++)
			if (strncmp(q[i].sq_name, part, sizeof(q[i].sq_name)) ==
			    0)
				break;
		if (i == n) {
			free(q);
			error = ENOENT;
			break;
		}
		*node = q[i];
		mib[len++] = q[i].sq_num;
		free(q);
	}
	free(copy);
	if (error == 0 && len == 0)
		error = EINVAL;
	if (error != 0) {
		errno = error;
		return -1;
	}
	*lenp = len;
	return 0;
}

/* A value as text, without its name or a newline. */
static void
print_raw(const struct qnode *node, const void *v, size_t len)
{
	switch (node->sq_type) {
	case T_INT: {
		int x = 0;

		memcpy(&x, v, MIN_LEN(len, sizeof(x)));
		printf("%d", x);
		break;
	}
	case T_QUAD: {
		int64_t x = 0;

		memcpy(&x, v, MIN_LEN(len, sizeof(x)));
		printf("%" PRId64, x);
		break;
	}
	case T_STRING:
		printf("%.*s", (int)strnlen(v, len), (const char *)v);
		break;
	default:
		for (size_t i = 0; i < len; i++)
			printf("%02x", ((const unsigned char *)v)[i]);
		break;
	}
}

static void
print_value(const char *name, const struct qnode *node, const void *v,
            size_t len)
{
	if (!nflag)
		printf("%s = ", name);
	print_raw(node, v, len);
	printf("\n");
}

/* The value of mib as bytes, malloc'd.  -1 with errno. */
static int
fetch(const int *mib, unsigned len, void **vp, size_t *lenp)
{
	size_t sz = 0;
	void *buf;

	for (;;) {
		if (rump_sys___sysctl(mib, len, NULL, &sz, NULL, 0) != 0)
			return -1;
		if ((buf = calloc(1, sz + 1)) == NULL)
			return -1;
		if (rump_sys___sysctl(mib, len, buf, &sz, NULL, 0) == 0)
			break;
		free(buf);
		if (errno != ENOMEM)
			return -1;
	}
	*vp = buf;
	*lenp = sz;
	return 0;
}

static void
show(const char *name, const int *mib, unsigned len, const struct qnode *n)
{
	size_t vlen;
	void *v;

	if (fetch(mib, len, &v, &vlen) != 0) {
		warnx2(name, strerror(errno));
		return;
	}
	print_value(name, n, v, vlen);
	free(v);
}

static void
walk(char *prefix, int *mib, unsigned len)
{
	struct qnode *q;
	size_t n, plen = strlen(prefix);

	if (query(mib, len, &q, &n) != 0) {
		warnx2(len == 0 ? "(top)" : prefix, strerror(errno));
		return;
	}
	for (size_t i = 0; i < n; i++) {
		snprintf(prefix + plen, 512 - plen, "%s%.*s",
		         plen > 0 ? "." : "", (int)sizeof(q[i].sq_name),
		         q[i].sq_name);
		mib[len] = q[i].sq_num;
		if (q[i].sq_type == T_NODE) {
			if (len + 1 < RUMP_CTL_MAXNAME)
				walk(prefix, mib, len + 1);
		} else
			show(prefix, mib, len + 1, &q[i]);
		prefix[plen] = '\0';
	}
	free(q);
}

static void
set(char *arg)
{
	char *eq = strchr(arg, '='), *end;
	int mib[RUMP_CTL_MAXNAME];
	struct qnode node;
	unsigned len;
	size_t olen, nlen;
	void *old, *newv;
	int ival;
	int64_t qval;

	if (eq == NULL) {
		warnx2(arg, "-w needs name=value");
		return;
	}
	*eq++ = '\0';
	if (resolve(arg, mib, &len, &node) != 0) {
		warnx2(arg, strerror(errno));
		return;
	}
	errno = 0;
	switch (node.sq_type) {
	case T_INT:
		ival = (int)strtol(eq, &end, 0);
		newv = &ival;
		nlen = sizeof(ival);
		break;
	case T_QUAD:
		qval = strtoll(eq, &end, 0);
		newv = &qval;
		nlen = sizeof(qval);
		break;
	case T_STRING:
		newv = eq;
		nlen = strlen(eq);
		end = eq + nlen;
		break;
	default:
		warnx2(arg, "cannot set a value of this type");
		return;
	}
	if (errno != 0 || *end != '\0' || end == eq) {
		warnx2(arg, "bad value");
		return;
	}
	if (fetch(mib, len, &old, &olen) != 0) {
		warnx2(arg, strerror(errno));
		return;
	}
	if (rump_sys___sysctl(mib, len, NULL, NULL, newv, nlen) != 0) {
		warnx2(arg, strerror(errno));
		free(old);
		return;
	}
	if (!nflag) {
		printf("%s: ", arg);
		print_raw(&node, old, olen);
		printf(" -> ");
	}
	print_raw(&node, newv, nlen);
	printf("\n");
	free(old);
}

int
main(int argc, char *argv[])
{
	bool aflag = false, wflag = false;
	int mib[RUMP_CTL_MAXNAME], ch;
	char prefix[512] = "";
	struct qnode node;
	unsigned len;

	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		}
	while ((ch = getopt(argc, argv, "anw")) != -1) {
		switch (ch) {
		case 'a':
			aflag = true;
			break;
		case 'n':
			nflag = true;
			break;
		case 'w':
			wflag = true;
			break;
		default:
			usage(stderr);
			return 1;
		}
	}
	argc -= optind;
	argv += optind;
	if ((aflag && (argc != 0 || wflag)) || (!aflag && argc == 0)) {
		usage(stderr);
		return 1;
	}
	if (rumpclient_init() != 0) {
		fprintf(stderr, "rump.sysctl: rumpclient_init: %s\n",
		        strerror(errno));
		return 1;
	}
	if (aflag)
		walk(prefix, mib, 0);
	for (int i = 0; i < argc; i++) {
		if (wflag)
			set(argv[i]);
		else if (resolve(argv[i], mib, &len, &node) != 0)
			warnx2(argv[i], strerror(errno));
		else if (node.sq_type == T_NODE) {
			snprintf(prefix, sizeof(prefix), "%s", argv[i]);
			walk(prefix, mib, len);
		} else
			show(argv[i], mib, len, &node);
	}
	return status;
}
