// cli/swimlane.h: a trace as an HTML page with one SVG swimlane: a column per thread, a row per
// event, and an arrow from each store to the loads that read it (red when the load read a store
// already overwritten).
#pragma once
#include <string>

#include "schedfuzz/trace.h"

namespace sf::cli {

std::string render_swimlane_html(const Trace& t, const std::string& title, const std::string& verdict);

}  // namespace sf::cli
