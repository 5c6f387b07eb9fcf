#!/usr/bin/env bash
# Rebuild the preview page's bundle (briefgen/preview/static/) from the npm packages pinned in
# frontend/package-lock.json: CodeMirror 6 with YAML and JSON Schema completion/hover, pdf.js.
# The output is committed, so neither installing nor running briefgen needs node or a network.
set -euo pipefail
cd "$(dirname "$0")/../frontend"
out=../briefgen/preview/static
npm ci --no-audit --no-fund
mkdir -p "$out"
npx esbuild src/main.js --bundle --minify --format=esm --target=es2022 --legal-comments=none \
  --metafile=meta.json --outfile="$out/app.js"
cp node_modules/pdfjs-dist/build/pdf.worker.min.mjs "$out/pdf.worker.min.mjs"
cp src/index.html src/app.css "$out/"
node licenses.mjs meta.json > "$out/THIRD-PARTY-LICENSES.txt"
rm meta.json
ls -l "$out"
