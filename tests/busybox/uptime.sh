B=/run/busybox; [ -x $B ] || B=/bin/busybox; export TZ=UTC0; $B uptime | $B grep -c "load average"; $B free | $B head -n 1 | $B wc -w
