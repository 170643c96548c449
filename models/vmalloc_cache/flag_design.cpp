// models/vmalloc_cache/flag_design.cpp: Ingo Molnar's v2 cache: one "vmap_info_changed" flag set
// by every vmap change, cleared by the refresher. George Spelvin's review found two races in it.
#include "models/vmalloc_cache/flag_design.h"

#include "models/vmalloc_cache/scenario.h"

namespace sf::models::vmalloc {

namespace {

struct FlagCache {
  FlagOrder order;
  VmapState s;
  shared<int> changed{1, "vmap_info_changed"};  // the cache starts out invalid
  shared<uint32_t> cache_used{0, "cache.used"};
  shared<uint32_t> cache_largest{0, "cache.largest"};
  spinlock_t info_lock{"info_lock"};

  explicit FlagCache(FlagOrder o) : order(o) {}

  void mutate_once() {
    mutate(s, [&] { WRITE_ONCE(changed, 1); });
  }

  Info copy_cache() {
    spin_lock(info_lock);
    Info v{READ_ONCE(cache_used), READ_ONCE(cache_largest)};
    spin_unlock(info_lock);
    return v;
  }

  Info get_vmalloc_info() {
    if (!READ_ONCE(changed)) return copy_cache();
    if (order == FlagOrder::clear_before_calc) WRITE_ONCE(changed, 0);
    Info v = calc_vmalloc_info(s, CalcMode::locked);
    spin_lock(info_lock);
    WRITE_ONCE(cache_used, v.used);
    WRITE_ONCE(cache_largest, v.largest);
    if (order == FlagOrder::clear_after_install) WRITE_ONCE(changed, 0);
    spin_unlock(info_lock);
    return v;
  }
};

}  // namespace

void run_flag_design(FlagOrder order) {
  FlagCache c(order);
  run_scenario(c.s, false, [&] { c.mutate_once(); }, [&] { return c.get_vmalloc_info(); });
}

}  // namespace sf::models::vmalloc
