// models/vmap_purge/scenario.h: one execution of the lazy vmap purge model under a Config.
#pragma once
#include "models/vmap_purge/state.h"

namespace sf::models::vmap_purge {

// Runs cfg.scenario's threads, joins them, checks lazy_count at quiescence, runs one final
// purge_vmap_area_lazy and checks that nothing lazy is left (P4).
void run_vmap_purge(const Config& cfg);

}  // namespace sf::models::vmap_purge
