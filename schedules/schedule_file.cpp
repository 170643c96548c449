// schedules/schedule_file.cpp: printing and strict parsing of schedule files.
#include "schedules/schedule_file.h"

#include <unistd.h>

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "schedfuzz/limits.h"

namespace sf {

std::string format_schedule(const ScheduleFile& s) {
  std::string out = "schedfuzz-schedule v" + std::to_string(s.version) + "\n";
  out += "target " + s.target + "\n";
  out += "variant " + s.variant + "\n";
  out += "memory " + std::string(memory_mode_name(s.memory)) + "\n";
  out += "max-steps " + std::to_string(s.max_steps) + "\n";
  out += "expect " + (s.expect.empty() ? std::string("pass") : s.expect) + "\n";
  char buf[64];
  std::snprintf(buf, sizeof buf, "trace-hash 0x%016" PRIx64 "\n", s.trace_hash);
  out += buf;
  if (!s.message.empty()) {
    std::string m = s.message;
    for (char& c : m) if (c == '\n') c = ' ';
    out += "# " + m + "\n";
  }
  out += "decisions " + std::to_string(s.decisions.size()) + "\n";
  for (const Decision& d : s.decisions) {
    std::snprintf(buf, sizeof buf, "%c %u %u\n", kChoiceLetters[static_cast<int>(d.kind)], d.options, d.chosen);
    out += buf;
  }
  out += "end\n";
  return out;
}

bool parse_u64(std::string_view s, uint64_t* out) {
  if (s.empty() || s.size() > 20) return false;
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s.remove_prefix(2);
  }
  uint64_t v = 0;
  for (char c : s) {
    int d;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (base == 16 && c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else if (base == 16 && c >= 'A' && c <= 'F') d = c - 'A' + 10;
    else return false;
    if (v > (UINT64_MAX - d) / base) return false;
    v = v * base + d;
  }
  *out = v;
  return true;
}

namespace {

std::vector<std::string_view> words(std::string_view line) {
  std::vector<std::string_view> w;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != '\t' && line[j] != '\r') ++j;
    if (j > i) w.push_back(line.substr(i, j - i));
    i = j;
  }
  return w;
}

}  // namespace

RunOptions schedule_run_options(const ScheduleFile& s) {
  RunOptions o;
  o.memory = s.memory;
  o.max_steps = s.max_steps;
  o.plain_accesses_are_points = s.version == 1;
  o.joins_are_points = s.version <= 2;
  return o;
}

uint32_t schedule_version_for(const RunOptions& opts) {
  if (opts.plain_accesses_are_points) return 1;
  return opts.joins_are_points ? 2 : kScheduleVersion;
}

