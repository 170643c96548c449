// models/mmu_notifier/scenario.h: one execution of the mmu notifier model under a Config.
#pragma once
#include "models/mmu_notifier/state.h"

namespace sf::models::mmu_notifier {

// Runs cfg.scenario's threads (scenario.cpp): an invalidation against a driver's register, fault
// and unregister; or a driver's unregister against the process's exit.
void run_mmu_notifier(const Config& cfg);

}  // namespace sf::models::mmu_notifier
