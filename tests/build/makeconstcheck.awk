# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The rump on Linux developers.
#
# From rumpdefs.h, a table comparing each RUMP_X with the host's X.  A name
# in a family that Linux's headers always have must exist on the host; the
# rest (sysctl names, reboot flags: our own) are compared only if present.

/^#define RUMP_[A-Z0-9_]+ / {
	name = substr($2, 6)
	required = name ~ /^(E[A-Z0-9]+|O_|F_|FD_|POLL|S_I|SEEK_|AT_|CLOCK_|TIMER_|AF_|PF_|SOL_|SO_|MSG_|SCM_|SHUT_|SIOC|IPPROTO_|IP_|IPV6_|TCP_)/ ||
	    name ~ /^SOCK_(STREAM|DGRAM|RAW|SEQPACKET|NONBLOCK|CLOEXEC)$/
	# glibc has it only as an enum member (our tables stop at 256).
	if (name == "IPPROTO_MAX")
		required = 0
	# The original's ioctls, in numbers Linux leaves unused.
	if (name ~ /^SIOC(IFCREATE|IFDESTROY|SLINKSTR|GLINKSTR|GIFALIFETIME)$/)
		required = 0
	if (name ~ /^RB_/)
		next
	# The original's names: strings, and NetBSD's MNT_FORCE on purpose.
	if (name ~ /^(MOUNT_|RFFD_)/ || name == "MNT_FORCE")
		next
	printf("#ifdef %s\n\tCONST(%s),\n#else\n\t%s(%s),\n#endif\n", name,
	    name, required ? "MISSING" : "ABSENT", name)
}
