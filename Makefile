# Skiff: one Makefile for the kernel, its libraries, apps and tests.
#
#   make                 build build/$(APP)/$(APP).xen (APP=hello by default)
#   make APP=<name>      any app in apps/<name>/ or boot test in tests/boot/<name>/
#   make run             install what is missing, build the httpd appliance,
#                        run it in the host lab, serve http://localhost:8080/
#   make test            install what is missing, run every test
#   make debug APP=x     boot paused under QEMU's gdbstub and attach GDB
#   make bench-boot      boot-cost measurements (printed, never a test)
#   make bench-net       network benchmarks against a Linux guest (printed)
#   make bench-blk       block benchmarks against a Linux guest (printed)
#   make V=1             show full commands
#
# Dependencies (Xen headers, newlib, Xen, QEMU) come from Debian packages
# fetched and built by tools/deps into build/deps, pinned in tools/pins.mk.

include tools/pins.mk

APP ?= hello
LOG_LEVEL ?= info
BUILD ?= build
HOSTCC ?= gcc
CC := gcc
DEPS := build/deps
XEN_INCLUDE ?= $(DEPS)/xen/include
NEWLIB ?= $(DEPS)/newlib/x86_64-elf
LWIP ?= $(DEPS)/lwip/src
E2FS ?= $(DEPS)/e2fsprogs

ifeq ($(V),1)
Q :=
msg = @true
else
Q := @
msg = @printf '  %-7s %s\n' $(1) $(2)
endif

# --- sources --------------------------------------------------------------
# Written out by hand, per layer (STYLE.md section 9).
srcs-arch := \
	arch/x86_64/entry.S \
	arch/x86_64/traps_entry.S \
	arch/x86_64/switch.S \
	arch/x86_64/setup.c \
	arch/x86_64/traps.c \
	arch/x86_64/irq.c \
	arch/x86_64/mm.c \
	arch/x86_64/pvclock.c

srcs-kernel := \
	kernel/main.c \
	kernel/string.c \
	kernel/fmt.c \
	kernel/console.c \
	kernel/log.c \
	kernel/panic.c \
	kernel/shutdown.c \
	kernel/backtrace.c \
	kernel/fault.c \
	kernel/xen_errno.c \
	kernel/ksyms.c \
	kernel/ksyms_builtin.c \
	kernel/buddy.c \
	kernel/page_alloc.c \
	kernel/heap.c \
	kernel/evtchn.c \
	kernel/gnttab.c \
	kernel/timer_heap.c \
	kernel/timer.c \
	kernel/sched.c \
	kernel/sync.c \
	kernel/critical.c \
	kernel/report.c \
	kernel/entropy.c

srcs-drivers := \
	drivers/xs_wire.c \
	drivers/xenstore.c \
	drivers/control.c \
	drivers/xenbus.c \
	drivers/xenshare.c \
	drivers/xenring.c \
	drivers/netif_check.c \
	drivers/netfront.c \
	drivers/netfront_data.c \
	drivers/blkif_check.c \
	drivers/blkdev.c \
	drivers/blkfront.c \
	drivers/blkfront_data.c \
	drivers/drivers.c

srcs-lib := \
	lib/cmdline.c \
	lib/start.c \
	lib/syscalls.c \
	lib/fd.c \
	lib/vfs.c \
	lib/vfs_ops.c \
	lib/vfs_path.c \
	lib/vfs_lock.c \
	lib/ramfs.c \
	lib/devfs.c \
	lib/csprng.c \
	lib/random.c \
	lib/inflate.c \
	lib/cpio.c \
	lib/ramdisk.c \
	lib/file.c \
	lib/file_path.c \
	lib/file_dir.c \
	lib/file_at.c \
	lib/file_init.c \
	lib/socket.c \
	lib/net.c \
	lib/net_options.c \
	lib/lwip/sys_arch.c \
	lib/lwip/netif_xen.c

