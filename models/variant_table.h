// models/variant_table.h: the shape most bundled targets share: a table of variants, each the
// model's default Config with a few knobs changed, run by one function.
#pragma once
#include <cstddef>

#include "models/registry.h"

namespace sf::models {

template <class Config>
struct VariantEntry {
  Variant v;
  Config cfg;
};

// The default Config with `set`'s changes: each variant names only what it changes.
template <class Config>
Config config_with(void (*set)(Config&)) {
  Config c;
  set(c);
  return c;
}

// A Target whose variants are `entries`; `body(i)` runs entry i.
template <class Config, std::size_t N>
Target table_target(const char* name, const char* what, const VariantEntry<Config> (&entries)[N],
                    void (*body)(int), unsigned default_budget) {
  Target t{name, what, {}, body};
  for (const VariantEntry<Config>& e : entries) t.variants.push_back(e.v);
  t.default_budget = default_budget;
  return t;
}

}  // namespace sf::models
