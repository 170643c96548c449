// fuzz/fuzz_vmalloc_cache.cpp: libFuzzer target for the vmalloc info cache.
#include "models/registry.h"
#include "schedfuzz/fuzz.h"

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  sf::fuzz_init(*sf::models::find_target("vmalloc_cache"), argc, argv);
  return 0;
}
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) { return sf::fuzz_one(data, size); }
