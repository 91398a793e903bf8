/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The nodes the host knows, by inode number.  FUSE counts lookups: each
 * entry the daemon replies with (lookup, create, mknod, mkdir, symlink,
 * link, readdirplus) is one more, and the host gives them back with
 * forget.  A node lives from its first lookup to the forget that brings
 * its count to zero; it holds its inode by an O_PATH kernel descriptor
 * all that time, so the inode cannot go (nor its number be reused) while
 * the host may still name it, even unlinked.  Hard links look up the
 * same inode and so share a node: the host sees one inode, as it would
 * on a local file system.
 *
 * A node is in the table exactly while its count is above zero; lookup
 * and forget change the count under p2m_nodelock, and the descriptor of
 * a node that left the table is closed after the lock is dropped.
 */
#include <stdlib.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#include "p2k_private.h"

static unsigned
p2k_node_hash(uint64_t ino)
{
	return (unsigned)((ino * 0x9e3779b97f4a7c15ULL) >> 48) &
	    (P2K_NODEHASH - 1);
}

void
p2k_node_init(struct p2k_mount *p2m, uint64_t rootino, int rootfd)
{
	pthread_mutex_init(&p2m->p2m_nodelock, NULL);
	p2m->p2m_root.pn_ino = rootino;
	p2m->p2m_root.pn_fd = rootfd;
	p2m->p2m_root.pn_nlookup = 1;
}

void
p2k_node_fini(struct p2k_mount *p2m)
{
	struct p2k_node *pn;
	unsigned i;

	for (i = 0; i < P2K_NODEHASH; i++)
		while ((pn = p2m->p2m_nodes[i]) != NULL) {
			p2m->p2m_nodes[i] = pn->pn_next;
			free(pn);
		}
	pthread_mutex_destroy(&p2m->p2m_nodelock);
}

struct p2k_node *
p2k_node_get(struct p2k_mount *p2m, fuse_ino_t id)
{
	if (id == FUSE_ROOT_ID)
		return &p2m->p2m_root;
	return (struct p2k_node *)(uintptr_t)id;
}

fuse_ino_t
p2k_node_id(struct p2k_mount *p2m, struct p2k_node *pn)
{
	if (pn == &p2m->p2m_root)
		return FUSE_ROOT_ID;
	return (fuse_ino_t)(uintptr_t)pn;
}

struct p2k_node *
p2k_node_lookup(struct p2k_mount *p2m, uint64_t ino, int fd)
{
	struct p2k_node *pn, **head = &p2m->p2m_nodes[p2k_node_hash(ino)];

	pthread_mutex_lock(&p2m->p2m_nodelock);
	for (pn = *head; pn != NULL; pn = pn->pn_next)
		if (pn->pn_ino == ino)
			break;
	if (pn != NULL) {
		pn->pn_nlookup++;
		pthread_mutex_unlock(&p2m->p2m_nodelock);
		rump_sys_close(fd);
		return pn;
	}
	/* The root is not in the table: its count never matters. */
	if (p2m->p2m_root.pn_ino == ino) {
		pthread_mutex_unlock(&p2m->p2m_nodelock);
		rump_sys_close(fd);
		return &p2m->p2m_root;
	}
	if ((pn = calloc(1, sizeof(*pn))) == NULL) {
		pthread_mutex_unlock(&p2m->p2m_nodelock);
		rump_sys_close(fd);
		return NULL;
	}
	pn->pn_ino = ino;
	pn->pn_fd = fd;
	pn->pn_nlookup = 1;
	pn->pn_generation = __atomic_add_fetch(&p2m->p2m_generation, 1,
	    __ATOMIC_RELAXED);
	pn->pn_next = *head;
	*head = pn;
	pthread_mutex_unlock(&p2m->p2m_nodelock);
	return pn;
}

void
p2k_node_forget(struct p2k_mount *p2m, struct p2k_node *pn, uint64_t nlookup)
{
	struct p2k_node **pp;

	if (pn == &p2m->p2m_root)
		return;
	pthread_mutex_lock(&p2m->p2m_nodelock);
	if (nlookup < pn->pn_nlookup) {
		pn->pn_nlookup -= nlookup;
		pthread_mutex_unlock(&p2m->p2m_nodelock);
		return;
	}
	for (pp = &p2m->p2m_nodes[p2k_node_hash(pn->pn_ino)]; *pp != pn;
	    pp = &(*pp)->pn_next)
		continue;
	*pp = pn->pn_next;
	pthread_mutex_unlock(&p2m->p2m_nodelock);
	rump_sys_close(pn->pn_fd);
	free(pn);
}
