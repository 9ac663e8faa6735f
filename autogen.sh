#!/bin/sh
# Regenerate the build system from configure.ac and Makefile.am.
# dovecot.m4 is taken from the installed dovecot-dev (/usr/share/aclocal).
set -e
cd "$(dirname "$0")"
autoreconf -fi
