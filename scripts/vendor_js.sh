#!/usr/bin/env bash
# Vendor the JavaScript libraries Urja uses into the tree (build time only): the field app's into
# urja/field/static/field/vendor/, the browser tests' accessibility checker into tests/browser/vendor/.
#
# The versions are pinned exactly in package.json and package-lock.json; `npm ci` installs them,
# esbuild (a devDependency) bundles each library into one minified ES module that the browser imports
# directly, and each library's licence text is copied beside its bundle. The output is committed, so
# the server, the phones and CI never need npm. Re-run after changing a version in package.json
# (then `npm install --package-lock-only` first) and commit the result with vendor/README.md updated.
set -euo pipefail
cd "$(dirname "$0")/.."

VENDOR=urja/field/static/field/vendor
npm ci --no-fund --no-audit --ignore-scripts >/dev/null
# esbuild's own binary comes as the optional package @esbuild/<platform>; no install script is needed.

esbuild() { node node_modules/esbuild/bin/esbuild "$@"; }

# @point-of-sale/receipt-printer-encoder: ESC/POS (and StarPRNT) commands, used by print.js.
entry=$(mktemp --suffix=.mjs -p .)
trap 'rm -f "$entry"' EXIT
echo "export { default } from '@point-of-sale/receipt-printer-encoder';" >"$entry"
esbuild "$entry" --bundle --format=esm --platform=browser --target=es2022 --minify \
  --legal-comments=none --log-level=warning --outfile="$VENDOR/receipt-printer-encoder.esm.js"

# One licence file for the bundle: the encoder's and those of the packages bundled into it.
{
  for package in @point-of-sale/receipt-printer-encoder @point-of-sale/codepage-encoder \
    canvas-dither canvas-flatten resize-image-data @canvas/image-data; do
    dir="node_modules/$package"
    version=$(node -p "require('./$dir/package.json').version")
    licence=$(node -p "require('./$dir/package.json').license")
    echo "=== $package $version ($licence) ==="
    file=$(ls "$dir" | grep -i -m1 '^licen[cs]e' || true)
    if [ -n "$file" ]; then
      cat "$dir/$file"
    else
      # These packages state MIT in package.json and ship no licence file: the MIT text, naming
      # their author or repository.
      author=$(node -p "const j=require('./$dir/package.json'), a=j.author;
        (typeof a==='string'?a:a&&a.name)||'the authors of '+j.name+' (github.com/'+j.repository+')'")
      printf 'MIT License\n\nCopyright (c) %s\n\n' "$author"
      cat <<'MIT'
Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction,
including without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense,
and/or sell copies of the Software, and to permit persons to whom the Software is furnished to do so,
subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or substantial
portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT
LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN
NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY,
WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE
SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
MIT
    fi
    echo
  done
} >"$VENDOR/receipt-printer-encoder.LICENSE"

# idb (ISC, Jake Archibald): the field app's IndexedDB wrapper (store.js), an ES module as published.
idb_version=$(node -p "require('./node_modules/idb/package.json').version")
{ printf '// idb %s (https://www.npmjs.com/package/idb), ISC licence: see idb.LICENSE\n' "$idb_version"
  cat node_modules/idb/build/index.js; } >"$VENDOR/idb.js"
cp node_modules/idb/LICENSE "$VENDOR/idb.LICENSE"

# axe-core (MPL-2.0): the accessibility checker the browser tests inject (tests/browser/test_accessibility.py).
mkdir -p tests/browser/vendor
cp node_modules/axe-core/axe.min.js tests/browser/vendor/axe.min.js
cp node_modules/axe-core/LICENSE tests/browser/vendor/axe-core.LICENSE
cp node_modules/axe-core/LICENSE-3RD-PARTY.txt tests/browser/vendor/axe-core.LICENSE-3RD-PARTY.txt

ls -l "$VENDOR" tests/browser/vendor

# uPlot (MIT, Leon Sorokin): the command centre's trend charts (urja/static/ucc/ucc.js): the published
# ES module minified by esbuild (a third of the size), its stylesheet as published, the licence beside them.
UCC_VENDOR=urja/static/ucc/vendor
mkdir -p "$UCC_VENDOR"
esbuild node_modules/uplot/dist/uPlot.esm.js --format=esm --target=es2022 --minify --legal-comments=none \
  --log-level=warning --outfile="$UCC_VENDOR/uPlot.esm.js"
# Its stylesheet names system-ui first; Chromium without a Devanagari system font then draws the Hindi
# legend as boxes, so the Devanagari web font (the console's, by unicode-range) is put in front of it.
sed 's/font-family: *system-ui/font-family:"Noto Sans Devanagari",system-ui/' \
  node_modules/uplot/dist/uPlot.min.css > "$UCC_VENDOR/uPlot.min.css"
cp node_modules/uplot/LICENSE "$UCC_VENDOR/uPlot.LICENSE"
ls -l "$UCC_VENDOR"
