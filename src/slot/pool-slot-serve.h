/* pool-slot-serve.h: pool-slot --serve
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

/* Serves slots on a socket of its own, whose path it says on stdout: returns in a child, with a
 * connection on stdin and stdout, to run the slot loop; the server itself never returns. */
void pm_slot_serve (void);
