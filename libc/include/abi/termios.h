/* Linux terminal modes: the kernel's struct termios (course section: the console). */
#ifndef ABI_TERMIOS_H
#define ABI_TERMIOS_H

typedef unsigned char cc_t;
typedef unsigned int speed_t;
typedef unsigned int tcflag_t;

#define NCCS 19

struct termios {
	tcflag_t c_iflag;	/* input modes */
	tcflag_t c_oflag;	/* output modes */
	tcflag_t c_cflag;	/* control modes (baud rate, character size) */
	tcflag_t c_lflag;	/* local modes (echo, canonical, signals) */
	cc_t c_line;		/* line discipline */
	cc_t c_cc[NCCS];	/* special characters */
};

/* Indexes into c_cc */
#define VINTR 0		/* ^C: SIGINT */
#define VQUIT 1		/* ^\: SIGQUIT */
#define VERASE 2	/* backspace */
#define VKILL 3		/* ^U: erase the line */
#define VEOF 4		/* ^D: end of file */
#define VTIME 5		/* non-canonical read timeout, tenths of a second */
#define VMIN 6		/* non-canonical read: minimum bytes */
#define VSTART 8	/* ^Q */
#define VSTOP 9		/* ^S */
#define VSUSP 10	/* ^Z: SIGTSTP */
#define VREPRINT 12	/* ^R: show the line typed so far again */
#define VWERASE 14	/* ^W: erase a word */
#define VLNEXT 15	/* ^V: the next key is data, whatever it is */

/* c_iflag */
#define IGNBRK 0000001
#define BRKINT 0000002
#define INPCK 0000020
#define ISTRIP 0000040
#define INLCR 0000100
#define IGNCR 0000200
#define ICRNL 0000400	/* turn the Enter key's \r into \n */
#define IXON 0002000
#define IXOFF 0010000

/* c_oflag */
#define OPOST 0000001	/* process output (below) */
#define ONLCR 0000004	/* write \n as \r\n */

/* c_cflag */
#define CSIZE 0000060
#define CS8 0000060
#define CREAD 0000200

/* c_lflag */
#define ISIG 0000001	/* ^C, ^\ and ^Z send signals */
#define ICANON 0000002	/* line-by-line input with editing */
#define ECHO 0000010	/* echo typed characters */
#define ECHOE 0000020
#define ECHOK 0000040
#define ECHONL 0000100
#define NOFLSH 0000200
#define TOSTOP 0000400
#define ECHOCTL 0001000	/* echo control characters as ^X */
#define ECHOKE 0004000	/* ^U erases the line on the screen too */
#define IEXTEN 0100000

#endif
