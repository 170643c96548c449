// models/futex_vcache/futex.h: the futex and vcache operations of seed 004's design, one form at a
// time (Config::form): futex_wait, futex_wake, the COW fault's vcache invalidation and callback.
#pragma once
#include "models/futex_vcache/state.h"

namespace sf::models::futex_vcache {

enum class WaitResult : uint8_t { woken, again, timed_out, given_up };

// *A as user space reads it: through the page table, no lock.
int user_read(FutexState& st);
// *A = v from the COW thread's mm: A's page is write-protected, so the store first takes the COW
// fault (copy P to P', point the pte at P', tell the vcache), then writes through the new mapping.
void user_store_cow(FutexState& st, int v);
// FUTEX_WAIT by waiter `w`: queue, and sleep if *A still reads `val` (EAGAIN if not). With
// `timeout`, a waiter that would sleep times out at once instead (it queues and unqueues).
WaitResult futex_wait(FutexState& st, uint32_t w, int val, bool timeout);
// FUTEX_WAKE: wakes up to n waiters queued on A's current page (on A's key, for lokier), from the
// parent's mm, or (`child`) from the fork child's, whose A still maps P.
int futex_wake(FutexState& st, int n, bool child = false);

}  // namespace sf::models::futex_vcache
