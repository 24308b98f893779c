# jobs-traps.sh: background jobs, wait and traps, with builtins only (fork, no exec): $! of each
# job, wait PID returning that job's status in any order of completion, wait with no operands,
# kill of a busy job (status 128+15), trap on a signal the shell sends itself (the trap runs
# before the next command), trap - to restore the default, an EXIT trap in a subshell and one
# in the shell itself.

( exit 3 ) &
p1=$!
( exit 4 ) &
p2=$!
( i=0; while [ $i -lt 2000 ]; do i=$((i + 1)); done; exit 5 ) &
p3=$!
wait $p3; s3=$?
wait $p1; s1=$?
wait $p2; s2=$?
echo "statuses in the order waited: $s3 $s1 $s2"
[ "$p1" != "$p2" ] && echo "jobs have different \$!"

( exit 9 ) & ( exit 8 ) &
wait
echo "wait with no operands: $?"

( while :; do :; done ) &
busy=$!
kill -TERM $busy
wait $busy
echo "killed busy job: $?"

trap 'echo "trap: USR1 caught"' USR1
kill -USR1 $$
echo "after kill -USR1"
trap - USR1
trap 'echo "trap: USR2, status was $?"' USR2
false
kill -USR2 $$
echo "after kill -USR2"

( trap 'echo "subshell EXIT trap"' EXIT; echo "in subshell" )
echo "subshell done: $?"

trap 'echo "EXIT trap runs last, status $?"' EXIT
echo "end of script"
exit 2
