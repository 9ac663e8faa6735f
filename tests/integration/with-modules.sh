#!/bin/sh
# with-modules.sh BUILDDIR COMMAND [ARGS...]
#
# Run COMMAND with Dovecot seeing the modules built in BUILDDIR, without
# installing anything into the live module directory (Dovecot's, as
# configure found it in dovecot-config):
#   1. "make install DESTDIR=BUILDDIR/stage" stages our modules;
#   2. BUILDDIR/moduledir gets a copy of Dovecot's own modules with ours
#      laid over them;
#   3. COMMAND runs in a private mount namespace in which that copy is
#      bind-mounted over Dovecot's module directory. Every Dovecot,
#      doveadm and auth process COMMAND starts inherits the namespace;
#      the rest of the machine never sees the bind mount.
# Needs root (unshare -m).
set -eu
if [ $# -lt 2 ]; then
	echo "usage: with-modules.sh BUILDDIR COMMAND [ARGS...]" >&2
	exit 64
fi
build=$(cd "$1" && pwd)
shift
live=$(sed -n 's/^dovecot_installed_moduledir = //p' "$build/Makefile")
if [ -z "$live" ] || [ ! -d "$live" ]; then
	echo "with-modules.sh: Dovecot's module directory not found ($live)" >&2
	exit 1
fi
stage=$build/stage
private=$build/moduledir
rm -rf "$stage" "$private"
make -C "$build" install DESTDIR="$stage" > "$build/stage.log" 2>&1 || {
	cat "$build/stage.log" >&2
	exit 1
}
cp -a "$live/." "$private/"
# our modules are staged under DESTDIR + the configured moduledir
staged=$stage$(sed -n 's/^moduledir = //p' "$build/Makefile")
if [ ! -d "$staged/auth" ]; then
	echo "with-modules.sh: nothing staged under $staged" >&2
	exit 1
fi
cp -a "$staged/." "$private/"
find "$private" -name '*.la' -delete
# Dovecot's unprivileged processes (doveadm as dovecot, auth) must read it
chmod -R go+rX "$private"
export WITH_MODULES_DIR="$private" WITH_MODULES_LIVE="$live"
exec unshare -m --propagation private sh -c '
	mount --bind "$WITH_MODULES_DIR" "$WITH_MODULES_LIVE" || exit 1
	exec "$@"' with-modules "$@"
