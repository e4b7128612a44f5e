#!/bin/sh
# sigs.sh: shows its blocked and ignored signal masks
while read -r k v; do
	case $k in
	SigBlk:) blk=$v ;;
	SigIgn:) ign=$v ;;
	esac
done < /proc/$$/status
echo "0.1 blk=$blk ign=$ign"
