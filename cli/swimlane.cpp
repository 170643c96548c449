// cli/swimlane.cpp: see swimlane.h. Plain SVG in one self-contained page (no script): hovering an
// event shows its full trace line.
#include "cli/swimlane.h"

#include <algorithm>
#include <map>
#include <utility>

namespace sf::cli {

namespace {

constexpr int kLeft = 56;       // room for the step numbers
constexpr int kTop = 48;        // room for the thread headers
constexpr int kColumn = 330;    // one thread's lane
constexpr int kRow = 20;
constexpr size_t kMaxRows = 4000;  // a livelock's 20,000 steps would make an unreadable page

std::string escape(const std::string& s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '&': o += "&amp;"; break;
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '"': o += "&quot;"; break;
      default: o += c;
    }
  }
  return o;
}

bool is_store(Op op) {
  return op == Op::write_once || op == Op::store_release || op == Op::rmw_relaxed || op == Op::rmw_full;
}
bool is_load(Op op) {
  return op == Op::read_once || op == Op::load_acquire || op == Op::cmpxchg_fail || op == Op::rmw_relaxed ||
         op == Op::rmw_full;
}

// The lane colour of an operation, by what it does.
const char* fill_of(Op op) {
  switch (op) {
    case Op::read_once: case Op::load_acquire: case Op::plain_read: case Op::cmpxchg_fail: return "#e3eefc";
    case Op::write_once: case Op::store_release: case Op::plain_write: case Op::buffer_flush: return "#fdebd3";
    case Op::rmw_relaxed: case Op::rmw_full: return "#efe1fa";
    case Op::fence_rmb: case Op::fence_wmb: case Op::fence_mb: return "#e2f5e1";
    case Op::block: return "#fadadd";
    default: return "#f2f2f2";
  }
}

std::string num(int v) { return std::to_string(v); }

}  // namespace

std::string render_swimlane_html(const Trace& t, const std::string& title, const std::string& verdict) {
  size_t rows = std::min(t.events.size(), kMaxRows);
  int threads = 1;
  for (size_t i = 0; i < rows; ++i) threads = std::max(threads, t.events[i].tid + 1);
  int width = kLeft + threads * kColumn + 16;
  int height = kTop + static_cast<int>(rows) * kRow + 16;
  auto lane_x = [](int tid) { return kLeft + tid * kColumn; };
  auto row_y = [](size_t i) { return kTop + static_cast<int>(i) * kRow; };

  std::string svg;
  svg += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(width) + "\" height=\"" + num(height) +
         "\" font-family=\"monospace\" font-size=\"12\">\n";
  svg += "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" "
         "markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#5b6b7f\"/></marker>"
         "<marker id=\"arrow-stale\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" "
         "orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#d0312d\"/></marker></defs>\n";
  for (int tid = 0; tid < threads; ++tid) {
    int x = lane_x(tid);
    svg += "<rect x=\"" + num(x) + "\" y=\"" + num(kTop - 28) + "\" width=\"" + num(kColumn - 8) + "\" height=\"" +
           num(static_cast<int>(rows) * kRow + 28) + "\" fill=\"none\" stroke=\"#c8ced6\"/>\n";
    svg += "<text class=\"lane\" x=\"" + num(x + 8) + "\" y=\"" + num(kTop - 10) + "\" font-weight=\"bold\">T" +
           num(tid) + "</text>\n";
  }
  // Events: a box in the lane of their thread, the step at the left, the whole line on hover.
  std::map<std::pair<uint32_t, uint32_t>, size_t> store_row;  // (step, location) -> row
  for (size_t i = 0; i < rows; ++i) {
    const Event& e = t.events[i];
    int x = lane_x(e.tid), y = row_y(i);
    svg += "<g class=\"event\"><title>" + escape(render_event(t, e)) + "</title>";
    svg += "<text x=\"4\" y=\"" + num(y + 14) + "\" fill=\"#7a8591\">" + num(static_cast<int>(e.step)) + "</text>";
    svg += "<rect x=\"" + num(x + 2) + "\" y=\"" + num(y + 1) + "\" width=\"" + num(kColumn - 12) + "\" height=\"" +
           num(kRow - 2) + "\" rx=\"3\" fill=\"" + fill_of(e.op) + "\"/>";
    std::string text = render_operation(t, e);
    if (text.size() > 44) text = text.substr(0, 43) + "\u2026";
    svg += "<text x=\"" + num(x + 8) + "\" y=\"" + num(y + 14) + "\">" + escape(text) + "</text></g>\n";
    if (is_store(e.op)) store_row[{e.step, e.obj}] = i;
  }
  // Reads-from: from the store's box to the load's, red when the load read an overwritten store.
  for (size_t i = 0; i < rows; ++i) {
    const Event& e = t.events[i];
    if (!is_load(e.op) || e.rf_step == kNoStep) continue;
    auto it = store_row.find({e.rf_step, e.obj});
    if (it == store_row.end() || it->second == i) continue;
    const Event& s = t.events[it->second];
    // Leave the store's box on the side facing the load's lane; enter the load's on the side facing
    // the store's (a load in the store's own lane: out and back in on the right, bulging outwards).
    int left_edge_s = lane_x(s.tid) + 2, right_edge_s = lane_x(s.tid) + kColumn - 10;
    int left_edge_l = lane_x(e.tid) + 2, right_edge_l = lane_x(e.tid) + kColumn - 10;
    int x1, x2, c1, c2;
    if (e.tid > s.tid) {
      x1 = right_edge_s, x2 = left_edge_l, c1 = x1 + 30, c2 = x2 - 30;
    } else if (e.tid < s.tid) {
      x1 = left_edge_s, x2 = right_edge_l, c1 = x1 - 30, c2 = x2 + 30;
    } else {
      x1 = right_edge_s, x2 = right_edge_l, c1 = x1 + 40, c2 = x2 + 40;
    }
    int y1 = row_y(it->second) + kRow / 2, y2 = row_y(i) + kRow / 2;
    svg += std::string("<path class=\"rf") + (e.stale ? " stale" : "") + "\" d=\"M" + num(x1) + "," + num(y1) +
           " C" + num(c1) + "," + num(y1) + " " + num(c2) + "," + num(y2) + " " + num(x2) + "," + num(y2) +
           "\" fill=\"none\" stroke=\"" + (e.stale ? "#d0312d" : "#5b6b7f") + "\" stroke-width=\"1.2\" marker-end=\"url(#" +
           (e.stale ? "arrow-stale" : "arrow") + ")\"/>\n";
  }
  svg += "</svg>\n";

  std::string html = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + escape(title) +
                     "</title></head>\n<body style=\"font-family: sans-serif\">\n<h3>" + escape(title) + "</h3>\n";
  html += "<p>A column per thread, a row per event; an arrow from each store to the load that read it "
          "(red: the load read a store already overwritten). Hover an event for its trace line.</p>\n";
  if (rows < t.events.size())
    html += "<p>The first " + std::to_string(rows) + " of " + std::to_string(t.events.size()) + " events.</p>\n";
  html += svg;
  html += "<pre>" + escape(verdict) + "</pre>\n</body></html>\n";
  return html;
}

}  // namespace sf::cli
