/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */
#include "h_macros.h"
TESTCASE(none) {}
TESTS(CASE(none))
