# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The rump on Linux developers.
#
# rump_component(NAME SOURCES ... [REQUIRES lib ...] [DESCRIPTION text]
#                [ANCHOR name] [NOINSTALL])
#
# Builds a kernel library the way every kernel library is built:
# - its sources compiled in the kernel namespace: freestanding, no host
#   headers (-nostdinc), -D_KERNEL, only sys/ and the generated headers;
# - linked into one object whose kernel names are moved to rumpns_
#   (tools/rumpns.sh);
# - shipped as lib${NAME}.so (linked with -nostdlib: nothing of libc) and
#   lib${NAME}.a, with a pkg-config file ${NAME}.pc that names the
#   component's anchor (-Wl,-u,rump_component_<anchor>) and its REQUIRES.
# NOINSTALL builds it for the tests only: nothing of it is installed.

execute_process(COMMAND ${CMAKE_C_COMPILER} -print-file-name=include
	OUTPUT_VARIABLE RUMP_CC_INCLUDE OUTPUT_STRIP_TRAILING_WHITESPACE)

set(RUMP_KERNEL_CFLAGS
	-D_KERNEL -ffreestanding -nostdinc -isystem ${RUMP_CC_INCLUDE}
	-fno-stack-protector -fno-common -fPIC -fno-strict-aliasing
	-fno-semantic-interposition
	-Wmissing-prototypes -Wstrict-prototypes -Wshadow)
if(NOT RUMP_SANITIZE)
	# Keep DIAGNOSTIC assertions on in every build: they are cheap.
	list(APPEND RUMP_KERNEL_CFLAGS -O2)
endif()

set(RUMP_KERNEL_INCLUDES
	${RUMP_SOURCE_DIR}/sys
	${RUMP_SOURCE_DIR}/sys/rump/include
	${RUMP_GEN_DIR})

set(RUMP_KERNEL_LIBS "" CACHE INTERNAL "kernel libraries, for the wall check")

