B=/run/busybox; [ -x $B ] || B=/bin/busybox; export TZ=UTC0; $B ps -o pid,comm | $B head -n 1; $B ps | $B grep -c " ps$"
