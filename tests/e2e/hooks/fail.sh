#!/bin/sh
# fail.sh: a hook that exits non-zero.
cat > /dev/null
echo "0.1 fine, but" 
exit 3
