# bench row "bash loop": bash's own arithmetic and string work, no fork or exec: the kind of
# loop a build or configure script spends its time in. Prints a checksum of what it computed.
n=0 s= w=
for ((i = 0; i < 3000; i++)); do
    n=$(( (n * 31 + i * i) % 1000003 ))
    w="item-$i"
    s+=${w:5:1}
    [[ $w == *7* ]] && n=$(( n + ${#w} ))
    case $(( i % 4 )) in
        0) w=${w^^} ;;
        1) w=${w/item/ITEM} ;;
        *) w=${w%?} ;;
    esac
done
echo "$n ${#s} ${s:0:24} $w"
