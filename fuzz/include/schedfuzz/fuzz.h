// schedfuzz/fuzz.h: the libFuzzer glue, for a fuzz target of your own (or a bundled one): libFuzzer's
// bytes become the execution's choices (one byte per decision, byte % options; an exhausted input
// keeps defaults), a failure prints its trace and aborts so that libFuzzer saves the input.
//
//   #include "schedfuzz/fuzz.h"
//   extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
//     sf::fuzz_init(my_target, argc, argv);   // an sf::Target (schedfuzz/target.h) that outlives it
//     return 0;
//   }
//   extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) { return sf::fuzz_one(data, size); }
//
// Link with sf_fuzz and -fsanitize=fuzzer (see examples/ticket_lock/). The target's options pass
// through libFuzzer: --variant=NAME (default correct), --memory=sc|tso|lkmm (default sc), and
// --feedback=1 (reads-from pairs as extra coverage counters).
#pragma once
#include <cstddef>
#include <cstdint>

#include "schedfuzz/target.h"

namespace sf {

void fuzz_init(const Target& target, int* argc, char*** argv);
int fuzz_one(const uint8_t* data, size_t size);

}  // namespace sf
