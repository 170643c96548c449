// cli/schedfuzz_main.cpp: the schedfuzz command: the command line over the bundled models.
#include "models/registry.h"
#include "schedfuzz/cli.h"

int main(int argc, char** argv) { return sf::run_cli(argc, argv, sf::models::targets()); }
