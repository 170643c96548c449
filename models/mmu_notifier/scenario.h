// models/mmu_notifier/scenario.h: one execution of the mmu notifier model under a Config.
#pragma once
#include "models/mmu_notifier/state.h"

namespace sf::models::mmu_notifier {

// T1 invalidates the address (munmap-like; or walks the list for clear_flush_young) while T2, the driver, allocates and initializes a
// notifier, registers it, faults the address into its secondary MMU, unregisters and frees it.
void run_mmu_notifier(const Config& cfg);

}  // namespace sf::models::mmu_notifier
