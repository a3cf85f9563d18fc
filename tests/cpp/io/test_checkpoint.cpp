// Checkpoint, restore and fork: a restored run continues bit for bit.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "clustersim/errors.hpp"
#include "clustersim/io/checkpoint.hpp"
#include "clustersim/simulation.hpp"
#include "helpers.hpp"

using namespace clustersim;

namespace {

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("clustersim-test-" + name)).string();
}

bool same(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() &&
         (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
}

void expect_same_state(const Simulation& a, const Simulation& b) {
  EXPECT_TRUE(test_support::same_bits(a.firms(), b.firms()));
  EXPECT_TRUE(test_support::same_bits(a.talent(), b.talent()));
  EXPECT_TRUE(test_support::same_bits(a.incubators(), b.incubators()));
  EXPECT_TRUE(test_support::same_bits(a.funds(), b.funds()));
  EXPECT_TRUE(test_support::same_bits(a.deals(), b.deals()));
  for (const SeriesInfo& info : SeriesBook::catalogue()) {
    EXPECT_TRUE(same(a.series().values(info.name), b.series().values(info.name))) << info.name;
  }
  for (const SeriesInfo& info : SeriesBook::city_catalogue()) {
    EXPECT_TRUE(same(a.series().city_values(info.name), b.series().city_values(info.name)))
        << info.name;
  }
  EXPECT_TRUE(same(a.targets().values(), b.targets().values()));
  EXPECT_EQ(a.next_firm_id(), b.next_firm_id());
  EXPECT_EQ(a.first_new_firm_id(), b.first_new_firm_id());
  EXPECT_EQ(a.next_talent_id(), b.next_talent_id());
}

Scenario with_levers() {
  Scenario scenario = test_support::small_scenario(0.02, 2025);
  scenario.set("policy.evaluation.ranking.intensity", 1.0);
  scenario.set("policy.evaluation.fail_score", 10.0);  // notices and removals to carry over
  scenario.set("policy.land.supply.intensity", 1.0);
  scenario.set("policy.incubation.new_incubators.intensity", 5.0);
  return scenario;
}

}  // namespace

TEST(Checkpoint, RestoredRunsContinueBitForBit) {
  // Mid-year (dead rows still in the arrays), right after a December (compaction, evaluation),
  // and in a later year.
  const Scenario scenario = with_levers();
  Simulation whole(scenario, 9, 2);
  whole.run_until(2025);
  for (std::uint32_t at : {5u, 12u, 30u}) {
    Simulation first(scenario, 9, 2);
    while (first.steps_done() < at) first.step();
    const std::string path = temp_path("restore-" + std::to_string(at) + ".h5");
    write_checkpoint(first, path, {{"note", "test"}});
    auto resumed = restore_checkpoint(path, scenario, nullptr, 1);  // another thread count
    EXPECT_EQ(resumed->steps_done(), at);
    EXPECT_EQ(resumed->seed(), 9u);
    resumed->run_until(2025);
    SCOPED_TRACE(at);
    expect_same_state(whole, *resumed);
    std::remove(path.c_str());
  }
}

TEST(Checkpoint, AForkChangesOnlyWhatItsScenarioChanges) {
  const Scenario scenario = with_levers();
  Simulation first(scenario, 9, 2);
  first.run_until(2023);
  const std::string path = temp_path("fork.h5");
  write_checkpoint(first, path, {});
  Scenario changed = scenario;
  changed.set("policy.talent.training.intensity", 3.0);
  changed.set("policy.talent.training.start_year", std::int64_t{2024});
  auto fork = restore_checkpoint(path, changed, nullptr, 2);
  auto same_future = restore_checkpoint(path, scenario, nullptr, 2);
  fork->run_until(2025);
  same_future->run_until(2025);
  // Identical past, different future.
  const auto& a = fork->series().values("talent_arrivals");
  const auto& b = same_future->series().values("talent_arrivals");
  const std::size_t past = 24 * fork->parks().size() * sector_count;
  EXPECT_EQ(std::memcmp(a.data(), b.data(), past * sizeof(double)), 0);
  EXPECT_NE(a, b);
  std::remove(path.c_str());
}

TEST(Checkpoint, ForeignTruncatedAndIncompatibleFilesAreRefused) {
  const Scenario scenario = test_support::small_scenario(0.02, 2023);
  const std::string text = temp_path("not-hdf5.h5");
  std::ofstream(text) << "not a checkpoint";
  EXPECT_THROW((void)restore_checkpoint(text, scenario, nullptr, 1), OutputError);

  Simulation sim(scenario, 3, 1);
  sim.step();
  const std::string path = temp_path("truncated.h5");
  write_checkpoint(sim, path, {});
  const auto size = std::filesystem::file_size(path);
  std::filesystem::resize_file(path, size / 2);
  EXPECT_THROW((void)restore_checkpoint(path, scenario, nullptr, 1), OutputError);

  write_checkpoint(sim, path, {});
  Scenario other_scale = scenario;
  other_scale.set("scale", 0.05);
  try {
    (void)restore_checkpoint(path, other_scale, nullptr, 1);
    FAIL() << "expected a ScenarioError";
  } catch (const ScenarioError& error) {
    EXPECT_EQ(error.key(), "scale");
  }
  std::remove(path.c_str());
  std::remove(text.c_str());
}
