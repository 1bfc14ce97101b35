#!/bin/sh
# Vendors the IndexedDB wrapper `idb` (ISC licence, Jake Archibald) into the field app's static files,
# so that the app needs no npm at run time. Run it again only to change the pinned version; the copied
# files are committed. Needs npm (the npm registry) and tar.
set -eu
IDB_VERSION="8.0.3"
HERE="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$HERE/urja/field/static/field/vendor"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && npm pack --silent "idb@$IDB_VERSION" >/dev/null && tar xzf "idb-$IDB_VERSION.tgz")
mkdir -p "$DEST"
{ printf '// idb %s (https://www.npmjs.com/package/idb), ISC licence: see idb.LICENSE\n' "$IDB_VERSION"
  cat "$WORK/package/build/index.js"; } > "$DEST/idb.js"
cp "$WORK/package/LICENSE" "$DEST/idb.LICENSE"
echo "vendored idb $IDB_VERSION into $DEST"
