#!/bin/bash
# handout.sh — what `make handout` runs: the students' kit, without the
# solutions the course withholds (docs/teaching.md).
#
#   tools/course/handout.sh [--withhold FILE] [--out DIR]
#
# Takes the kit's committed files (git ls-files; their contents as they
# are in the work tree), leaves out every path course/withhold names (one
# path or glob a line, see that file) and the held-out traces in
# course/traces/, and writes DIR/memkit-handout.tar.gz (default DIR:
# build/handout), one folder memkit-handout/ inside.
#
# What goes in is changed in three ways, all of them in the copy only:
#   - course/withheld-files lists what was left out; tests/test_helper's
#     skip_if_withheld reads it, so the tests that need a withheld file
#     skip with "withheld from the handout" instead of failing;
#   - in every .md page, a part fenced by <!-- withheld: PATH --> and
#     <!-- /withheld --> is replaced by a one-line note when PATH is
#     withheld, and a link to a withheld file gets the note
#     "(withheld from the handout)" after it;
#   - nothing else: every other file is byte for byte the kit's.
#
# Then it looks for the withheld code in what is left: each withheld
# text file's distinctive lines (20 characters or more, in no file handed
# out as code) must not be quoted in the handout: a file that shows two
# or more of one withheld file's stops the build, naming file, lines and
# source. The tarball is written only when nothing leaks.
#
# Exit status: 0 written, 1 a leak or a build error, 2 a usage error.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
withhold="$root/course/withhold"
out="$root/build/handout"
while [ $# -gt 0 ]; do
    case "$1" in
    --withhold) withhold=$2; shift 2 ;;
    --out)      out=$2; shift 2 ;;
    *) echo "usage: tools/course/handout.sh [--withhold FILE] [--out DIR]" >&2; exit 2 ;;
    esac
done
[ -f "$withhold" ] || { echo "handout: no withhold list $withhold" >&2; exit 2; }
# Both as absolute paths: the work below runs from the kit's top.
withhold=$(cd "$(dirname "$withhold")" && pwd)/$(basename "$withhold")
mkdir -p "$out"
out=$(cd "$out" && pwd)
cd "$root"
if ! git rev-parse --git-dir > /dev/null 2>&1 || [ -z "$(git ls-files | head -1)" ]; then
    echo "handout: $root is not a git checkout: make handout builds from the" \
         "kit's committed files (git ls-files); run it in the teacher's clone" >&2
    exit 1
fi

# ------------------------------------------------------- what is withheld
patterns=()
while IFS= read -r line || [ -n "$line" ]; do
    line=${line%%$'\r'}
    case "$line" in ''|'#'*) continue ;; esac
    line=${line#"${line%%[![:space:]]*}"}          # trim both ends
    line=${line%"${line##*[![:space:]]}"}
    [ -n "$line" ] && patterns+=("$line")
done < "$withhold"

# withheld PATH — whether a line of the list names PATH.
withheld() {
    local p
    case "$1" in course/traces/*) return 0 ;; esac
    for p in "${patterns[@]}"; do
        case "$p" in
        */) [[ "$1" == "$p"* ]] && return 0 ;;
        *)  [[ "$1" == $p ]] && return 0 ;;
        esac
    done
    return 1
}

keep=()
gone=()
while IFS= read -r -d '' f; do
    if withheld "$f"; then
        gone+=("$f")
    elif [ -e "$f" ]; then
        keep+=("$f")
    else
        echo "handout: $f is committed but not in the work tree; left out" >&2
    fi
done < <(git ls-files -z)

# ------------------------------------------------------------ the copy
stage="$out/stage"
top="$stage/memkit-handout"
rm -rf "$stage"
mkdir -p "$top"
printf '%s\0' "${keep[@]}" | tar --null -T - -cf - | tar -C "$top" -xf -
mkdir -p "$top/course"
{
    echo "# Left out of this handout by make handout (course/withhold);"
    echo "# the tests that need one of these skip: \"withheld from the handout\"."
    printf '%s\n' "${gone[@]}"
} > "$top/course/withheld-files"

