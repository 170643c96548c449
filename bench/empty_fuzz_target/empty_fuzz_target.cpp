// bench/empty_fuzz_target/empty_fuzz_target.cpp: a libFuzzer target that does nothing, the ceiling for fuzz_* executions per second.
#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)data;
  (void)size;
  return 0;
}
