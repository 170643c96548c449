// models/registry.cpp: the list of bundled targets (add a new model here).
#include "models/registry.h"

namespace sf::models {

const Target& vmalloc_cache_target();
const Target& vmap_purge_target();
const Target& futex_vcache_target();
const Target& mmu_notifier_target();

const std::vector<Target>& targets() {
  static const std::vector<Target> all = {
      vmalloc_cache_target(),
      vmap_purge_target(),
      futex_vcache_target(),
      mmu_notifier_target(),
  };
  return all;
}

const Target* find_target(std::string_view name) { return sf::find_target(targets(), name); }

}  // namespace sf::models
