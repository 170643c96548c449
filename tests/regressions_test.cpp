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
  RunOptions opts;
  opts.memory = f.memory;
  opts.max_steps = f.max_steps;
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

}  // namespace
