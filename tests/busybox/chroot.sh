B=/run/busybox; [ -x $B ] || B=/bin/busybox; export TZ=UTC0; $B chroot / $B true; echo chroot $?
