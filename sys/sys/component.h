/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Components (kern_component.c).  Every kernel library holds one or more
 * records that register themselves when the library is loaded (an ELF
 * constructor), so linking a library is all it takes to configure it.
 * rump_init() runs the init functions type by type in the order below, so
 * a component may rely on every component of an earlier type.
 *
 * Each library also defines rump_component_<name>, an empty function that
 * its pkg-config file forces in with -Wl,-u: linking a static archive then
 * cannot silently leave the component out.
 *
 * A record that registers after boot (a library loaded with dlopen) is
 * initialised at once.  The dynamic linker runs a library's dependencies'
 * constructors before its own, and within a library the constructors
 * run by type (their priority), so late components too are initialised
 * in dependency order.  Each record is also exported as
 * rump_modinfo_<name>, a struct modinfo pointer for
 * rump_pub_module_init() (<rump/rump.h>).
 */
#ifndef _SYS_COMPONENT_H_
#define _SYS_COMPONENT_H_

enum rump_component_type {
	RUMP_COMPONENT_KERN,            /* kernel core services */
	RUMP_COMPONENT_VFS,             /* VFS layer */
	RUMP_COMPONENT_VFS_FS,          /* file systems */
	RUMP_COMPONENT_NET,             /* network layer */
	RUMP_COMPONENT_NET_DOMAIN,      /* protocol families */
	RUMP_COMPONENT_NET_IF,          /* interfaces */
	RUMP_COMPONENT_DEV,             /* devices */
	RUMP_COMPONENT_POSTINIT,        /* after every other init */
	RUMP_COMPONENT_MAX
};

struct rump_component {
	enum rump_component_type rc_type;
	const char *rc_name;            /* library name without "librump" */
	void (*rc_init)(void);
	const char *rc_excludes;        /* a component it cannot live with */
	/* kern_component.c only: */
	struct rump_component *rc_next; /* atomic: the list only grows */
	bool rc_inited;                 /* component_lock after boot */
};

struct modinfo;                         /* a struct rump_component */

void component_register(struct rump_component *);
/* Whether a component of that name is linked in. */
bool component_linked(const char *name);
/*
 * Before boot: 0, or EINVAL (and a log line naming both) when two
 * components that exclude each other are linked, as sockin and netinet,
 * which would both serve PF_INET.
 */
int component_check(void);

#define RUMP_COMPONENT_DEFINE(type, name, initfn, excludes)                    \
	static struct rump_component rumpcomp_rec_##name = {                   \
		.rc_type = (type), .rc_name = #name, .rc_init = (initfn),      \
		.rc_excludes = (excludes) };                                   \
	__attribute__((__constructor__(101 + (type)))) static void             \
	rumpcomp_ctor_##name(void)                                             \
	{                                                                      \
		component_register(&rumpcomp_rec_##name);                      \
	}                                                                      \
	__attribute__((__visibility__("default"))) extern const struct modinfo \
	    *const rump_modinfo_##name;                                        \
	const struct modinfo *const rump_modinfo_##name =                      \
	    (const struct modinfo *)&rumpcomp_rec_##name;                      \
	__attribute__((__visibility__("default"))) void                        \
	rump_component_##name(void);                                           \
	void rump_component_##name(void)                                       \
	{                                                                      \
	}

#define RUMP_COMPONENT(type, name, initfn)                                     \
	RUMP_COMPONENT_DEFINE(type, name, initfn, NULL)
/* A component that refuses to boot beside component other. */
#define RUMP_COMPONENT_EXCLUSIVE(type, name, initfn, other)                    \
	RUMP_COMPONENT_DEFINE(type, name, initfn, #other)

#endif /* _SYS_COMPONENT_H_ */
