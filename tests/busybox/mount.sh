B=/run/busybox; [ -x $B ] || B=/bin/busybox; export TZ=UTC0; $B mount | $B grep -c " on /proc type proc "
