#!/usr/bin/env bash
# Builds position-independent static libjpeg-turbo, libpng and zlib for the prebuilt addon, so the
# .node file depends on nothing but the C/C++ runtime. Debian's own libjpeg.a/libpng16.a/libz.a
# are not built with -fPIC and cannot be linked into a shared object.
#
# Sources: Debian's source packages for the same versions the machine runs (bookworm:
# libjpeg-turbo 2.1.5, libpng 1.6.39, zlib 1.2.13), fetched with `apt-get source` (a deb-src line
# for the configured mirror is added when missing). Upstream tarballs (the .orig.tar.*) are built
# as they are; Debian's patches are not applied.
#
#   bash cmake/static-deps.sh [PREFIX]      (default PREFIX: build-deps/prefix)
# Prints the prefix on its last line. Needs: cmake, make, gcc, nasm (libjpeg-turbo's SIMD).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEPS="$ROOT/build-deps"
PREFIX="${1:-$DEPS/prefix}"
SRC="$DEPS/src"
WORK="$DEPS/work"
mkdir -p "$SRC" "$WORK" "$PREFIX"
JOBS="${JOBS:-2}"

if [ -f "$PREFIX/lib/libjpeg.a" ] && [ -f "$PREFIX/lib/libpng16.a" ] && [ -f "$PREFIX/lib/libz.a" ]; then
  echo "static deps already built in $PREFIX" >&2
  echo "$PREFIX"
  exit 0
fi

have_orig() { ls "$SRC"/$1_*.orig.tar.* >/dev/null 2>&1; }
if ! have_orig libjpeg-turbo || ! have_orig libpng1.6 || ! have_orig zlib; then
  if ! grep -rqs '^Types: deb-src\|^deb-src' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    echo "adding a deb-src entry for the configured Debian mirror" >&2
    sed -e 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources \
      > /etc/apt/sources.list.d/analyze-face-src.sources
    apt-get update -q >&2
  fi
  command -v dpkg-source >/dev/null || apt-get install -y -q dpkg-dev >&2
  # --download-only: only the tarballs are needed. A package whose newest (security) version is
  # missing on the mirror still leaves its .orig tarball, which is all we build.
  # One package per call: apt-get stops at the first failed download, so a 404 on one
  # package's .dsc must not keep the next package's tarball from being fetched.
  # When the newest (security) version's files are missing on the mirror, older versions of the
  # same upstream release are tried in turn (the .orig tarball is all that is needed).
  for pkg in libjpeg-turbo libpng1.6 zlib; do
    have_orig "$pkg" || (cd "$SRC" && apt-get source -q --download-only "$pkg" >&2) || true
    for ver in $(apt-cache showsrc "$pkg" 2>/dev/null | awk '/^Version:/ {print $2}'); do
      have_orig "$pkg" && break
      (cd "$SRC" && apt-get source -q --download-only "$pkg=$ver" >&2) || true
    done
  done
fi
for p in libjpeg-turbo libpng1.6 zlib; do
  have_orig "$p" || { echo "missing source tarball for $p in $SRC" >&2; exit 1; }
done
command -v nasm >/dev/null || apt-get install -y -q nasm >&2

unpack() {  # unpack <name> → prints the source dir
  local tarball dir
  tarball=$(ls "$SRC"/$1_*.orig.tar.* | head -1)
  dir="$WORK/$1"
  rm -rf "$dir" && mkdir -p "$dir"
  tar -xf "$tarball" -C "$dir" --strip-components=1
  echo "$dir"
}

export CFLAGS="-O2 -fPIC -fvisibility=hidden"

echo "== zlib" >&2
Z=$(unpack zlib)
(cd "$Z" && ./configure --static --prefix="$PREFIX" >&2 && make -j"$JOBS" libz.a >&2 && make install >&2)

echo "== libjpeg-turbo" >&2
J=$(unpack libjpeg-turbo)
cmake -S "$J" -B "$J/build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$PREFIX" \
  -DCMAKE_INSTALL_LIBDIR="$PREFIX/lib" -DCMAKE_INSTALL_INCLUDEDIR="$PREFIX/include" -DENABLE_SHARED=OFF -DENABLE_STATIC=ON -DWITH_TURBOJPEG=OFF \
  -DWITH_JPEG8=OFF -DCMAKE_POSITION_INDEPENDENT_CODE=ON -DREQUIRE_SIMD=ON >&2
cmake --build "$J/build" -j"$JOBS" >&2
cmake --install "$J/build" >&2

echo "== libpng" >&2
P=$(unpack libpng1.6)
(cd "$P" && CPPFLAGS="-I$PREFIX/include" LDFLAGS="-L$PREFIX/lib" ./configure --prefix="$PREFIX" \
  --disable-shared --enable-static --with-pic >&2 && make -j"$JOBS" libpng16.la >&2 && make install-libLTLIBRARIES install-pkgincludeHEADERS install-nodist_pkgincludeHEADERS install-includeHEADERS >&2 || make install >&2)
ls "$PREFIX/lib/"{libjpeg.a,libpng16.a,libz.a} >&2
echo "$PREFIX"
