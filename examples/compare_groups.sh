#!/usr/bin/env bash
# Compare two groups of documents (two cities, two years) with --by dir: the documents and
# slogans of each group, the slogans only one group uses, and those rising or falling from
# the first group to the second.
#   examples/compare_groups.sh DIR_A DIR_B
# Without arguments it compares the bundled newspaper pages with the bundled city plan.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ "$#" -eq 0 ]; then
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  mkdir -p "$work/newspapers" "$work/city_plan"
  for f in "$here"/../seeds/*.txt; do
    if grep -q '七大攻坚' <(head -c 2000 "$f"); then cp "$f" "$work/city_plan/"
    else cp "$f" "$work/newspapers/"; fi
  done
  set -- "$work/newspapers" "$work/city_plan"
fi

policytext slogans "$@" --by dir --format json \
  | jq '[.groups[] | {group: (.group | split("/") | last), docs, slogans,
                      only: .only[:8], rising: .rising[:5], falling: .falling[:5]}]'
