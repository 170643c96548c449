// cli/target_call.h: TargetCall, the bridge from a registry target and variant to an engine Body.
#pragma once
#include "models/registry.h"
#include "schedfuzz/engine.h"

namespace sf::cli {

struct TargetCall {
  const models::Target* target;
  int variant;
  static void body(void* self) {
    auto* c = static_cast<TargetCall*>(self);
    c->target->body(c->variant);
  }
};

}  // namespace sf::cli
