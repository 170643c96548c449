// fuzz/fuzz_vmap_purge.cpp: libFuzzer target for the lazy vmap purge.
#include "models/registry.h"
#include "schedfuzz/fuzz.h"

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  sf::fuzz_init(*sf::models::find_target("vmap_purge"), argc, argv);
  return 0;
}
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) { return sf::fuzz_one(data, size); }
