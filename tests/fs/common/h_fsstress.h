/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * A multi-process stress of a writable file system (fsstress.c), for
 * the POSIX suite and for the tests of one file system that check its
 * image with their own tools afterwards.
 */
#ifndef _TESTS_FS_H_FSSTRESS_H_
#define _TESTS_FS_H_FSSTRESS_H_

#include <stdbool.h>
#include <stdint.h>

#include "h_macros.h"

#define FSS_MAXWORKERS 16

/*
 * nworkers processes, each a thread, run nops random steps each under
 * directory base (which exists and is empty), then everything under
 * base is removed.  A step that goes wrong fails the test; with full,
 * ENOSPC is not wrong (the file system is small enough to fill).
 * FSSTRESS_PERCENT in the environment scales nops (the sanitizer
 * builds run less of the same).
 */
void fs_stress(const char *base, int nworkers, int nops, uint32_t seed,
    bool full);

#endif /* _TESTS_FS_H_FSSTRESS_H_ */
