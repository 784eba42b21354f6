# Host unit tests: one program per pure-logic module, built with ASan and
# UBSan into build/unit/ and run by the unit-test target.
#
# Included by the top-level Makefile, or used alone from the repo root:
#   make -f tests/unit/unit.mk unit-test
# All paths are relative to the repo root. Apart from HOSTCC, every
# variable here starts with UNIT_ so it cannot clash with the includer's.
#
# Each program prints one "PASS unit/<case>: ..." or "FAIL unit/<case>: ..."
# line per case and exits 3 if a case failed. The runner runs every
# program even after a failure, adds a FAIL line for a program that dies
# without reporting (a sanitizer abort, a crash), prints a summary and
# fails at the end if anything failed.

HOSTCC ?= gcc
UNIT_NM ?= nm

# Keep the includer's default goal: rules here must not become it.
UNIT_SAVED_GOAL := $(.DEFAULT_GOAL)

UNIT_DIR := build/unit
UNIT_CFLAGS := -std=gnu11 -g -O1 -fsanitize=address,undefined \
	-fno-sanitize-recover=all -I. -Wall -Wextra -Werror -Wshadow \
	-Wpointer-arith -Wcast-qual
UNIT_TESTS := buddy timer_heap cmdline fmt ksyms xs_wire netif_check \
	blkif_check vfs chacha inflate cpio ext4_span ext4_err mount_parse \
	httpd_filemeta httpd_request
# test_ext4_disk needs the top Makefile's list of libext2fs sources.
UNIT_TESTS += $(if $(srcs-e2fs),ext4_disk)
UNIT_BINS := $(addprefix $(UNIT_DIR)/test_,$(UNIT_TESTS))
UNIT_HDR := tests/unit/check.h

.PHONY: unit-test
unit-test: $(UNIT_BINS)
	@unit_fail=0; \
	for t in $(UNIT_BINS); do \
		./$$t > $$t.log 2>&1; rc=$$?; cat $$t.log; \
		if [ $$rc -ne 0 ] && [ $$rc -ne 3 ]; then \
			echo "FAIL unit/$${t##*/}: exited with status $$rc"; \
			echo "FAIL unit/$${t##*/}: exited with status $$rc" \
				>> $$t.log; \
		fi; \
		[ $$rc -eq 0 ] || unit_fail=1; \
	done; \
	echo "unit: $$(cat $(addsuffix .log,$(UNIT_BINS)) | \
		grep -c '^PASS ') passed, $$(cat \
		$(addsuffix .log,$(UNIT_BINS)) | grep -c '^FAIL ') failed"; \
	exit $$unit_fail

$(UNIT_DIR)/test_buddy: tests/unit/test_buddy.c kernel/buddy.c \
		kernel/buddy.h $(UNIT_HDR)
	@mkdir -p $(@D)
	$(HOSTCC) $(UNIT_CFLAGS) -o $@ $(filter %.c,$^)

$(UNIT_DIR)/test_timer_heap: tests/unit/test_timer_heap.c \
		kernel/timer_heap.c kernel/timer_heap.h $(UNIT_HDR)
	@mkdir -p $(@D)
	$(HOSTCC) $(UNIT_CFLAGS) -o $@ $(filter %.c,$^)

$(UNIT_DIR)/test_cmdline: tests/unit/test_cmdline.c lib/cmdline.c \
		lib/cmdline.h $(UNIT_HDR)
	@mkdir -p $(@D)
	$(HOSTCC) $(UNIT_CFLAGS) -o $@ $(filter %.c,$^)

$(UNIT_DIR)/test_fmt: tests/unit/test_fmt.c kernel/fmt.c kernel/fmt.h \
		$(UNIT_HDR)
	@mkdir -p $(@D)
	$(HOSTCC) $(UNIT_CFLAGS) -o $@ $(filter %.c,$^)

$(UNIT_DIR)/test_httpd_filemeta: tests/unit/test_httpd_filemeta.c \
		apps/httpd/filemeta.c apps/httpd/filemeta.h $(UNIT_HDR)
	@mkdir -p $(@D)
	$(HOSTCC) $(UNIT_CFLAGS) -o $@ $(filter %.c,$^)

