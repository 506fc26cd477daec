#!/usr/bin/env bash
# Builds the web assets into assets/dist/ (served at /assets/):
#   application.css        GOV.UK Frontend + MOJ Frontend, compiled with dart-sass
#   govuk-frontend.min.js  ES module (load with <script type="module">)
#   moj-frontend.min.js    ES module
#   init.js                starts both (no inline script: CSP is script-src 'self')
#   person-suggestions.js  the contact form's "already known?" matches, as the worker types
#   images/, manifest.json
# Needs `npm ci` (or `npm install`) to have been run in the project root.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

govuk="node_modules/govuk-frontend/dist/govuk"
moj="node_modules/@ministryofjustice/frontend/moj"
if [[ ! -d "$govuk" || ! -d "$moj" ]]; then
  echo "build-assets: node_modules is missing; run 'npm ci' in $root first" >&2
  exit 1
fi

out="assets/dist"
rm -rf "$out"
mkdir -p "$out/images"

# GOV.UK Frontend v5 and MOJ Frontend still use @import and older Sass
# functions; those deprecations are theirs, not ours, so keep the output quiet.
npx --no-install sass \
  --no-source-map \
  --style=compressed \
  --load-path=node_modules \
  --load-path=. \
  --quiet-deps \
  --silence-deprecation=import \
  --silence-deprecation=global-builtin \
  --silence-deprecation=color-functions \
  --silence-deprecation=slash-div \
  assets/src/application.scss "$out/application.css"

cp "$govuk/govuk-frontend.min.js" "$out/govuk-frontend.min.js"
cp "$moj/moj-frontend.min.js" "$out/moj-frontend.min.js"
cp assets/src/init.js "$out/init.js"
cp assets/src/person-suggestions.js "$out/person-suggestions.js"

# Images the stylesheet refers to (GOV.UK and MOJ icons), then our own icons,
# which replace any of the same name: a council service shows no crown.
cp "$govuk"/assets/images/* "$out/images/"
cp "$moj"/assets/images/* "$out/images/"
rm -f "$out/images/favicon.ico" "$out/images/govuk-icon-"*.png "$out/images/govuk-icon-mask.svg" \
  "$out/images/govuk-opengraph-image.png" "$out/images/govuk-logotype-crown.png" \
  "$out/images/moj-"*.png "$out/images/moj-logotype-crest-2024.svg"
cp assets/src/images/* "$out/images/"
cp assets/src/manifest.json "$out/manifest.json"

echo "build-assets: wrote $(find "$out" -type f | wc -l) files to $out"
