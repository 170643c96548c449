// models/futex_vcache/scenario.h: one execution of the futex vcache model under a Config.
#pragma once
#include "models/futex_vcache/state.h"

namespace sf::models::futex_vcache {

// Runs cfg.scenario's threads. Once the COW thread has stored 1 to A and woken the waiters, and
// every waiter has either returned or gone to sleep, checks the futex hash (futex_hash_corrupt) and
// that no waiter sleeps unwoken (lost_wakeup: nobody is left to wake it); then ends the sleep of
// any such waiter and joins everyone.
void run_futex_vcache(const Config& cfg);

}  // namespace sf::models::futex_vcache
