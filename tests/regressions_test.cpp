// tests/regressions_test.cpp: every schedule under corpus/regressions keeps failing on its bug
// variant exactly as recorded (kind and trace hash), twice in a row, and the same decisions run on
// the target's correct form (replayed leniently, as the decision structure differs) do not fail.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "models/registry.h"
#include "schedules/explore.h"
#include "schedules/schedule_file.h"

using namespace sf;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> regression_files() {
  std::vector<std::string> files;
  fs::path root = fs::path(SF_SOURCE_DIR) / "corpus" / "regressions";
  if (!fs::exists(root)) return files;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (e.is_regular_file() && e.path().extension() == ".sched") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

using Call = models::TargetCall;

TEST(Regressions, CorpusIsNotEmpty) { EXPECT_GE(regression_files().size(), 20u); }

class Regression : public testing::TestWithParam<std::string> {};

TEST_P(Regression, ReplaysExactlyAndPassesOnTheCorrectForm) {
  ScheduleFile f;
  std::string error;
  ASSERT_TRUE(read_schedule_file(GetParam(), &f, &error)) << error;
  const models::Target* t = models::find_target(f.target);
  ASSERT_NE(t, nullptr) << f.target;
  int v = models::find_variant(*t, f.variant);
  ASSERT_GE(v, 0) << f.variant;
  RunOptions opts = schedule_run_options(f);
  Engine engine;
  Call call{t, v};
  for (int i = 0; i < 2; ++i) {
    ReplayResult r = replay(engine, &Call::body, &call, f.decisions, opts);
    EXPECT_TRUE(r.divergence.empty()) << r.divergence;
    EXPECT_EQ(r.outcome.failure_name(), f.expect);
    EXPECT_EQ(r.outcome.trace_hash, f.trace_hash);
  }
  Call correct{t, models::find_variant(*t, "correct")};
  ASSERT_GE(correct.variant, 0);
  ReplayResult ok = replay(engine, &Call::body, &correct, f.decisions, opts, /*lenient=*/true);
  EXPECT_FALSE(ok.outcome.failed()) << "the correct form fails on " << GetParam() << ": " << ok.outcome.message;
}

std::string file_name(const testing::TestParamInfo<std::string>& info) {
  std::string n = fs::path(info.param).stem().string();
  for (char& c : n) if (!isalnum(static_cast<unsigned char>(c))) c = '_';
  return n;
}

INSTANTIATE_TEST_SUITE_P(Corpus, Regression, testing::ValuesIn(regression_files()), file_name);

// Replays every schedule of an older format kept in tests/fixtures/<folder>: each still replays
// exactly with the choice points of its format (schedule_run_options), and without the point that
// format had and the current one has not (`drop`) at least one of them no longer does (the
// fixtures include schedules that take a decision at such a point: else the test proves nothing).
void replay_old_format(const char* folder, uint32_t version, bool RunOptions::*points, const char* what) {
  fs::path dir = fs::path(SF_SOURCE_DIR) / "tests" / "fixtures" / folder;
  size_t files = 0, off_without = 0;
  Engine engine;
  for (const auto& e : fs::directory_iterator(dir)) {
    ScheduleFile f;
    std::string error;
    ASSERT_TRUE(read_schedule_file(e.path().string(), &f, &error)) << error;
    ASSERT_EQ(f.version, version) << e.path();
    ++files;
    const models::Target* t = models::find_target(f.target);
    ASSERT_NE(t, nullptr) << f.target;
    Call call{t, models::find_variant(*t, f.variant)};
    ASSERT_GE(call.variant, 0) << f.variant;
    RunOptions opts = schedule_run_options(f);
    EXPECT_TRUE(opts.*points);
    EXPECT_TRUE(opts.joins_are_points);  // joins were points in every format before v3
    ReplayResult r = replay(engine, &Call::body, &call, f.decisions, opts);
    EXPECT_TRUE(r.divergence.empty()) << e.path() << ": " << r.divergence;
    EXPECT_EQ(r.outcome.failure_name(), f.expect) << e.path();
    EXPECT_EQ(r.outcome.trace_hash, f.trace_hash) << e.path();
    opts.*points = false;
    ReplayResult now = replay(engine, &Call::body, &call, f.decisions, opts);
    if (!now.divergence.empty() || now.outcome.trace_hash != f.trace_hash) ++off_without;
  }
  EXPECT_EQ(files, 3u);
  EXPECT_GE(off_without, 1u) << "no v" << version << " fixture depends on " << what << ": the test proves nothing";
}

// Schedules saved while plain accesses (and joins) were schedule points (format v1).
TEST(Regressions, VersionOneSchedulesReplayWithTheirOwnChoicePoints) {
  replay_old_format("schedules_v1", 1, &RunOptions::plain_accesses_are_points, "var<T> access points");
}

// Schedules saved while joins were schedule points (format v2).
TEST(Regressions, VersionTwoSchedulesReplayWithJoinPoints) {
  replay_old_format("schedules_v2", 2, &RunOptions::joins_are_points, "join points");
}

TEST(Regressions, ScheduleFilesNameTheirFormat) {
  ScheduleFile f;
  f.target = "t";
  f.variant = "v";
  f.max_steps = 1000;
  std::string text = format_schedule(f);
  EXPECT_EQ(text.rfind("schedfuzz-schedule v3\n", 0), 0u) << text;
  ScheduleFile back;
  std::string error;
  ASSERT_TRUE(parse_schedule(text, &back, &error)) << error;
  EXPECT_EQ(back.version, 3u);
  EXPECT_FALSE(schedule_run_options(back).plain_accesses_are_points);
  EXPECT_FALSE(schedule_run_options(back).joins_are_points);
  // A run's options name the format its schedules are saved in.
  RunOptions o;
  EXPECT_EQ(schedule_version_for(o), 3u);
  o.joins_are_points = true;
  EXPECT_EQ(schedule_version_for(o), 2u);
  o.plain_accesses_are_points = true;
  EXPECT_EQ(schedule_version_for(o), 1u);
  text.replace(0, std::string("schedfuzz-schedule v3").size(), "schedfuzz-schedule v9");
  EXPECT_FALSE(parse_schedule(text, &back, &error));
  EXPECT_NE(error.find("v9 is not one this schedfuzz reads"), std::string::npos) << error;
}

}  // namespace
