# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The rump on Linux developers.
#
# Generate the system call interfaces from syscalls.master.
# Usage: awk -v outdir=DIR -v comps="kern vfs net" -f makesyscalls.awk FILE
# Writes DIR/rump/rump_syscalls.h, DIR/syscallargs.h, DIR/rump_syscalls.c
# and DIR/sysent_<comp>.c for each component named in comps; with
# -v client=1, DIR/rumpclient_syscalls.c and DIR/sysproxy_args.c only
# (librumpclient's stubs and the kernel's table that unpacks them).
#
# An argument written "... type name" (the last one only) is optional, as
# open's mode: the client prototype ends in "..." and the stub reads the
# argument with va_arg, always, as the C library's fcntl does.  Its type
# must be one the default argument promotions leave alone (int, long,
# unsigned, a pointer), and the kernel side sees an ordinary argument.

function trim(s) {
	gsub(/^[ \t]+|[ \t]+$/, "", s)
	return s
}

function fail(msg) {
	printf("makesyscalls: %s:%d: %s\n", FILENAME, FNR, msg) > "/dev/stderr"
	failed = 1
	exit 1
}

# Split "const char *path" into argtype[n, i] and argname[n, i]; remember
# struct tags for forward declarations.
function parsearg(n, i, a,    m) {
	a = trim(a)
	if (!match(a, /[A-Za-z_][A-Za-z0-9_]*$/))
		fail("bad argument: " a)
	argname[n, i] = substr(a, RSTART, RLENGTH)
	argtype[n, i] = trim(substr(a, 1, RSTART - 1))
	if (sub(/^\.\.\.[ \t]*/, "", argtype[n, i]))
		vararg[n] = i
	if (argtype[n, i] == "")
		fail("argument without a type: " a)
	if (match(argtype[n, i], /struct [A-Za-z_][A-Za-z0-9_]*/)) {
		m = substr(argtype[n, i], RSTART + 7, RLENGTH - 7)
		structs[m] = 1
	}
}

BEGIN {
	ncalls = 0
	ncomps = split(comps, complist, " ")
	for (i = 1; i <= ncomps; i++)
		known[complist[i]] = 1
}

/^[ \t]*;/ || NF == 0 { next }

