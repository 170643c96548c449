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

const Target* find_target(std::string_view name) {
  for (const Target& t : targets()) {
    if (name == t.name) return &t;
  }
  return nullptr;
}

int find_variant(const Target& t, std::string_view variant) {
  for (size_t i = 0; i < t.variants.size(); ++i) {
    if (variant == t.variants[i].name) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace sf::models