# redact_md PAGE — the fences and links of one page, rewritten in place.
list="$top/course/withheld-files"
redact_md() {
    local page=$1 dir
    dir=$(dirname "${page#"$top"/}")
    awk -v dir="$dir" -v list="$list" '
        BEGIN { while ((getline l < list) > 0) if (l !~ /^#/) gone[l] = 1 }
        # norm(PATH): PATH relative to the top, "." and ".." resolved
        function norm(p,   n, i, k, parts, outp, s) {
            if (dir != ".") p = dir "/" p
            n = split(p, parts, "/"); k = 0
            for (i = 1; i <= n; i++) {
                if (parts[i] == "." || parts[i] == "") continue
                if (parts[i] == "..") { if (k > 0) k--; continue }
                outp[++k] = parts[i]
            }
            s = ""
            for (i = 1; i <= k; i++) s = s (i > 1 ? "/" : "") outp[i]
            return s
        }
        skipping {
            if ($0 ~ /^<!-- \/withheld -->/) skipping = 0
            next
        }
        /^<!-- withheld: .* -->/ {
            p = $0; sub(/^<!-- withheld: */, "", p); sub(/ *-->.*$/, "", p)
            if (p in gone) {
                print "*(This part shows `" p "`, which your course withholds from the handout.)*"
                skipping = 1
            }
            next
        }
        /^<!-- \/withheld -->/ { next }
        {
            line = $0; outl = ""
            while (match(line, /\]\([^)# ]+[^) ]*\)/)) {
                target = substr(line, RSTART + 2, RLENGTH - 3)
                sub(/#.*/, "", target)
                outl = outl substr(line, 1, RSTART + RLENGTH - 1)
                if (target !~ /^[a-z]+:/ && (norm(target) in gone))
                    outl = outl " *(withheld from the handout)*"
                line = substr(line, RSTART + RLENGTH)
            }
            print outl line
        }' "$page" > "$page.tmp"
    mv "$page.tmp" "$page"
}
while IFS= read -r -d '' page; do
    redact_md "$page"
done < <(find "$top" -name '*.md' -print0)

# ------------------------------------------------------ look for leaks
# The distinctive lines of every withheld text file (of a patch: the
# lines it adds): trimmed, 20 or more characters, found in no code file
# that is handed out (so shared boilerplate such as a prologue or the
# GNU-stack note never counts).
work="$out/leakcheck"
rm -rf "$work"
mkdir -p "$work"
trim='{ sub(/^[ \t]+/, ""); sub(/[ \t]+$/, ""); if (length($0) >= 20) print }'
: > "$work/common"
# The lines a handed-out file holds as code: a patch's added and context
# lines (its - lines are the file it patches, its prose before the first
# --- line says what it does), any other code file whole.
for f in "${keep[@]}"; do
    case "$f" in *.s|*.inc|*.c|*.h|*.patch) printf '%s\0' "$f" ;; esac
done | xargs -0 -r awk '
    FNR == 1 { patch = FILENAME ~ /\.patch$/; body = !patch }
    patch && /^--- / { body = 1; next }
    patch && (/^\+\+\+ / || /^@@/ || /^-/) { next }
    body {
        if (patch) $0 = substr($0, 2)
        sub(/^[ \t]+/, ""); sub(/[ \t]+$/, ""); if (length($0) >= 20) print
    }' | sort -u > "$work/common"
: > "$work/distinct"
for f in "${gone[@]}"; do
    [ -f "$f" ] && grep -Iq . "$f" || continue
    case "$f" in
    *.patch) sed -n '/^--- /,$ { /^+++ /d; s/^+//p; }' "$f" ;;
    *)       cat "$f" ;;
    esac | awk "$trim" | sort -u | comm -23 - "$work/common" |
        awk -v src="$f" '{ print src "\t" $0 }' >> "$work/distinct"
done
# A file of the handout leaks a withheld file when two or more different
# lines of it (trimmed, a diff's + or - taken off) are distinctive lines of
# that one file: a quoted excerpt, not a line two programs happen to
# share.
leaks=0
if [ -s "$work/distinct" ]; then
    (cd "$top" && grep -rIlZ '' . | xargs -0 -r awk -F'\t' '
            FNR == NR { src[substr($0, index($0, "\t") + 1)] = $1; next }
            {
                t = $0; sub(/^[ \t]+/, "", t); sub(/[ \t]+$/, "", t)
                u = t
                if (u ~ /^[-+]/) { u = substr(u, 2); sub(/^[ \t]+/, "", u) }
                k = (t in src) ? t : ((u in src) ? u : "")
                if (k != "") print FILENAME "\t" src[k] "\t" FNR "\t" k
            }' "$work/distinct") | sed 's|^\./||' > "$work/hits"
    while IFS=$'\t' read -r file src n lines; do
        [ "$n" -ge 2 ] || continue
        echo "handout: $file shows $n lines of withheld $src (lines $lines)" >&2
        leaks=$((leaks + 1))
    done < <(sort -t$'\t' -k1,1 -k2,2 -k3,3n "$work/hits" |
             awk -F'\t' '{ k = $1 "\t" $2
                           if (k != last && last != "") print last "\t" n "\t" l
                           if (k != last) { n = 0; l = ""; split("", seen) }
                           # n counts different lines: one line a file
                           # repeats (a mkdir in three tests) is not an
                           # excerpt
                           if (!($4 in seen)) { seen[$4] = 1; n++ }
                           l = l (l == "" ? "" : " ") $3; last = k }
                         END { if (last != "") print last "\t" n "\t" l }')
fi
rm -rf "$work"
if [ "$leaks" -gt 0 ]; then
    echo "handout: $leaks file(s) of the handout show withheld code: fence it" \
         "in <!-- withheld: PATH --> ... <!-- /withheld -->, withhold the file" \
         "that shows it, or hand the source out; nothing written" >&2
    rm -rf "$stage"
    exit 1
fi

# ------------------------------------------------------------ the tarball
tarball="$out/memkit-handout.tar.gz"
tar -C "$stage" --sort=name --owner=0 --group=0 --numeric-owner \
    --mtime='@0' -czf "$tarball.tmp" memkit-handout
mv "$tarball.tmp" "$tarball"
rm -rf "$stage"
echo "handout: ${#keep[@]} files, ${#gone[@]} withheld (course/withhold)"
printf '  withheld: %s\n' "${gone[@]}"
echo "handout: wrote ${tarball#"$root"/}"
