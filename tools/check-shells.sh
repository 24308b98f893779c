#!/bin/sh
# Runs the shell scripts in guests/data/shell/ under several shells and compares each one's
# stdout and exit status with the recorded guests/data/shell/NAME.stdout and NAME.status.
#
#   sh tools/check-shells.sh             compare (exit 1 on any difference)
#   sh tools/check-shells.sh --record    record NAME.stdout/.status from the host's bash first
#
# Shells: the host's bash and `busybox sh`, and when tools/fetch-shells.sh has fetched them
# (guests/shells/), the riscv64 bash-static and busybox-static under qemu-riscv64. Each script
# runs with guests/data/shell as its working directory, a fixed environment and empty stdin.
# stderr is not compared: shells word their diagnostics differently (busybox reports a killed
# background job as "Terminated"). Under qemu an external command is the host's own x86 program
# (qemu hands execve to the host kernel), so external.sh passing there says nothing about exec
# of riscv64 programs.
set -u

here=$(cd "$(dirname "$0")/.." && pwd)
dir="$here/guests/data/shell"
shells_dir="$here/guests/shells"
record=no
[ "${1:-}" = "--record" ] && record=yes

run() { # run SCRIPT SHELL-COMMAND... -> stdout, then "status N" on the last line
    script=$1; shift
    (cd "$dir" && env -i PATH=/usr/bin:/bin LANG=C "$@" "$script" </dev/null 2>/dev/null; echo "status $?")
}

failed=0
for script in "$dir"/*.sh; do
    name=$(basename "$script" .sh)
    if [ $record = yes ]; then
        out=$(run "$name.sh" bash)
        printf '%s\n' "$out" | sed '$d' > "$dir/$name.stdout"
        printf '%s\n' "$out" | tail -n 1 | sed 's/^status //' > "$dir/$name.status"
    fi
    expected="$(cat "$dir/$name.stdout")
status $(cat "$dir/$name.status")"
    for shell in "bash" "busybox sh" "qemu:bash" "qemu:busybox sh"; do
        case $shell in
            qemu:*)
                bin=${shell#qemu:}; bin=${bin%% *}
                [ -x "$shells_dir/$bin" ] && command -v qemu-riscv64 >/dev/null || { echo "$name: $shell: skipped (run tools/fetch-shells.sh)"; continue; }
                # shellcheck disable=SC2086
                got=$(run "$name.sh" qemu-riscv64 "$shells_dir/$bin" ${shell#qemu:$bin}) ;;
            *)
                # shellcheck disable=SC2086
                got=$(run "$name.sh" $shell) ;;
        esac
        if [ "$got" = "$expected" ]; then
            echo "$name: $shell: same"
        else
            echo "$name: $shell: DIFFERENT"
            printf '%s\n' "$expected" > /tmp/check-shells.expected.$$
            printf '%s\n' "$got" | diff /tmp/check-shells.expected.$$ - | sed 's/^/    /'
            rm -f /tmp/check-shells.expected.$$
            failed=1
        fi
    done
done
exit $failed