bool parse_schedule(std::string_view text, ScheduleFile* out, std::string* error) {
  ScheduleFile s;
  size_t pos = 0;
  int lineno = 0;
  bool header = false, ended = false, have_target = false, have_variant = false, have_count = false;
  uint64_t expected_count = 0;
  auto fail = [&](const std::string& why) {
    *error = "line " + std::to_string(lineno) + ": " + why;
    return false;
  };
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    ++lineno;
    if (size_t hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    auto w = words(line);
    if (w.empty()) continue;
    if (ended) return fail("text after 'end'");
    if (!header) {
      if (w.size() != 2 || w[0] != "schedfuzz-schedule")
        return fail("not a schedule file (expected 'schedfuzz-schedule v" + std::to_string(kScheduleVersion) + "')");
      s.version = 0;
      for (uint32_t v = 1; v <= kScheduleVersion; ++v) {
        if (w[1] == "v" + std::to_string(v)) s.version = v;
      }
      if (s.version == 0) {
        return fail("schedule format " + std::string(w[1]) + " is not one this schedfuzz reads (v1 to v" +
                    std::to_string(kScheduleVersion) + ")");
      }
      header = true;
      continue;
    }
    if (w[0] == "end") {
      if (w.size() != 1) return fail("'end' takes no value");
      ended = true;
      continue;
    }
    if (w[0].size() == 1 && have_count) {
      if (w.size() != 3) return fail("a decision is '<letter> <options> <chosen>'");
      int kind = -1;
      for (uint32_t k = 0; k < kChoiceKinds; ++k) if (w[0][0] == kChoiceLetters[k]) kind = static_cast<int>(k);
      if (kind < 0) return fail("unknown decision kind '" + std::string(w[0]) + "' (expected T, N, R, F or W)");
      uint64_t n, c;
      if (!parse_u64(w[1], &n) || !parse_u64(w[2], &c)) return fail("a decision's options and choice must be numbers");
      if (n < 2 || n > 1u << 20) return fail("a decision must have between 2 and 1048576 options");
      if (c >= n) return fail("a decision's choice must be below its number of options");
      if (s.decisions.size() >= expected_count) return fail("more decisions than 'decisions' announced");
      s.decisions.push_back(Decision{static_cast<ChoiceKind>(kind), static_cast<uint32_t>(n), static_cast<uint32_t>(c)});
      continue;
    }
    if (w.size() != 2) return fail("'" + std::string(w[0]) + "' takes exactly one value");
    if (have_count) return fail("header field '" + std::string(w[0]) + "' after the decisions began");
    uint64_t num = 0;
    if (w[0] == "target") {
      s.target = w[1];
      have_target = true;
    } else if (w[0] == "variant") {
      s.variant = w[1];
      have_variant = true;
    } else if (w[0] == "memory") {
      if (!parse_memory_mode(w[1], &s.memory)) return fail("unknown memory mode '" + std::string(w[1]) + "' (sc, tso, lkmm)");
    } else if (w[0] == "max-steps") {
      if (!parse_u64(w[1], &num) || num == 0 || num > 100000000) return fail("max-steps must be a number from 1 to 100000000");
      s.max_steps = static_cast<uint32_t>(num);
    } else if (w[0] == "expect") {
      s.expect = w[1];
    } else if (w[0] == "trace-hash") {
      if (!parse_u64(w[1], &s.trace_hash)) return fail("trace-hash must be a number");
    } else if (w[0] == "decisions") {
      if (!parse_u64(w[1], &expected_count) || expected_count > 100000000) return fail("decisions must be a count");
      have_count = true;
      s.decisions.reserve(static_cast<size_t>(std::min<uint64_t>(expected_count, 1u << 20)));
    } else {
      return fail("unknown field '" + std::string(w[0]) + "'");
    }
  }
  if (!header) return fail("empty file: not a schedule");
  if (!have_target || !have_variant) return fail("missing 'target' or 'variant'");
  if (!have_count) return fail("missing 'decisions'");
  if (s.decisions.size() != expected_count) return fail("truncated: " + std::to_string(s.decisions.size()) + " of " + std::to_string(expected_count) + " decisions");
  if (!ended) return fail("truncated: no 'end' line");
  if (s.max_steps == 0) s.max_steps = kDefaultMaxSteps;
  *out = std::move(s);
  return true;
}

bool read_schedule_file(const std::string& path, ScheduleFile* out, std::string* error) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {  // a folder opens, and then reads as nothing
    *error = path + ": a folder, not a schedule file";
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = path + ": cannot open: " + std::strerror(errno);
    return false;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  if (text.size() > (64u << 20)) {
    *error = path + ": larger than 64 MiB, not a schedule";
    return false;
  }
  if (text.find('\0') != std::string::npos) {
    *error = path + ": binary data, not a schedule";
    return false;
  }
  std::string why;
  if (!parse_schedule(text, out, &why)) {
    *error = path + ": " + why;
    return false;
  }
  return true;
}

bool write_file_atomically(const std::string& path, const std::string& content, std::string* error) {
  std::string tmp = path + ".tmp." + std::to_string(getpid());
  FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) {
    *error = path + ": cannot write: " + std::strerror(errno);
    return false;
  }
  bool ok = std::fwrite(content.data(), 1, content.size(), f) == content.size();
  ok = (std::fflush(f) == 0) && ok;
  ok = (std::fclose(f) == 0) && ok;
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    *error = path + ": cannot write: " + std::strerror(errno);
    std::remove(tmp.c_str());
    return false;
  }
  return true;
}

}  // namespace sf
