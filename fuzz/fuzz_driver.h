// fuzz/fuzz_driver.h: the libFuzzer glue shared by every fuzz target: options passed through
// libFuzzer (--variant=NAME, --memory=MODE), one execution per input, and on failure the trace.
#pragma once
#include <cstddef>
#include <cstdint>

namespace sf::fuzz {

// Reads --variant=, --memory= and --feedback=1 (reads-from pairs as extra coverage counters) from
// argv: libFuzzer leaves flags that start with "--" alone.
void init(const char* target, int* argc, char*** argv);
// Runs one execution with choices from `data`; on a failure prints the trace and aborts, so that
// libFuzzer saves the input as a crash.
int run_one(const uint8_t* data, size_t size);

}  // namespace sf::fuzz
