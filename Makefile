# Pool Monitor: `make run` and `make check` do all the set-up on a fresh Debian 12 machine.

BUILDDIR ?= build
MESON_OPTS ?=

# Debian 12 packages: the build, the tests (Xvfb for the window's), the data validators.
DEB_PACKAGES = gcc libc6-dev meson ninja-build pkg-config \
	libglib2.0-dev libgtk-4-dev libadwaita-1-dev libjson-glib-dev libgtop2-dev \
	xvfb xauth dbus desktop-file-utils appstream librsvg2-bin libxml2-utils valgrind \
	parallel gettext at-spi2-core man-db groff-base bash-completion shared-mime-info strace \
	openssh-server openssh-client rsync \
	dpkg-dev debhelper fakeroot lintian libglib2.0-bin

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps build run check bench clean

all: build

deps:
	@missing=""; \
	for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  $(SUDO) apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends $$missing; \
	fi

$(BUILDDIR)/build.ninja:
	meson setup $(BUILDDIR) $(MESON_OPTS)

build: deps $(BUILDDIR)/build.ninja
	ninja -C $(BUILDDIR)

# The window where there is a display; otherwise pool-run's live terminal view of the demo.
# Both run from the build tree use its helpers, schema and translations (pm_build_dir ()).
run: build
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ] && [ -x $(BUILDDIR)/src/app/pool-monitor ]; then \
	  exec $(BUILDDIR)/src/app/pool-monitor; \
	else \
	  exec $(BUILDDIR)/src/cli/pool-run; \
	fi

check: build
	meson test -C $(BUILDDIR) --print-errorlogs --no-suite gtk
	@if meson test -C $(BUILDDIR) --list --suite gtk --no-rebuild >/dev/null 2>&1; then \
	  xvfb-run -a -s "-screen 0 1600x1000x24" dbus-run-session -- \
	    env GSK_RENDERER=cairo GDK_BACKEND=x11 GSETTINGS_BACKEND=memory \
	    meson test -C $(BUILDDIR) --print-errorlogs --suite gtk; \
	fi

bench: build
	BUILD=$(BUILDDIR) bench/run.sh

clean:
	rm -rf $(BUILDDIR)