function(rump_component name)
	cmake_parse_arguments(RC "NOINSTALL" "DESCRIPTION;ANCHOR" "SOURCES;REQUIRES" ${ARGN})
	add_library(${name}_objs OBJECT ${RC_SOURCES})
	target_compile_options(${name}_objs PRIVATE ${RUMP_KERNEL_CFLAGS})
	target_include_directories(${name}_objs PRIVATE
		${RUMP_KERNEL_INCLUDES} ${CMAKE_CURRENT_SOURCE_DIR})
	add_dependencies(${name}_objs rump_generated)

	set(ns ${CMAKE_CURRENT_BINARY_DIR}/${name}.ns.o)
	add_custom_command(OUTPUT ${ns}
		COMMAND ${CMAKE_COMMAND} -E env LD=${CMAKE_LINKER}
			NM=${CMAKE_NM} OBJCOPY=${CMAKE_OBJCOPY}
			sh ${RUMP_SOURCE_DIR}/tools/rumpns.sh ${ns}
			$<TARGET_OBJECTS:${name}_objs>
		DEPENDS ${name}_objs $<TARGET_OBJECTS:${name}_objs>
			${RUMP_SOURCE_DIR}/tools/rumpns.sh
		COMMAND_EXPAND_LISTS
		COMMENT "Namespacing ${name}")
	set_source_files_properties(${ns} PROPERTIES EXTERNAL_OBJECT TRUE GENERATED TRUE)
	# One target owns the command, so the shared and static libraries
	# never run it twice at once.
	add_custom_target(${name}_ns DEPENDS ${ns})

	add_library(${name} SHARED ${ns})
	add_dependencies(${name} ${name}_ns)
	# $ORIGIN: the libraries find each other (librumpuser too) wherever
	# they are installed, even when the client links with --as-needed.
	set_target_properties(${name} PROPERTIES LINKER_LANGUAGE C
		VERSION ${PROJECT_VERSION} SOVERSION 0
		INSTALL_RPATH "\$ORIGIN")
	# -Bsymbolic: calls inside a library never go through the PLT.
	target_link_options(${name} PRIVATE -nostdlib -Wl,-Bsymbolic)
	target_link_libraries(${name} PUBLIC ${RC_REQUIRES} rumpuser PRIVATE gcc)
	target_include_directories(${name} INTERFACE
		${RUMP_SOURCE_DIR}/sys/rump/include ${RUMP_GEN_DIR})

	add_library(${name}_static STATIC ${ns})
	add_dependencies(${name}_static ${name}_ns)
	set_target_properties(${name}_static PROPERTIES OUTPUT_NAME ${name}
		LINKER_LANGUAGE C)
	target_include_directories(${name}_static INTERFACE
		${RUMP_SOURCE_DIR}/sys/rump/include ${RUMP_GEN_DIR})

	if(NOT RC_ANCHOR)
		string(REGEX REPLACE "^rump(fs_|net_|dev_)?" "" RC_ANCHOR ${name})
	endif()
	set(PC_NAME ${name})
	set(PC_DESCRIPTION "${RC_DESCRIPTION}")
	set(PC_ANCHOR ${RC_ANCHOR})
	string(REPLACE ";" " " PC_REQUIRES "${RC_REQUIRES}")
	list(REMOVE_ITEM RC_REQUIRES rumpuser)
	string(REPLACE ";" ", " PC_REQUIRES "${RC_REQUIRES}")
	set(PC_EXTRA_LIBS "")
	if(NOT RC_REQUIRES)
		set(PC_EXTRA_LIBS "-lrumpuser -lpthread")
	endif()
	configure_file(${RUMP_SOURCE_DIR}/cmake/component.pc.in
		${CMAKE_BINARY_DIR}/pkgconfig/${name}.pc @ONLY)
	if(RC_NOINSTALL)
		# Test scaffolding: kept apart from the libraries that ship.
		set_target_properties(${name} ${name}_static PROPERTIES
			LIBRARY_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests/lib
			ARCHIVE_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests/lib)
	else()
		install(TARGETS ${name} ${name}_static
			LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
			ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
		install(FILES ${CMAKE_BINARY_DIR}/pkgconfig/${name}.pc
			DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
	endif()
	set(RUMP_KERNEL_LIBS ${RUMP_KERNEL_LIBS} ${name} CACHE INTERNAL "")
endfunction()

# rump_hypercalls(COMPONENT HOSTNAME SOURCES ...)
#
# The host side of a component's own hypercalls (rumpcomp_HOSTNAME_*,
# e.g. the tap device of virtif): ordinary host code, built as
# librumpcomp_HOSTNAME (shared and static, visibility hidden but for the
# hypercalls), linked to the kernel library COMPONENT and named in its
# pkg-config Libs, so that the kernel library itself stays behind the
# hypercall wall.  Call it after rump_component(COMPONENT ...).
function(rump_hypercalls component hostname)
	cmake_parse_arguments(RH "" "" "SOURCES" ${ARGN})
	set(t rumpcomp_${hostname})
	add_library(${t} SHARED ${RH_SOURCES})
	add_library(${t}_static STATIC ${RH_SOURCES})
	foreach(l ${t} ${t}_static)
		target_compile_options(${l} PRIVATE -fPIC -fvisibility=hidden)
	endforeach()
	set_target_properties(${t} PROPERTIES VERSION ${PROJECT_VERSION}
		SOVERSION 0)
	set_target_properties(${t}_static PROPERTIES OUTPUT_NAME ${t})
	install(TARGETS ${t} ${t}_static
		LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
		ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
	target_link_libraries(${component} PUBLIC ${t})
	target_link_libraries(${component}_static INTERFACE ${t}_static)
	# A static link needs the host side too: name it in the .pc file.
	set(pc ${CMAKE_BINARY_DIR}/pkgconfig/${component}.pc)
	file(READ ${pc} text)
	string(REPLACE "-l${component} -Wl,--pop-state"
		"-l${component} -Wl,--pop-state -l${t}" text "${text}")
	file(WRITE ${pc} "${text}")
endfunction()
