#!/bin/sh
# Copy the JavaScript Urja vendors out of node_modules/ (installed from package-lock.json) into the
# tree, so that running and testing Urja needs no npm. Run after changing package.json:
#   npm ci --ignore-scripts && sh scripts/vendor_js.sh
set -eu
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --ignore-scripts --no-audit --no-fund

# axe-core (MPL-2.0): the accessibility checker the browser tests inject (tests/browser/test_accessibility.py).
mkdir -p tests/browser/vendor
cp node_modules/axe-core/axe.min.js tests/browser/vendor/axe.min.js
cp node_modules/axe-core/LICENSE tests/browser/vendor/axe-core.LICENSE
cp node_modules/axe-core/LICENSE-3RD-PARTY.txt tests/browser/vendor/axe-core.LICENSE-3RD-PARTY.txt
echo "vendored axe-core $(node -p 'require("./node_modules/axe-core/package.json").version')"
