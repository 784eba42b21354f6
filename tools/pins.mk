# Pinned upstream versions of everything Skiff takes from Debian's registry.
# This file is the one place they are named: the Makefile includes it and
# tools/deps reads it. Debian may replace a package with a newer *revision*
# of the same upstream version (security updates); tools/deps accepts that
# and records the exact package version in build/deps/versions.txt. If the
# upstream part changes, tools/deps stops with an error: bump the pin here
# on purpose, and re-run the tests.
XEN_UPSTREAM := 4.17.7+13-g2445b30a44
NEWLIB_UPSTREAM := 3.3.0
QEMU_UPSTREAM := 7.2
# linux-image-amd64: the host lab's dom0 kernel (tools/lab-dom0/build-initramfs).
LINUX_DOM0_UPSTREAM := 6.1.192
# lwIP (the lwip source package; compiled by the Makefile, see tools/deps).
LWIP_UPSTREAM := 2.1.3
# libext2fs (the e2fsprogs source package; compiled by the Makefile, see
# tools/deps). The upstream version bookworm has.
E2FSPROGS_UPSTREAM := 1.47.0
