# subshells.sh: what needs fork but no exec: command substitution ($(...) and backquotes,
# nested), ( ... ) subshells whose variable changes and cd stay inside, their exit status,
# pipelines of builtins and functions (each stage its own process), a while-read loop at the end
# of a pipeline, the status of a pipeline (its last command), { ...; } groups redirected as one.

x=outer
( x=inner; echo "in the subshell: $x"; exit 5 )
echo "subshell status $?, x still $x"
y=$(x=changed; echo "$x")
echo "command substitution gave $y, x still $x"
echo "nested: $(echo "a$(echo "b$(echo c)")")"
echo "backquotes: `echo old style`"
echo "trailing newlines removed: [$(printf 'text\n\n\n')]"
n=$(exit 7)
echo "status of an assignment from \$(exit 7): $?"

upper() {
    while read -r line; do
        case $line in
            *) printf '%s\n' "$line" | { read -r w rest; echo "$w! $rest"; } ;;
        esac
    done
}
printf 'alpha one\nbeta two\ngamma three\n' | upper | while read -r first second; do echo "got [$first] [$second]"; done

count=0
printf 'a\nb\nc\n' | while read -r l; do count=$((count + 1)); done
echo "count after a piped loop (the loop ran in a subshell): $count"

{ echo first; echo second; } | { read -r a; read -r b; echo "group read: $a, $b"; }
false | true; echo "false | true: $?"
true | false; echo "true | false: $?"
( cd / && echo "inside: cd worked" ); echo "outside: unchanged ${PWD:+(PWD kept)}"

squares() { i=1; while [ $i -le 5 ]; do echo $((i * i)); i=$((i + 1)); done; }
total=0
for s in $(squares); do total=$((total + s)); done
echo "sum of squares via \$(...): $total"
echo "$(squares | while read -r v; do printf '%s,' "$v"; done)"
exit 0