$(UNIT_DIR)/test_httpd_request: tests/unit/test_httpd_request.c \
		apps/httpd/request.c apps/httpd/httpd.h $(UNIT_HDR)
	@mkdir -p $(@D)
	$(HOSTCC) $(UNIT_CFLAGS) -o $@ $(filter %.c,$^)

# drivers/xs_wire.c includes Xen's public headers, with the interface
# version the kernel is built for.
UNIT_XEN_CFLAGS := -isystem $(or $(XEN_INCLUDE),build/deps/xen/include) \
	-D__XEN_INTERFACE_VERSION__=0x00040e00

$(UNIT_DIR)/test_xs_wire: tests/unit/test_xs_wire.c drivers/xs_wire.c \
		drivers/xs_wire.h $(UNIT_HDR)
	@mkdir -p $(@D)
	$(HOSTCC) $(UNIT_CFLAGS) $(UNIT_XEN_CFLAGS) -o $@ $(filter %.c,$^)

$(UNIT_DIR)/test_netif_check: tests/unit/test_netif_check.c \
		drivers/netif_check.c drivers/netif_check.h $(UNIT_HDR)
	@mkdir -p $(@D)
	$(HOSTCC) $(UNIT_CFLAGS) $(UNIT_XEN_CFLAGS) -o $@ $(filter %.c,$^)

UNIT_VFS_SRCS := lib/vfs.c lib/vfs_ops.c lib/vfs_path.c lib/ramfs.c
UNIT_VFS_HDRS := lib/vfs.h lib/vfs_priv.h lib/ramfs.h

$(UNIT_DIR)/test_vfs: tests/unit/test_vfs.c $(UNIT_VFS_SRCS) lib/devfs.c \
		$(UNIT_VFS_HDRS) lib/devfs.h lib/random.h \
		tests/unit/test_vfs_host.h $(UNIT_HDR)
	@mkdir -p $(@D)
	$(HOSTCC) $(UNIT_CFLAGS) -o $@ $(filter %.c,$^)

$(UNIT_DIR)/test_cpio: tests/unit/test_cpio.c lib/cpio.c lib/ramdisk.c \
		lib/inflate.c $(UNIT_VFS_SRCS) lib/cpio.h lib/ramdisk.h \
		lib/inflate.h $(UNIT_VFS_HDRS) tests/unit/test_vfs_host.h \
		$(UNIT_HDR)
	@mkdir -p $(@D)
	$(HOSTCC) $(UNIT_CFLAGS) -o $@ $(filter %.c,$^)

$(UNIT_DIR)/test_chacha: tests/unit/test_chacha.c lib/csprng.c lib/csprng.h \
		$(UNIT_HDR)
	@mkdir -p $(@D)
	$(HOSTCC) $(UNIT_CFLAGS) -o $@ $(filter %.c,$^)

$(UNIT_DIR)/test_inflate: tests/unit/test_inflate.c lib/inflate.c \
		lib/inflate.h $(UNIT_HDR)
	@mkdir -p $(@D)
	$(HOSTCC) $(UNIT_CFLAGS) -o $@ $(filter %.c,$^)

$(UNIT_DIR)/test_blkif_check: tests/unit/test_blkif_check.c \
		drivers/blkif_check.c drivers/blkif_check.h $(UNIT_HDR)
	@mkdir -p $(@D)
	$(HOSTCC) $(UNIT_CFLAGS) $(UNIT_XEN_CFLAGS) -o $@ $(filter %.c,$^)

# test_ksyms is linked twice like the kernel: pass 1 with an empty table,
# pass 2 with the table gen-ksyms makes from pass 1's symbols. -no-pie
# makes nm's addresses the run-time ones.
UNIT_KSYMS_OBJS := $(UNIT_DIR)/test_ksyms.o $(UNIT_DIR)/ksyms.o

$(UNIT_DIR)/test_ksyms.o: tests/unit/test_ksyms.c kernel/ksyms.h $(UNIT_HDR)
	@mkdir -p $(@D)
	$(HOSTCC) $(UNIT_CFLAGS) -c -o $@ $<

