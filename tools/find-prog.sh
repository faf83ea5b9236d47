# find-prog.sh — sourced by gdb-session.sh and strace.sh (not run).
#
#   find_prog KIT NAME   sets PROG to the program NAME means, or prints
#                        what is wrong and returns 2
#
# NAME is a program in build/ (read-records), a path with a slash in it
# (build/read-records, ./a.out, /abs/path/prog; relative to the current
# directory), and may contain spaces. A name that is not a program
# gets a message that says why and lists the programs build/ has.
#
# With MEMKIT_ABUILD set (make gdb|strace ALLOC=...: the chosen
# allocator's build directory, relative to KIT), a bare NAME is the
# program linked with that allocator when there is one (read-records,
# heap-map, ...), else the one in build/.

# kit_programs KIT — the executable files directly in KIT/build, one a line.
kit_programs() {
    local f
    for f in "$1"/build/*; do
        [ -f "$f" ] && [ -x "$f" ] && printf '%s\n' "${f##*/}"
    done
    return 0
}

find_prog() {
    local kit=$1 name=$2 list abuild
    case "$name" in
    */*) PROG=$name ;;
    "") echo "${0##*/}: PROG is empty: name a program in build/" >&2; return 2 ;;
    *) PROG=$kit/build/$name
       if [ -n "${MEMKIT_ABUILD:-}" ]; then
           case "$MEMKIT_ABUILD" in
           /*) abuild=$MEMKIT_ABUILD ;;
           *)  abuild=$kit/$MEMKIT_ABUILD ;;
           esac
           [ ! -f "$abuild/$name" ] || PROG=$abuild/$name
       fi ;;
    esac
    if [ -d "$PROG" ]; then
        echo "${0##*/}: $name is a directory, not a program" >&2
        return 2
    fi
    if [ -f "$PROG" ] && [ -x "$PROG" ]; then
        return 0
    fi
    if [ -e "$PROG" ]; then
        echo "${0##*/}: $name is not an executable file" >&2
    else
        echo "${0##*/}: no program $name" >&2
    fi
    list=$(kit_programs "$kit" | tr '\n' ' ')
    if [ -n "$list" ]; then
        echo "programs in build/: ${list% }" >&2
    else
        echo "build/ has no programs yet: run make first" >&2
    fi
    return 2
}

# split_args STRING — the arguments `make ... ARGS=STRING` means: STRING
# as one argument when it names an existing file (a path may contain
# spaces), otherwise STRING split into words by the shell's rules, so
# several arguments and quoted ones work: ARGS='"my file.dat" out.dat'.
# Sets the array ARGV.
split_args() {
    ARGV=()
    [ -n "$1" ] || return 0
    if [ -e "$1" ]; then
        ARGV=("$1")
    else
        eval "ARGV=($1)"
    fi
}
