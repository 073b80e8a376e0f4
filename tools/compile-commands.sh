#!/bin/sh
# Write compile_commands.json (for clangd and other editors) from the
# Makefile's flags: one entry per source file.
# Usage: compile-commands.sh "KERNEL CC+FLAGS" "KERNEL SOURCES" "USER CC+FLAGS" "USER SOURCES"
dir=$(pwd)
first=1
entry() {
	[ $first = 1 ] || printf ',\n'
	first=0
	printf '  {"directory": "%s", "file": "%s", "command": "%s -c %s"}' "$dir" "$2" "$1" "$2"
}
printf '[\n'
for f in $2; do entry "$1" "$f"; done
for f in $4; do entry "$3" "$f"; done
printf '\n]\n'
