B=/run/busybox; [ -x $B ] || B=/bin/busybox; export TZ=UTC0; $B top -bn1 | $B head -n 1 | $B cut -c1-4; $B top -bn1 | $B grep -c "^CPU:"