# lwIP 2.1 with NO_SYS=0 (lib/lwip/lwipopts.h), from $(LWIP). The IPv6
# files compile to nothing while LWIP_IPV6 is 0.
srcs-lwip := \
	core/init.c core/def.c core/dns.c core/inet_chksum.c core/ip.c \
	core/mem.c core/memp.c core/netif.c core/pbuf.c core/raw.c \
	core/stats.c core/sys.c core/tcp.c core/tcp_in.c core/tcp_out.c \
	core/timeouts.c core/udp.c \
	core/ipv4/dhcp.c core/ipv4/etharp.c core/ipv4/icmp.c \
	core/ipv4/ip4.c core/ipv4/ip4_addr.c core/ipv4/ip4_frag.c \
	core/ipv6/ethip6.c core/ipv6/icmp6.c core/ipv6/inet6.c \
	core/ipv6/ip6.c core/ipv6/ip6_addr.c core/ipv6/ip6_frag.c \
	core/ipv6/mld6.c core/ipv6/nd6.c \
	api/api_lib.c api/api_msg.c api/err.c api/if_api.c api/netbuf.c \
	api/netdb.c api/netifapi.c api/sockets.c api/tcpip.c \
	netif/ethernet.c

# ext4 on block devices: the filesystem over libext2fs, the memory disk
# and the mount= option, about 270 KB of image. EXT4=0 leaves them out
# (mount= is then an unknown option); objects are shared between builds,
# so switch with `make clean` or a separate BUILD= folder.
EXT4 ?= 1
srcs-ext4 := lib/memdisk.c lib/mount.c lib/mount_parse.c lib/ext4.c \
	lib/ext4_dir.c lib/ext4_readdir.c lib/ext4_file.c lib/ext4_io.c \
	lib/ext4_span.c lib/ext4_err.c lib/ext4_com_err.c
ifeq ($(EXT4),1)
srcs-lib += $(srcs-ext4)
endif

# libext2fs 1.47 from $(E2FS)/lib/ext2fs, for lib/ext4*.c: the library
# without its OS-specific I/O managers and device probes (unix_io.c,
# getsize.c, ismounted.c, ...): lib/ext4_io.c is its I/O manager.
srcs-e2fs := $(addprefix lib/ext2fs/, \
	alloc.c alloc_sb.c alloc_stats.c alloc_tables.c badblocks.c \
	bb_inode.c bitmaps.c bitops.c blkmap64_ba.c blkmap64_rb.c blknum.c \
	block.c bmap.c check_desc.c closefs.c crc16.c crc32c.c csum.c \
	dblist.c dblist_dir.c dirblock.c dirhash.c dir_iterate.c \
	expanddir.c ext_attr.c extent.c fallocate.c fileio.c freefs.c \
	gen_bitmap.c gen_bitmap64.c get_num_dirs.c get_pathname.c \
	hashmap.c i_block.c icount.c ind_block.c initialize.c inline.c \
	inline_data.c inode.c io_manager.c link.c lookup.c mkdir.c \
	mkjournal.c mmp.c namei.c native.c newdir.c nls_utf8.c openfs.c \
	orphan.c punch.c read_bb.c res_gdt.c rw_bitmaps.c sha512.c \
	swapfs.c symlink.c unlink.c valid_blk.c version.c rbtree.c \
	ext2_err.c)

APP_DIR := $(firstword $(wildcard apps/$(APP) tests/boot/$(APP) \
	tests/lab/$(APP)))
