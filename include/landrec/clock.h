/* clock.h — the monotonic clock every stage times itself with.
 *
 * Owns: nothing.
 * Borrows: the system's monotonic clock.
 */
#ifndef LANDREC_CLOCK_H
#define LANDREC_CLOCK_H

/* Milliseconds on CLOCK_MONOTONIC: only differences mean anything. */
double lr_clock_ms(void);

#endif
