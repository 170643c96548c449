// cli/catalogue.h: what this command line serves: the bundled models for `schedfuzz`, a user's own
// targets for a program built on schedfuzz/cli.h; and the path it was started as (for the commands
// it suggests).
#pragma once
#include <string_view>
#include <vector>

#include "schedfuzz/target.h"

namespace sf::cli {

void set_catalogue(const std::vector<Target>& targets, const char* program);
const char* program_path();
const char* program_name();  // its last path component: what messages start with
const std::vector<Target>& catalogue();
const Target* find_in_catalogue(std::string_view name);

}  // namespace sf::cli
