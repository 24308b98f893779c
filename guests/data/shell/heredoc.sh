# heredoc.sh: here-documents: expansions in an unquoted one, none in a quoted one, <<- removing
# leading tabs, a here-document feeding a while-read loop and a function, two on one command
# (the last wins for stdin), here-documents inside $(...) and in a loop body.

name=world
cat_builtin() { while IFS= read -r line; do printf '%s\n' "$line"; done; }
cat_builtin <<EOF2
hello $name, $((6 * 7)), $(echo substituted)
  indentation kept, \$name escaped, backslash-newline \
joins lines
EOF2
cat_builtin <<'EOF2'
quoted: $name $((1 + 1)) $(echo no) \n stays
EOF2
cat_builtin <<-EOF2
	tabs stripped: $name
		two tabs stripped too
EOF2
n=0
while read -r key value; do
    n=$((n + 1))
    echo "$n: $key=$value"
done <<EOF2
colour blue
size large
shape round
EOF2
echo "lines read in the current shell: $n"
cat_builtin <<A <<B
from A
A
from B
B
v=$(cat_builtin <<EOF2
inside a command substitution
EOF2
)
echo "captured: $v"
for i in 1 2; do
    cat_builtin <<EOF2
loop body $i
EOF2
done
