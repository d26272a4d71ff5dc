#!/bin/sh
# Rebuild ../static/vendor/sparql-editor.js from entry.js and check.js with the exact versions in package-lock.json.
# Needs Node.js and npm (the npm registry); the built file is committed, so nobody else needs them.
set -eu
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
npx esbuild entry.js --bundle --minify --format=iife --target=es2019 --legal-comments=none \
    --outfile=../static/vendor/sparql-editor.js
node collect-licences.js > ../static/vendor/LICENCE-sparql-editor.txt
echo "built ../static/vendor/sparql-editor.js ($(wc -c < ../static/vendor/sparql-editor.js) bytes)"
