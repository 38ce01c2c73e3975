/* Board settings of the cross-compiled example. */
#ifndef BOARD_H
#define BOARD_H
#define PIN_LENGTH 4
#endif
