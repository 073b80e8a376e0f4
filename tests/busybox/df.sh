B=/run/busybox; [ -x $B ] || B=/bin/busybox; export TZ=UTC0; $B df / | $B head -n 1; $B df / > /dev/null; echo df $?
