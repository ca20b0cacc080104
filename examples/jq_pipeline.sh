#!/usr/bin/env bash
# A shell pipeline into jq: the most widespread slogans (提法) of a corpus as tab-separated
# lines (slogan, occurrences, documents, first place seen), ready for sort, awk or a sheet.
#   examples/jq_pipeline.sh [PATHS...]      (default: the bundled seeds/)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ "$#" -eq 0 ]; then set -- "$here/../seeds"; fi

policytext slogans "$@" --min-docs 2 --format json \
  | jq -r '.slogans[:10][] | [.slogan, .count, .docs, (.examples[0].doc // "")] | @tsv'
