# external.sh: external commands, so it needs execve as well as fork: a pipeline of
# programs (printf | tr | sort | uniq), command substitution of a program, a program's exit
# status, `command -v` finding a program on PATH, env passing a variable to a program, a
# missing program (status 127). Output is the same with GNU coreutils and busybox applets.

printf 'pear\napple\nfig\napple\npear\napple\n' | tr a-z A-Z | sort | uniq -c | while read -r n w; do echo "$w $n"; done
lines=$(printf 'x\ny\nz\n' | sort -r | head -n 2)
echo "sorted and cut: $(echo $lines)"
printf 'three\n' | grep -q thr && echo "grep found it"
printf 'three\n' | grep -q nothing; echo "grep status when missing: $?"
GREETING=hi env | grep '^GREETING='
sh -c 'exit 12'; echo "sh -c status: $?"
no-such-program-anywhere 2>/dev/null; echo "missing program: $?"
command -v sort >/dev/null && echo "command -v finds sort"
echo "a:b:c" | cut -d: -f2
