/* PS/2 keyboard (course section: devices). */
#ifndef DRIVERS_KEYBOARD_H
#define DRIVERS_KEYBOARD_H

void keyboard_init(void);

#endif
