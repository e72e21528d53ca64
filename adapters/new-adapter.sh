#!/usr/bin/env bash
# Creates adapters/<id>/ from adapters/_template: a descriptor, a Java skeleton that maps a placeholder payload,
# golden samples, WireMock stubs and a README, so the kit's tests pass at once. Then see docs/adding-an-adapter.md.
#   adapters/new-adapter.sh <id> "<Display name>" [kind]      e.g. adapters/new-adapter.sh grubhub "Grubhub" delivery
#   ORDERHUB_ADAPTERS_DIR=<dir> writes the new folder there instead (the build's scaffold test uses it)
set -euo pipefail
cd "$(dirname "$0")"
template="$PWD/_template"
out="${ORDERHUB_ADAPTERS_DIR:-$PWD}"
id="${1:-}"; name="${2:-}"; kind="${3:-delivery}"
if [[ ! "$id" =~ ^[a-z][a-z0-9]*$ || -z "$name" ]]; then
  echo "usage: adapters/new-adapter.sh <id: lowercase letters and digits> \"<Display name>\" [pos|delivery|reservations|accounting|payments]" >&2
  exit 2
fi
if [[ -e "$out/$id" ]]; then echo "$out/$id already exists" >&2; exit 2; fi
class="$(tr '[:lower:]' '[:upper:]' <<< "${id:0:1}")${id:1}Adapter"
upper="$(tr '[:lower:]' '[:upper:]' <<< "$id")"
mkdir -p "$out/$id"
(cd "$template" && find . -type f -name '*.tmpl') | while read -r f; do
  rel="${f#./}"; rel="${rel%.tmpl}"
  [[ "$rel" == "Adapter.java" ]] && rel="$class.java"
  target="$out/$id/$rel"
  mkdir -p "$(dirname "$target")"
  sed -e "s/__ID__/$id/g" -e "s/__NAME__/$name/g" -e "s/__KIND__/$kind/g" -e "s/__CLASS__/$class/g" \
      -e "s/__UPPER__/$upper/g" "$template/$f" > "$target"
done
echo "Created $out/$id ($class). Next:"
echo "  1. map a test store in config/application-sandbox.yaml:  orderhub.adapters.$id: {signing-secret: ..., api-token: ..., stores: {example-store: soho}}"
echo "  2. mvn -q test -Dtest=AdapterSamplesTest -Dorderhub.golden.adapter=$id   (writes target/golden/$id/*.actual.json)"
echo "  3. review each actual file by hand, save it as samples/<case>.canonical.json, then mvn verify"
