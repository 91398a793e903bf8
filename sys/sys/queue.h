/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Intrusive lists.  LIST: doubly linked, head with a first pointer.
 * TAILQ: doubly linked with a tail pointer, for queues kept in order.
 * Each element embeds an ENTRY; "le_prevp" points at whatever points at it.
 */
#ifndef _SYS_QUEUE_H_
#define _SYS_QUEUE_H_

#define LIST_HEAD(name, type)                                                  \
	struct name {                                                          \
		struct type *lh_first;                                         \
	}
#define LIST_HEAD_INITIALIZER(head) { NULL }
#define LIST_ENTRY(type)                                                       \
	struct {                                                               \
		struct type *le_next;                                          \
		struct type **le_prevp;                                        \
	}
#define LIST_INIT(head)       ((head)->lh_first = NULL)
#define LIST_FIRST(head)      ((head)->lh_first)
#define LIST_EMPTY(head)      ((head)->lh_first == NULL)
#define LIST_NEXT(elm, field) ((elm)->field.le_next)
#define LIST_FOREACH(var, head, field)                                         \
	for ((var) = (head)->lh_first; (var) != NULL;                          \
	     (var) = (var)->field.le_next)
#define LIST_FOREACH_SAFE(var, head, field, tmp)                               \
	for ((var) = (head)->lh_first;                                         \
	     (var) != NULL && ((tmp) = (var)->field.le_next, 1); (var) = (tmp))
#define LIST_INSERT_HEAD(head, elm, field)                                     \
	do {                                                                   \
		if (((elm)->field.le_next = (head)->lh_first) != NULL)         \
			(head)->lh_first->field.le_prevp =                     \
			    &(elm)->field.le_next;                             \
		(head)->lh_first = (elm);                                      \
		(elm)->field.le_prevp = &(head)->lh_first;                     \
	} while (0)
#define LIST_REMOVE(elm, field)                                                \
	do {                                                                   \
		if ((elm)->field.le_next != NULL)                              \
			(elm)->field.le_next->field.le_prevp =                 \
			    (elm)->field.le_prevp;                             \
		*(elm)->field.le_prevp = (elm)->field.le_next;                 \
	} while (0)

#define TAILQ_HEAD(name, type)                                                 \
	struct name {                                                          \
		struct type *tqh_first;                                        \
		struct type **tqh_lastp;                                       \
	}
#define TAILQ_ENTRY(type)                                                      \
	struct {                                                               \
		struct type *tqe_next;                                         \
		struct type **tqe_prevp;                                       \
	}
#define TAILQ_HEAD_INITIALIZER(head) { NULL, &(head).tqh_first }
#define TAILQ_INIT(head)                                                       \
	do {                                                                   \
		(head)->tqh_first = NULL;                                      \
		(head)->tqh_lastp = &(head)->tqh_first;                        \
	} while (0)
#define TAILQ_FIRST(head)      ((head)->tqh_first)
#define TAILQ_EMPTY(head)      ((head)->tqh_first == NULL)
#define TAILQ_NEXT(elm, field) ((elm)->field.tqe_next)
#define TAILQ_FOREACH(var, head, field)                                        \
	for ((var) = (head)->tqh_first; (var) != NULL;                         \
	     (var) = (var)->field.tqe_next)
#define TAILQ_FOREACH_SAFE(var, head, field, tmp)                              \
	for ((var) = (head)->tqh_first;                                        \
	     (var) != NULL && ((tmp) = (var)->field.tqe_next, 1);              \
	     (var) = (tmp))
#define TAILQ_INSERT_HEAD(head, elm, field)                                    \
	do {                                                                   \
		if (((elm)->field.tqe_next = (head)->tqh_first) != NULL)       \
			(head)->tqh_first->field.tqe_prevp =                   \
			    &(elm)->field.tqe_next;                            \
		else                                                           \
			(head)->tqh_lastp = &(elm)->field.tqe_next;            \
		(head)->tqh_first = (elm);                                     \
		(elm)->field.tqe_prevp = &(head)->tqh_first;                   \
	} while (0)
#define TAILQ_INSERT_TAIL(head, elm, field)                                    \
	do {                                                                   \
		(elm)->field.tqe_next = NULL;                                  \
		(elm)->field.tqe_prevp = (head)->tqh_lastp;                    \
		*(head)->tqh_lastp = (elm);                                    \
		(head)->tqh_lastp = &(elm)->field.tqe_next;                    \
	} while (0)
#define TAILQ_INSERT_BEFORE(listelm, elm, field)                               \
	do {                                                                   \
		(elm)->field.tqe_prevp = (listelm)->field.tqe_prevp;           \
		(elm)->field.tqe_next = (listelm);                             \
		*(listelm)->field.tqe_prevp = (elm);                           \
		(listelm)->field.tqe_prevp = &(elm)->field.tqe_next;           \
	} while (0)
#define TAILQ_REMOVE(head, elm, field)                                         \
	do {                                                                   \
		if ((elm)->field.tqe_next != NULL)                             \
			(elm)->field.tqe_next->field.tqe_prevp =               \
			    (elm)->field.tqe_prevp;                            \
		else                                                           \
			(head)->tqh_lastp = (elm)->field.tqe_prevp;            \
		*(elm)->field.tqe_prevp = (elm)->field.tqe_next;               \
	} while (0)

#endif /* _SYS_QUEUE_H_ */
