// models/registry.h: the catalogue of bundled models that the schedfuzz command, the fuzz targets,
// the tests and the benchmarks read (Target and Variant: schedfuzz/target.h).
#pragma once
#include <string_view>
#include <vector>

#include "schedfuzz/target.h"

namespace sf::models {

using sf::Target;
using sf::TargetCall;
using sf::Variant;
using sf::find_variant;

const std::vector<Target>& targets();
const Target* find_target(std::string_view name);

}  // namespace sf::models