ifeq ($(APP_DIR),)
ifeq ($(filter help clean format format-check unit-test test,$(MAKECMDGOALS)),)
$(error no app '$(APP)' in apps/ or tests/boot/)
endif
endif
srcs-app := $(sort $(wildcard $(APP_DIR)/*.c))

# --- flags ----------------------------------------------------------------
LOG_LEVEL_err := 0
LOG_LEVEL_warn := 1
LOG_LEVEL_info := 2
LOG_LEVEL_debug := 3
LOG_LEVEL_NUM := $(or $(LOG_LEVEL_$(LOG_LEVEL)),$(error LOG_LEVEL must be err, warn, info or debug))

# -mno-red-zone: Xen writes exception and event frames right below %rsp.
# -fsplit-stack: every prologue checks the stack limit (arch/x86_64/cpu.h),
# so an overflow is reported instead of killing the domain in Xen.
# -fno-omit-frame-pointer: crash reports walk the %rbp chain.
WARN := -Wall -Wextra -Werror -Wshadow -Wpointer-arith -Wcast-qual \
	-Wmissing-prototypes -Wstrict-prototypes -Wvla
BASE_CFLAGS := -std=gnu11 -O2 -g -fno-pie -mno-red-zone -fno-stack-protector \
	-fno-omit-frame-pointer -fno-asynchronous-unwind-tables -fsplit-stack \
	-ffunction-sections -fdata-sections $(WARN) \
	-I. -isystem $(NEWLIB)/include -MMD -MP
# The kernel never touches SSE, so events and exceptions need not save it.
KERNEL_CFLAGS := $(BASE_CFLAGS) -ffreestanding -mgeneral-regs-only \
	-isystem $(XEN_INCLUDE) -D__XEN_INTERFACE_VERSION__=0x00040e00 \
	-DLOG_LEVEL=$(LOG_LEVEL_NUM)
# newlib only declares clock_gettime() and CLOCK_MONOTONIC for targets
# that announce POSIX timers; ours has them (lib/syscalls.c).
# FD_SETSIZE: newlib's 64 would cap a server at 64 sockets; ours is the
# size of the fd table (lib/fd.h), the same for lwIP, lib and apps.
POSIX_DEFS := -D_POSIX_TIMERS=1 -D_POSIX_MONOTONIC_CLOCK=200112L \
	-DFD_SETSIZE=1024
# lwIP's headers: our port (lwipopts.h, arch/) first, then lwIP's own.
# include/ has the POSIX socket headers built on them.
LWIP_INCLUDES := -Iinclude -Ilib/lwip -isystem $(LWIP)/include
LIB_CFLAGS := $(BASE_CFLAGS) $(POSIX_DEFS) -ffreestanding -mgeneral-regs-only \
	$(LWIP_INCLUDES)
APP_CFLAGS := $(BASE_CFLAGS) $(POSIX_DEFS) $(LWIP_INCLUDES)
# lwIP itself: our code generation (it runs on our thread stacks, with the
# split-stack check), lwIP's warning level, no -ffreestanding (memcpy and
# friends stay builtins). SSE is fine: lwIP only runs in threads, which
# save it on every switch.
LWIP_CFLAGS := -std=gnu11 -O2 -g -fno-pie -mno-red-zone -fno-stack-protector \
	-fno-omit-frame-pointer -fno-asynchronous-unwind-tables -fsplit-stack \
	-ffunction-sections -fdata-sections -Wall -Wextra -Werror \
	-Ilib/lwip -isystem $(LWIP)/include -isystem $(NEWLIB)/include -MMD -MP \
	-DFD_SETSIZE=1024
# libext2fs: the same code generation as lwIP (it runs in threads, on
# their split stacks), our POSIX headers, its own generated config
# (tools/deps). Its warnings are shown, not fatal: it is not our code.
E2FS_INCLUDES := -I$(E2FS)/lib -I$(E2FS)/skiff-include
E2FS_CFLAGS := -std=gnu11 -O2 -g -fno-pie -mno-red-zone -fno-stack-protector \
	-fno-omit-frame-pointer -fno-asynchronous-unwind-tables -fsplit-stack \
	-ffunction-sections -fdata-sections -Wall -Wextra \
	-Wno-unused-parameter -Wno-char-subscripts $(POSIX_DEFS) \
	$(LWIP_INCLUDES) $(E2FS_INCLUDES) -isystem $(NEWLIB)/include -MMD -MP
LIB_CFLAGS += -isystem $(E2FS)/lib -DCONFIG_EXT4=$(EXT4)
# Tests may look inside the kernel and drivers, whose headers use Xen's.
ifneq ($(filter tests/%,$(APP_DIR)),)
APP_CFLAGS += -isystem $(XEN_INCLUDE) -D__XEN_INTERFACE_VERSION__=0x00040e00
endif
ASFLAGS := -Wa,--noexecstack -D__ASSEMBLY__ -I. -isystem $(XEN_INCLUDE) \
	-D__XEN_INTERFACE_VERSION__=0x00040e00 -MMD -MP

LIBGCC := $(shell $(CC) -print-libgcc-file-name)
LDLIBS = $(LWIP_LIB) $(if $(filter 1,$(EXT4)),$(E2FS_LIB)) $(NEWLIB)/lib/libc.a $(NEWLIB)/lib/libm.a $(LIBGCC)
LDFLAGS := -nostdlib -static -no-pie -Wl,-T,linker.ld -Wl,--gc-sections \
	-Wl,-z,max-page-size=4096 -Wl,--build-id=none -Wl,-z,noexecstack

# --- objects ----------------------------------------------------------------
OBJ := $(BUILD)/obj
APP_OUT := $(BUILD)/$(APP)
obj = $(patsubst %,$(2)/%.o,$(basename $(1)))
objs-kernel := $(call obj,$(srcs-arch) $(srcs-kernel) $(srcs-drivers) \
	$(srcs-lib),$(OBJ))
objs-app := $(call obj,$(srcs-app),$(APP_OUT)/obj) $(APP_OUT)/obj/app_name.o
objs-lwip := $(call obj,$(srcs-lwip),$(OBJ)/lwip)
LWIP_LIB := $(OBJ)/lwip/liblwip.a
objs-e2fs := $(call obj,$(srcs-e2fs),$(OBJ)/e2fsprogs)
E2FS_LIB := $(OBJ)/e2fsprogs/libext2fs.a

DEP_HEADERS := $(XEN_INCLUDE)/xen/xen.h $(NEWLIB)/include/stdio.h \
	$(LWIP)/include/lwip/init.h $(E2FS)/lib/ext2fs/ext2_err.h

.PHONY: all
all: $(APP_OUT)/$(APP).xen

$(XEN_INCLUDE)/xen/xen.h: tools/pins.mk tools/deps
	$(Q)tools/deps xen
	$(Q)touch $@
$(NEWLIB)/include/stdio.h: tools/pins.mk tools/deps
	$(Q)tools/deps newlib
	$(Q)touch $@ $(NEWLIB)/lib/libc.a $(NEWLIB)/lib/libm.a
$(NEWLIB)/lib/libc.a $(NEWLIB)/lib/libm.a: $(NEWLIB)/include/stdio.h
$(LWIP)/include/lwip/init.h: tools/pins.mk tools/deps
	$(Q)tools/deps lwip
	$(Q)touch $@
$(E2FS)/lib/ext2fs/ext2_err.h: tools/pins.mk tools/deps
	$(Q)tools/deps e2fsprogs
	$(Q)touch $@

$(OBJ)/arch/%.o: arch/%.c | $(DEP_HEADERS)
	$(call msg,CC,$<)
	@mkdir -p $(@D)
	$(Q)$(CC) $(KERNEL_CFLAGS) -c $< -o $@
$(OBJ)/arch/%.o: arch/%.S | $(DEP_HEADERS)
	$(call msg,AS,$<)
	@mkdir -p $(@D)
	$(Q)$(CC) $(ASFLAGS) -c $< -o $@
$(OBJ)/kernel/%.o: kernel/%.c | $(DEP_HEADERS)
	$(call msg,CC,$<)
	@mkdir -p $(@D)
	$(Q)$(CC) $(KERNEL_CFLAGS) -c $< -o $@
$(OBJ)/drivers/%.o: drivers/%.c | $(DEP_HEADERS)
	$(call msg,CC,$<)
	@mkdir -p $(@D)
	$(Q)$(CC) $(KERNEL_CFLAGS) -c $< -o $@
$(OBJ)/lib/%.o: lib/%.c | $(DEP_HEADERS)
	$(call msg,CC,$<)
	@mkdir -p $(@D)
	$(Q)$(CC) $(LIB_CFLAGS) -c $< -o $@
$(OBJ)/lwip/%.o: $(LWIP)/%.c | $(DEP_HEADERS)
	$(call msg,CC,$<)
	@mkdir -p $(@D)
	$(Q)$(CC) $(LWIP_CFLAGS) -c $< -o $@
# Our port headers reach lwIP's sources through its own (-isystem) headers,
# so the generated dependency files miss them: say it here.
LWIP_PORT_HEADERS := lib/lwip/lwipopts.h lib/lwip/arch/cc.h \
	lib/lwip/arch/sys_arch.h
$(objs-lwip) $(OBJ)/lib/lwip/sys_arch.o $(OBJ)/lib/lwip/netif_xen.o \
	$(OBJ)/lib/net.o $(OBJ)/lib/socket.o: $(LWIP_PORT_HEADERS)

$(LWIP_LIB): $(objs-lwip)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^
$(OBJ)/e2fsprogs/%.o: $(E2FS)/%.c | $(DEP_HEADERS)
	$(call msg,CC,$<)
	@mkdir -p $(@D)
	$(Q)$(CC) $(E2FS_CFLAGS) -c $< -o $@
$(E2FS_LIB): $(objs-e2fs)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^
$(APP_OUT)/obj/%.o: %.c | $(DEP_HEADERS)
	$(call msg,CC,$<)
	@mkdir -p $(@D)
	$(Q)$(CC) $(APP_CFLAGS) -c $< -o $@

# argv[0] of the application (kernel/main.h).
$(APP_OUT)/obj/app_name.c:
	@mkdir -p $(@D)
	$(Q)printf 'char skiff_app_name[] = "%s";\n' $(APP) > $@
$(APP_OUT)/obj/app_name.o: $(APP_OUT)/obj/app_name.c
	$(Q)$(CC) $(APP_CFLAGS) -c $< -o $@

# --- link: twice, so the image carries its own symbol table --------------
# Pass 1 links with an empty .ksyms; its text symbols become the table that
# pass 2 links in. .ksyms sits after text and data (linker.ld), so no text
# address moves between the passes, which the cmp below makes sure of.
$(BUILD)/ksyms-empty.o: tools/gen-ksyms
	@mkdir -p $(@D)
	$(Q)tools/gen-ksyms --empty > $(BUILD)/ksyms-empty.S
	$(Q)$(CC) -c $(BUILD)/ksyms-empty.S -o $@

LINK_INPUTS := $(objs-kernel) $(objs-app) linker.ld $(LDLIBS)

$(APP_OUT)/$(APP).elf: $(LINK_INPUTS) $(BUILD)/ksyms-empty.o tools/gen-ksyms
	$(call msg,LD,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(LDFLAGS) -o $@.pass1 $(objs-kernel) $(objs-app) \
		$(BUILD)/ksyms-empty.o -Wl,--start-group $(LDLIBS) -Wl,--end-group
	$(Q)nm -n --defined-only $@.pass1 | tools/gen-ksyms > $(APP_OUT)/ksyms.S
	$(Q)$(CC) -c $(APP_OUT)/ksyms.S -o $(APP_OUT)/ksyms.o
	$(Q)$(CC) $(LDFLAGS) -o $@ $(objs-kernel) $(objs-app) \
		$(APP_OUT)/ksyms.o -Wl,--start-group $(LDLIBS) -Wl,--end-group
	$(Q)nm -n --defined-only $@.pass1 | grep -i ' [tw] ' > $@.syms1
	$(Q)nm -n --defined-only $@ | grep -i ' [tw] ' > $@.syms2
	$(Q)cmp -s $@.syms1 $@.syms2 || \
		{ echo "ksyms: text moved between link passes" >&2; exit 1; }
	$(Q)rm -f $@.pass1 $@.syms1 $@.syms2

# The bootable image: stripped of debug info and the ELF symbol table (the
# .ksyms table stays: it is loaded). The .elf next to it is for GDB.
$(APP_OUT)/$(APP).xen: $(APP_OUT)/$(APP).elf
	$(call msg,STRIP,$@)
	$(Q)strip --strip-all -o $@ $<

# --- lab, tests, tools ----------------------------------------------------
# Linux programs the host-lab tests run in dom0, built static for it.
LAB_TOOLS := $(BUILD)/lab-tools/netcheck
.PHONY: lab-tools
lab-tools: $(LAB_TOOLS)
$(BUILD)/lab-tools/%: tests/lab/%.c
	$(call msg,HOSTCC,$<)
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) -O2 -static -Wall -Wextra -Werror -o $@ $<

include tests/unit/unit.mk

.PHONY: deps run run-dom0 test boot-test debug bench-boot bench-net bench-blk \
	check-configs clean \
	format format-check

deps:
	$(Q)tools/deps all

# make run: the httpd appliance in the host lab, reachable from this
# machine (tools/appliance prints the URL); make run APP=<app> for another.
# make run-dom0 boots $(APP) alone in the boot lab (no network).
RUN_APP := $(if $(filter command line,$(origin APP)),$(APP),httpd)
run: deps
	$(Q)tools/appliance $(RUN_APP)

run-dom0: deps all
	$(Q)tools/bootlab $(APP_OUT)/$(APP).xen

test: deps
	$(Q)tests/run

boot-test: deps
	$(Q)tests/run --boot-only

debug: deps all
	$(Q)tools/debug $(APP_OUT)/$(APP).elf

bench-boot: deps
	$(Q)tests/bench-boot

# Network microbenchmarks, Skiff against a Linux PV guest side by side in
# one host-lab run: a table with ratios, build/bench/net.{csv,png}.
bench-net: deps
	$(Q)tests/bench-net

# Block benchmarks, Skiff against a Linux PV guest (Debian's fio) on the
# same blkback disk in one host-lab run: a table with ratios,
# build/bench/blk.{csv,png}.
bench-blk: deps
	$(Q)tests/bench-blk

# Every supported combination of make variables builds, so an option that
# is off cannot silently stop compiling (each in its own build folder).
CONFIG_LOG_LEVELS := err warn info debug
check-configs: deps
	$(Q)for level in $(CONFIG_LOG_LEVELS); do \
		echo "  CONFIG  LOG_LEVEL=$$level"; \
		$(MAKE) --no-print-directory BUILD=build/config-$$level \
			LOG_LEVEL=$$level all || exit 1; \
	done
	@echo "  CONFIG  EXT4=0"
	$(Q)$(MAKE) --no-print-directory BUILD=build/config-noext4 EXT4=0 all

FORMAT_SRCS = $(shell git ls-files '*.c' '*.h')
format:
	$(Q)clang-format -i $(FORMAT_SRCS)
format-check:
	$(Q)tools/deps --setup-only
	$(Q)clang-format --dry-run --Werror $(FORMAT_SRCS)

clean:
	rm -rf $(OBJ) $(BUILD)/unit $(BUILD)/ksyms-empty.* \
		$(filter-out $(DEPS),$(wildcard $(BUILD)/*))

-include $(shell find $(OBJ) $(APP_OUT)/obj -name '*.d' -type f 2>/dev/null)
