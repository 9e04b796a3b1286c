#!/bin/sh
# Regenerates the legacy-encoded fixtures from the UTF-8 sources in src/.
# Run from this directory. (The list pages the fetcher decodes are the
# parser's, in ../../parse/testdata.) iconv fails loudly if a character has no mapping,
# which would make a fixture silently lose the text the tests assert on.
set -eu
cp src/utf8.rss utf8.rss
iconv -f UTF-8 -t GBK src/gbk.rss >gbk.rss
iconv -f UTF-8 -t GB18030 src/gb2312-gb18030.rss >gb2312-gb18030.rss
iconv -f UTF-8 -t BIG5 src/big5.rss >big5.rss
iconv -f UTF-8 -t GBK src/gbk-nodecl.rss >gbk-nodecl.rss
