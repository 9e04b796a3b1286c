#!/bin/sh
# Regenerates the GBK list pages from their UTF-8 sources in src/.
# The encoded files are committed; run this only after editing a source.
set -e
cd "$(dirname "$0")"
for f in src/*.html; do
	iconv -f UTF-8 -t GBK "$f" > "$(basename "$f")"
done
