/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Formats the tools print and parse as coreutils do: mode strings,
 * human sizes, owner names, chmod modes.  Owner numbers in an image are
 * shown with the host's names for them, as ls shows a mounted disk.
 */
#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsu.h"

void
fsu_modestr(mode_t m, char b[11])
{
	static const char types[] = "?pc?d?b?-?l?s???";

	b[0] = types[(m >> 12) & 0xf];
	b[1] = (m & S_IRUSR) ? 'r' : '-';
	b[2] = (m & S_IWUSR) ? 'w' : '-';
	b[3] = (m & S_ISUID) ? ((m & S_IXUSR) ? 's' : 'S') :
	    ((m & S_IXUSR) ? 'x' : '-');
	b[4] = (m & S_IRGRP) ? 'r' : '-';
	b[5] = (m & S_IWGRP) ? 'w' : '-';
	b[6] = (m & S_ISGID) ? ((m & S_IXGRP) ? 's' : 'S') :
	    ((m & S_IXGRP) ? 'x' : '-');
	b[7] = (m & S_IROTH) ? 'r' : '-';
	b[8] = (m & S_IWOTH) ? 'w' : '-';
	b[9] = (m & S_ISVTX) ? ((m & S_IXOTH) ? 't' : 'T') :
	    ((m & S_IXOTH) ? 'x' : '-');
	b[10] = '\0';
}

/* Powers of 1024, rounded up, one decimal below 10 (ls -h, df -h). */
void
fsu_human(uint64_t n, char *buf, size_t size)
{
	static const char units[] = "KMGTPE";
	uint64_t div = 1024, tenths, whole;
	int u = 0;

	if (n < 1024) {
		snprintf(buf, size, "%llu", (unsigned long long)n);
		return;
	}
	while (u < 5 && n / div >= 1024) {
		div *= 1024;
		u++;
	}
	tenths = (n * 10 + div - 1) / div;      /* no overflow below 2^60 */
	if (n >= (1ULL << 59))
		tenths = n / div * 10 + 10;
	if (tenths < 100) {
		snprintf(buf, size, "%llu.%llu%c",
		    (unsigned long long)(tenths / 10),
		    (unsigned long long)(tenths % 10), units[u]);
		return;
	}
	whole = (n + div - 1) / div;
	if (whole >= 1024 && u < 5) {
		snprintf(buf, size, "1.0%c", units[u + 1]);
		return;
	}
	snprintf(buf, size, "%llu%c", (unsigned long long)whole, units[u]);
}

/*
 * Names by number, remembered: a listing asks for the same few owners
 * thousands of times, and each host lookup reads the databases anew.
 */
#define NAMECACHE 16
struct namecache {
	unsigned nc_id;
	bool nc_valid;
	char nc_name[64];
};

static const char *
cachedname(struct namecache *c, unsigned id, bool user, char *buf,
    size_t size)
{
	struct passwd *pw;
	struct group *gr;
	const char *name;
	struct namecache *e = &c[id % NAMECACHE];

	if (e->nc_valid && e->nc_id == id)
		return e->nc_name;
	if (user)
		name = (pw = getpwuid((uid_t)id)) != NULL ? pw->pw_name : NULL;
	else
		name = (gr = getgrgid((gid_t)id)) != NULL ? gr->gr_name : NULL;
	if (name != NULL && strlen(name) < sizeof(e->nc_name))
		strcpy(e->nc_name, name);
	else
		snprintf(e->nc_name, sizeof(e->nc_name), "%u", id);
	e->nc_id = id;
	e->nc_valid = true;
	snprintf(buf, size, "%s", e->nc_name);
	return buf;
}

const char *
fsu_username(uid_t uid, char *buf, size_t size)
{
	static struct namecache c[NAMECACHE];

	return cachedname(c, (unsigned)uid, true, buf, size);
}

const char *
fsu_groupname(gid_t gid, char *buf, size_t size)
{
	static struct namecache c[NAMECACHE];

	return cachedname(c, (unsigned)gid, false, buf, size);
}

static int
parsenum(const char *s, unsigned long *vp)
{
	char *end;

	if (*s == '\0' || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	*vp = strtoul(s, &end, 10);
	return *end == '\0' && errno == 0 && *vp < 0xffffffffUL ? 0 : -1;
}

int
fsu_parseuser(const char *s, uid_t *uidp)
{
	struct passwd *pw;
	unsigned long v;

	if ((pw = getpwnam(s)) != NULL) {
		*uidp = pw->pw_uid;
		return 0;
	}
	if (parsenum(s, &v) == -1)
		return -1;
	*uidp = (uid_t)v;
	return 0;
}

int
fsu_parsegroup(const char *s, gid_t *gidp)
{
	struct group *gr;
	unsigned long v;

	if ((gr = getgrnam(s)) != NULL) {
		*gidp = gr->gr_gid;
		return 0;
	}
	if (parsenum(s, &v) == -1)
		return -1;
	*gidp = (gid_t)v;
	return 0;
}

/* One symbolic clause: [ugoa]*([-+=][rwxXst]*)+ */
static const char *
modeclause(const char *s, mode_t *mp, bool isdir)
{
	mode_t who = 0, perm, m = *mp;
	char op;

	for (; *s != '\0' && strchr("ugoa", *s) != NULL; s++)
		who |= *s == 'u' ? 04700 : *s == 'g' ? 02070 :
		    *s == 'o' ? 01007 : 07777;
	if (who == 0)
		who = 07777;
	if (*s == '\0' || strchr("+-=", *s) == NULL)
		return NULL;
	while (*s != '\0' && strchr("+-=", *s) != NULL) {
		op = *s++;
		perm = 0;
		for (; *s != '\0' && strchr("rwxXst", *s) != NULL; s++) {
			switch (*s) {
			case 'r':
				perm |= 0444;
				break;
			case 'w':
				perm |= 0222;
				break;
			case 'x':
				perm |= 0111;
				break;
			case 'X':
				if (isdir || (m & 0111))
					perm |= 0111;
				break;
			case 's':
				perm |= 06000;
				break;
			case 't':
				perm |= 01000;
				break;
			}
		}
		perm &= who;
		if (op == '+')
			m |= perm;
		else if (op == '-')
			m &= ~perm;
		else
			m = (m & ~who) | perm;
	}
	*mp = m;
	return s;
}

int
fsu_parsemode(const char *s, mode_t old, bool isdir, mode_t *newp)
{
	unsigned long v;
	mode_t m = old & 07777;
	char *end;

	if (*s >= '0' && *s <= '7') {
		v = strtoul(s, &end, 8);
		if (*end != '\0' || v > 07777)
			return -1;
		*newp = (mode_t)v;
		return 0;
	}
	for (;;) {
		if ((s = modeclause(s, &m, isdir)) == NULL)
			return -1;
		if (*s == '\0')
			break;
		if (*s++ != ',')
			return -1;
	}
	*newp = m;
	return 0;
}

const char *
fsu_typename(mode_t m)
{
	switch (m & S_IFMT) {
	case S_IFREG:
		return "regular file";
	case S_IFDIR:
		return "directory";
	case S_IFLNK:
		return "symbolic link";
	case S_IFBLK:
		return "block special file";
	case S_IFCHR:
		return "character special file";
	case S_IFIFO:
		return "fifo";
	case S_IFSOCK:
		return "socket";
	default:
		return "weird file";
	}
}
