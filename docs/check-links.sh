#!/usr/bin/env bash
# Checks that every relative link in README.md and docs/**/*.md points at an existing file, and that a #anchor names
# a heading of the target (GitHub's slugs). Prints each broken link; exits 1 if there is one. Usage: docs/check-links.sh
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
slugs() { # the anchors GitHub gives a Markdown file's headings (outside fenced code)
  awk '/^```/ { f = !f } !f && /^#+ /' "$1" | sed -E 's/^#+ +//; s/.*/\L&/; s/[^[:alnum:] _-]//g; s/ /-/g'
}
links() { # the link targets of a Markdown file (outside fenced code), without http(s) and mailto
  awk '/^```/ { f = !f } !f' "$1" | grep -oE '\]\([^)[:space:]]+\)' | sed -E 's/^\]\((.*)\)$/\1/' \
    | grep -vE '^(https?|mailto):' || true
}
n=0; bad=0
while IFS= read -r md; do
  while IFS= read -r link; do
    [ -n "$link" ] || continue
    n=$((n + 1))
    path=${link%%#*}; anchor=""
    [[ $link == *#* ]] && anchor=${link#*#}
    if [ -z "$path" ]; then target=$md; else target="$(dirname "$md")/$path"; fi
    if [ ! -e "$target" ]; then
      echo "$md: broken link: $link"; bad=$((bad + 1))
    elif [ -n "$anchor" ] && [ -f "$target" ] && ! slugs "$target" | grep -qxF -- "$anchor"; then
      echo "$md: no heading for #$anchor in $target"; bad=$((bad + 1))
    fi
  done < <(links "$md")
done < <(printf '%s\n' README.md; find docs -name '*.md' | sort)
echo "$n relative links checked, $bad broken"
[ "$bad" -eq 0 ]
