#!/bin/sh
# Regenerates the legacy-encoding fixtures from their UTF-8 sources in src/.
# The encoded files are committed; run this only after editing a source.
set -e
cd "$(dirname "$0")"
iconv -f UTF-8 -t GBK src/list_gbk.html > list_gbk.html
iconv -f UTF-8 -t GBK src/list_gb2312_header.html > list_gb2312_header.html
iconv -f UTF-8 -t GB18030 src/list_gb18030.html > list_gb18030.html
iconv -f UTF-8 -t BIG5 src/list_big5.html > list_big5.html
iconv -f UTF-8 -t GBK src/article_gbk.html > article_gbk.html
