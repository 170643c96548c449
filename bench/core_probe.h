// bench/core_probe.h: how much of its core this process gets right now (`sf_bench core <N>`).
#pragma once

namespace sf::bench {

// Times N chains of 8 dependent register-register additions (one cycle each on every x86-64 core: the
// clock) and N rounds of 8 additions in 4 independent chains (as many per cycle as the core's
// integer units and its sibling hyperthread leave free), and prints {"ghz", "adds_per_cycle"}.
// On an AMD EPYC VM the clock stayed near 3.6 GHz while the additions per cycle moved between about
// 1.7 and 3.6 within minutes: a tenant on the sibling hyperthread took a share of the core. Code that
// runs at several instructions per cycle (schedfuzz) loses more to it than code that waits on
// memory (Relacy), so bench.py probes the core before each exec/s repetition.
int run_core_probe(int argc, char** argv);

}  // namespace sf::bench
