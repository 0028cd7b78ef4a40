#!/bin/sh
# embed.sh NAME < FILE > FILE.c: a text file as a C string constant, so that
# the template atelier writes lives as plain YAML in src/template.yaml.
name=$1
printf '/* Generated from src/template.yaml by tests/tools/embed.sh. */\n'
printf 'const char %s[] =\n' "$name"
sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/\t"/' -e 's/$/\\n"/'
printf '\t"";\n'