$(UNIT_DIR)/ksyms.o: kernel/ksyms.c kernel/ksyms.h
	@mkdir -p $(@D)
	$(HOSTCC) $(UNIT_CFLAGS) -c -o $@ $<

$(UNIT_DIR)/ksyms_empty.S: tools/gen-ksyms
	@mkdir -p $(@D)
	tools/gen-ksyms --empty -o $@

$(UNIT_DIR)/test_ksyms.pass1: $(UNIT_KSYMS_OBJS) $(UNIT_DIR)/ksyms_empty.S
	$(HOSTCC) $(UNIT_CFLAGS) -no-pie -o $@ $^

$(UNIT_DIR)/ksyms_table.S: $(UNIT_DIR)/test_ksyms.pass1 tools/gen-ksyms
	$(UNIT_NM) -n --defined-only $< > $@.nm
	tools/gen-ksyms -o $@ $@.nm

$(UNIT_DIR)/test_ksyms: $(UNIT_KSYMS_OBJS) $(UNIT_DIR)/ksyms_table.S
	$(HOSTCC) $(UNIT_CFLAGS) -no-pie -o $@ $^

# ext4 (lib/ext4*.c): the pure parts alone; test_ext4_disk runs the whole
# filesystem over libext2fs built for the host (without sanitizers: it is
# not our code) against images the host's mkfs.ext4 makes and its e2fsck
# judges. libext2fs's sources come from tools/deps e2fsprogs.
UNIT_E2FS := $(or $(E2FS),build/deps/e2fsprogs)
# What nothing calls goes (its references to the rest of e2fsprogs too).
UNIT_E2FS_INC := -isystem $(UNIT_E2FS)/lib -Wl,--gc-sections
UNIT_E2FS_OBJS := $(patsubst lib/ext2fs/%.c,$(UNIT_DIR)/e2fs/%.o,$(srcs-e2fs))

$(UNIT_DIR)/e2fs/%.o: $(UNIT_E2FS)/lib/ext2fs/%.c \
		| $(UNIT_E2FS)/lib/ext2fs/ext2_err.h
	@mkdir -p $(@D)
	$(HOSTCC) -std=gnu11 -O1 -g -w -ffunction-sections -fdata-sections \
		-I$(UNIT_E2FS)/lib -c -o $@ $<

$(UNIT_DIR)/test_ext4_span: tests/unit/test_ext4_span.c lib/ext4_span.c \
		lib/ext4_span.h $(UNIT_HDR)
	@mkdir -p $(@D)
	$(HOSTCC) $(UNIT_CFLAGS) -o $@ $(filter %.c,$^)

$(UNIT_DIR)/test_ext4_err: tests/unit/test_ext4_err.c lib/ext4_err.c \
		lib/ext4_err.h $(UNIT_DIR)/e2fs/ext2_err.o $(UNIT_HDR)
	@mkdir -p $(@D)
	$(HOSTCC) $(UNIT_CFLAGS) $(UNIT_E2FS_INC) -o $@ $(filter %.c %.o,$^)

$(UNIT_DIR)/test_mount_parse: tests/unit/test_mount_parse.c \
		lib/mount_parse.c lib/mount.h lib/cmdline.c lib/cmdline.h $(UNIT_HDR)
	@mkdir -p $(@D)
	$(HOSTCC) $(UNIT_CFLAGS) -o $@ $(filter %.c,$^)

UNIT_EXT4_SRCS := lib/ext4.c lib/ext4_dir.c lib/ext4_readdir.c \
	lib/ext4_file.c lib/ext4_io.c lib/ext4_span.c lib/ext4_err.c \
	lib/ext4_com_err.c
$(UNIT_DIR)/test_ext4_disk: tests/unit/test_ext4_disk.c $(UNIT_EXT4_SRCS) \
		$(UNIT_VFS_SRCS) $(wildcard lib/ext4*.h) $(UNIT_VFS_HDRS) \
		tests/unit/test_vfs_host.h $(UNIT_E2FS_OBJS) $(UNIT_HDR)
	@mkdir -p $(@D)
	$(HOSTCC) $(UNIT_CFLAGS) $(UNIT_E2FS_INC) -o $@ $(filter %.c %.o,$^)

.DEFAULT_GOAL := $(UNIT_SAVED_GOAL)
