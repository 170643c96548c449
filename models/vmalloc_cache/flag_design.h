// models/vmalloc_cache/flag_design.h: the single-flag cache design (Ingo's v2) and its two orders.
#pragma once

namespace sf::models::vmalloc {

enum class FlagOrder {
  clear_before_calc,    // (a) a second caller returns the old cache while the first computes
  clear_after_install,  // (b) an older refresher installs last and leaves stale data marked valid
};

void run_flag_design(FlagOrder order);

}  // namespace sf::models::vmalloc