{
	num = $1
	comp = $2
	if (num !~ /^[0-9]+$/)
		fail("bad number " num)
	if (!(comp in known))
		fail("unknown component " comp)
	if (num in seen)
		fail("number " num " used twice")
	seen[num] = 1
	line = $0
	if (!sub(/^[^{]*\{[ \t]*/, "", line) || !sub(/[ \t]*\}[ \t]*$/, "", line))
		fail("prototype not in braces")
	sub(/;[ \t]*$/, "", line)
	p = index(line, "(")
	if (p == 0 || substr(line, length(line)) != ")")
		fail("bad prototype")
	head = substr(line, 1, p - 1)
	args = substr(line, p + 1, length(line) - p - 1)
	if (!match(head, /[A-Za-z_][A-Za-z0-9_]*[ \t]*$/))
		fail("no name")
	n = ++ncalls
	name[n] = trim(substr(head, RSTART, RLENGTH))
	rettype[n] = trim(substr(head, 1, RSTART - 1))
	number[n] = num
	component[n] = comp
	nargs[n] = 0
	if (trim(args) != "void") {
		k = split(args, parts, ",")
		for (i = 1; i <= k; i++)
			parsearg(n, i, parts[i])
		nargs[n] = k
		if ((n in vararg) && (vararg[n] != k || k < 2))
			fail("only the last argument, after another, may be optional")
	}
	if (num + 0 > maxnum)
		maxnum = num + 0
}

function arglist(n, withnames,    i, s) {
	if (nargs[n] == 0)
		return "void"
	s = ""
	for (i = 1; i <= nargs[n]; i++) {
		s = s (i > 1 ? ", " : "") argtype[n, i]
		if (withnames)
			s = s (argtype[n, i] ~ /\*$/ ? "" : " ") argname[n, i]
	}
	return s
}

# The client's argument list: the optional argument becomes "...".
function protolist(n,    i, s) {
	if (!(n in vararg))
		return arglist(n, 1)
	s = ""
	for (i = 1; i < vararg[n]; i++)
		s = s (i > 1 ? ", " : "") argtype[n, i] \
		    (argtype[n, i] ~ /\*$/ ? "" : " ") argname[n, i]
	return s ", ..."
}

function forwards(f,    s) {
	for (s in structs)
		printf("struct %s;\n", s) > f
}

# One rump_sys_NAME stub into file f: it packs the arguments into the
# kernel's argument structure (regs: into an array of register_t, one
# per argument) and calls call (which sees a and rv).
function stub(f, n, call, regs,    i, v) {
	printf("\n%s%srump_sys_%s(%s);\n", rettype[n],
	    rettype[n] ~ /\*$/ ? "" : " ", name[n], protolist(n)) > f
	printf("%s\nrump_sys_%s(%s)\n{\n", rettype[n], name[n],
	    protolist(n)) > f
	if (n in vararg) {
		v = vararg[n]
		printf("\tva_list ap;\n\t%s%s%s;\n\n", argtype[n, v],
		    argtype[n, v] ~ /\*$/ ? "" : " ", argname[n, v]) > f
		printf("\tva_start(ap, %s);\n", argname[n, v - 1]) > f
		printf("\t%s = va_arg(ap, %s);\n\tva_end(ap);\n\n",
		    argname[n, v], argtype[n, v]) > f
	}
	if (regs) {
		printf("\tregister_t a[] = {") > f
		for (i = 1; i <= nargs[n]; i++)
			printf("%s (register_t)%s", i > 1 ? "," : "",
			    argname[n, i]) > f
		printf("%s };\n", nargs[n] == 0 ? " 0" : "") > f
	} else if (nargs[n] > 0) {
		printf("\tstruct sys_%s_args a = {", name[n]) > f
		for (i = 1; i <= nargs[n]; i++)
			printf("%s .%s = %s", i > 1 ? "," : "",
			    argname[n, i], argname[n, i]) > f
		printf(" };\n") > f
	} else {
		printf("\tstruct sys_%s_args a = { 0 };\n", name[n]) > f
	}
	printf("\tregister_t rv = 0;\n\n") > f
	printf("\tif (%s != 0)\n", call) > f
	printf("\t\treturn (%s)-1;\n", rettype[n]) > f
	printf("\treturn (%s)rv;\n}\n", rettype[n]) > f
}

# With -v client=1, only the remote system calls: DIR/rumpclient_syscalls.c,
# librumpclient's stubs, each sending its arguments as register_t values
# (the host's and the kernel's types differ in size: nfds_t), and
# DIR/sysproxy_args.c, the kernel's table that unpacks them into the
# argument structure.
function clientstubs(f, k,    n, i) {
	printf("/* Generated by tools/makesyscalls.awk from syscalls.master. */\n\n") > f
	printf("#include <stdarg.h>\n#include <rump/rump_syscalls.h>\n") > f
	printf("#include \"rumpclient_int.h\"\n") > f
	for (n = 1; n <= ncalls; n++)
		stub(f, n, "rumpclient__call(" number[n] ", a, " nargs[n] ", &rv)", 1)

	printf("/* Generated by tools/makesyscalls.awk from syscalls.master. */\n\n") > k
	printf("#include <sys/systm.h>\n#include <sys/syscall.h>\n") > k
	printf("#include \"syscallargs.h\"\n#include \"sysproxy.h\"\n") > k
	for (n = 1; n <= ncalls; n++) {
		printf("\n_Static_assert(sizeof(struct sys_%s_args) <= SYSPROXY_ARGSIZE, \"%s\");\n",
		    name[n], name[n]) > k
		printf("static void\nsp_unpack_%s(const register_t *r, void *p)\n{\n",
		    name[n]) > k
		if (nargs[n] == 0) {
			printf("\t(void)r;\n\t(void)p;\n}\n") > k
			continue
		}
		printf("\tstruct sys_%s_args *a = p;\n\n", name[n]) > k
		for (i = 1; i <= nargs[n]; i++)
			printf("\ta->%s = (%s)r[%d];\n", argname[n, i],
			    argtype[n, i], i - 1) > k
		printf("}\n") > k
	}
	printf("\nconst struct sysproxy_unpack sysproxy_unpack[SYS_NSYSENT] = {\n") > k
	for (n = 1; n <= ncalls; n++)
		printf("\t[SYS_%s] = { %d, sp_unpack_%s },\n", name[n], nargs[n],
		    name[n]) > k
	printf("};\n") > k
}

END {
	if (failed)
		exit 1
	if (client) {
		clientstubs(outdir "/rumpclient_syscalls.c", outdir "/sysproxy_args.c")
		exit 0
	}
	hdr = outdir "/rump/rump_syscalls.h"
	args = outdir "/syscallargs.h"
	stubs = outdir "/rump_syscalls.c"

	printf("/* Generated by tools/makesyscalls.awk from syscalls.master. */\n\n") > hdr
	printf("/*\n * The rump kernel system calls.  Each works as the host call of the\n") > hdr
	printf(" * same name, on the rump kernel: it returns -1 and sets errno on error.\n") > hdr
	printf(" * A call whose component is not linked fails with ENOSYS.\n */\n") > hdr
	printf("#ifndef _RUMP_RUMP_SYSCALLS_H_\n#define _RUMP_RUMP_SYSCALLS_H_\n\n") > hdr
	printf("#include <sys/types.h>\n#include <sys/select.h>\n#include <poll.h>\n\n") > hdr
	printf("#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n") > hdr
	forwards(hdr)
	printf("\n") > hdr
	for (n = 1; n <= ncalls; n++)
		printf("%s%srump_sys_%s(%s)\n    __attribute__((__visibility__(\"default\")));\n",
		    rettype[n], rettype[n] ~ /\*$/ ? "" : " ", name[n],
		    protolist(n)) > hdr
	printf("\n#ifdef __cplusplus\n}\n#endif\n\n#endif /* _RUMP_RUMP_SYSCALLS_H_ */\n") > hdr

	printf("/* Generated by tools/makesyscalls.awk from syscalls.master. */\n\n") > args
	printf("#ifndef _SYS_SYSCALLARGS_H_\n#define _SYS_SYSCALLARGS_H_\n\n") > args
	printf("#include <sys/types.h>\n#include <sys/select.h>\n#include <sys/poll.h>\n\n") > args
	printf("struct lwp;\n") > args
	forwards(args)
	printf("\n#define SYS_NSYSENT %d\n\n", maxnum + 1) > args
	for (n = 1; n <= ncalls; n++) {
		printf("#define SYS_%s %d\n", name[n], number[n]) > args
		if (nargs[n] > 0) {
			printf("struct sys_%s_args {\n", name[n]) > args
			for (i = 1; i <= nargs[n]; i++)
				printf("\t%s%s%s;\n", argtype[n, i],
				    argtype[n, i] ~ /\*$/ ? "" : " ",
				    argname[n, i]) > args
			printf("};\n") > args
		} else {
			printf("struct sys_%s_args {\n\tchar unused;\n};\n", name[n]) > args
		}
		printf("int sys_%s(struct lwp *, const struct sys_%s_args *, register_t *);\n\n",
		    name[n], name[n]) > args
	}
	printf("#endif /* _SYS_SYSCALLARGS_H_ */\n") > args

	printf("/* Generated by tools/makesyscalls.awk from syscalls.master. */\n\n") > stubs
	printf("#include <sys/systm.h>\n#include <sys/syscall.h>\n#include \"syscallargs.h\"\n\n") > stubs
	printf("const struct syscall_meta syscall_meta[SYS_NSYSENT] = {\n") > stubs
	for (n = 1; n <= ncalls; n++)
		printf("\t[SYS_%s] = { \"%s\", \"%s\" },\n", name[n], name[n],
		    component[n]) > stubs
	printf("};\n") > stubs
	for (n = 1; n <= ncalls; n++)
		stub(stubs, n, "syscall_dispatch(SYS_" name[n] ", &a, &rv)", 0)

	for (c = 1; c <= ncomps; c++) {
		f = outdir "/sysent_" complist[c] ".c"
		printf("/* Generated by tools/makesyscalls.awk from syscalls.master. */\n\n") > f
		printf("#include <sys/systm.h>\n#include <sys/syscall.h>\n#include \"syscallargs.h\"\n\n") > f
		printf("const struct syscall_package syscalls_%s[] = {\n", complist[c]) > f
		for (n = 1; n <= ncalls; n++)
			if (component[n] == complist[c])
				printf("\t{ SYS_%s, (sy_call_t *)(void (*)(void))sys_%s },\n",
				    name[n], name[n]) > f
		printf("\t{ -1, NULL },\n};\n") > f
	}
}
