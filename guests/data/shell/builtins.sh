# builtins.sh: shell language run by builtins alone, no fork and no exec: functions with
# arguments and return statuses, arithmetic loops, case patterns, parameter expansions,
# positional parameters (set --, shift, "$@" vs "$*"), getopts, printf, exit statuses through
# && || ! and $?, while/until/for, break/continue with a level, eval, readonly, exit status of
# the script. No $(...), pipes or ( ... ): those fork. Output is identical in bash and busybox sh.

greet() {
    printf 'hello, %s (%d args)\n' "$1" "$#"
    return 3
}
greet world a b
echo "greet returned $?"

# results come back in a variable: $(...) would fork
fib() {
    a=0 b=1 i=0
    while [ "$i" -lt "$1" ]; do
        t=$((a + b)); a=$b; b=$t; i=$((i + 1))
    done
    fib_result=$a
}
printf 'fib:'
for n in 1 2 3 10 20 30 50; do fib $n; printf ' %s' "$fib_result"; done
echo

sum=0 i=1
until [ $i -gt 100 ]; do
    [ $((i % 3)) -eq 0 ] && { i=$((i + 1)); continue; }
    sum=$((sum + i))
    i=$((i + 1))
done
echo "sum of 1..100 not divisible by 3: $sum"
echo "arithmetic: $((7 / 2)) $((-7 / 2)) $((7 % -3)) $((1 << 10)) $((0x1f | 0100)) $((5 > 3 ? 10 : 20)) $((2 * (3 + 4)))"
x=5; : $((x += 3)) $((x *= 2))
echo "x after += and *=: $x"

classify() {
    case $1 in
        [0-9]|[0-9][0-9]) echo "$1: small number" ;;
        *.txt|*.md) echo "$1: text file name" ;;
        -*) echo "$1: option" ;;
        '') echo "(empty): empty" ;;
        *[!a-z]*) echo "$1: mixed" ;;
        *) echo "$1: lowercase word" ;;
    esac
}
for w in 7 42 notes.txt README.md -v '' hello Hello2; do classify "$w"; done

path=/usr/local/lib/libthing.so.1.2
echo "${path##*/} ${path%/*} ${path#/usr/} ${path%%.*} ${#path}"
unset missing
echo "default: ${missing:-fallback} ${missing-unset} set-later: ${missing:=assigned} now: $missing"
empty=
echo "empty: [${empty:-dash-colon}] [${empty-dash}] [${empty:+plus-colon}] [${path:+plus}]"

set -- one "two words" three
echo "count $#, first $1, second $2"
for a in "$@"; do printf '[%s]' "$a"; done; echo
for a in $*; do printf '<%s>' "$a"; done; echo
IFS=,; echo "joined: $*"; IFS=' 	
'
shift 2
echo "after shift 2: $# left: $1"

OPTIND=1
set -- -a -b value -c rest1 rest2
while getopts ab:c opt; do
    case $opt in
        b) echo "option b with $OPTARG" ;;
        *) echo "option $opt" ;;
    esac
done
shift $((OPTIND - 1))
echo "operands: $*"

true && echo "true &&"
false || echo "false ||"
! false && echo "! false"
false; echo "false: $?"
if ! [ 3 -gt 5 ]; then echo "3 is not greater than 5"; fi

for i in 1 2 3; do
    for j in a b c; do
        [ $j = b ] && continue
        [ $i = 3 ] && break 2
        printf '%s%s ' $i $j
    done
done
echo

cmd='echo evaluated $((6 * 7))'
eval "$cmd"
printf '%5s|%-5s|%05d|%x|%o|%c|%%\n' right left 42 255 8 character
printf '%s-' a b c d; echo
readonly ro=1
echo "readonly set: $ro"
exit 4
