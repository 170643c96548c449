// bench/clock_probe.h: the core's effective clock right now (`sf_bench clock <N>`).
#pragma once

namespace sf::bench {

// Times N chains of 8 dependent register additions (1 cycle each on every x86-64 core) and prints
// {"ghz": cycles per ns}. On these VMs it moves between about 2.2 and 3.6 GHz within minutes; code
// that runs at many instructions per cycle (schedfuzz) slows with it more than code that waits on
// memory (Relacy), so bench.py probes it before each exec/s repetition.
int run_clock(int argc, char** argv);

}  // namespace sf::bench
