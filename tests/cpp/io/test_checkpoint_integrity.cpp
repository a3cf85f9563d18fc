// Checkpoint integrity: a damaged or altered checkpoint is refused with an error that names the
// file (and the array where a rule is broken); it never crashes the kernel and never restores a
// state other than the one written.
#include <gtest/gtest.h>
#include <hdf5.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <random>

#include "clustersim/errors.hpp"
#include "clustersim/io/checkpoint.hpp"
#include "clustersim/simulation.hpp"
#include "helpers.hpp"
#include "io/checkpoint_rules.hpp"

using namespace clustersim;

namespace {

// Per process: ctest runs each test in a process of its own, several at once, and every one
// writes the original checkpoint.
std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("clustersim-integrity-" + std::to_string(::getpid()) + "-" + name))
      .string();
}

// The bytes of every array and scalar of a state, by name: two states are the same when these
// are equal.
std::map<std::string, std::string> state_bytes(const Simulation& sim) {
  std::map<std::string, std::string> bytes;
  auto put = [&](const std::string& name, const auto* data, std::size_t n) {
    bytes[name] = std::string(reinterpret_cast<const char*>(data), n * sizeof(*data));
  };
  const RunState& state = sim.state();
  visit_state_arrays(state, [&](const std::string& name, const auto& values) {
    put(name, values.data(), values.size());
  });
  put("city/outside_revenue_cny", state.city.outside_revenue_cny.data(), leading_count);
  put("city/outside_talent", state.city.outside_talent.data(), leading_count);
  put("city/moved_in_revenue_cny", state.city.moved_in_revenue_cny.data(), leading_count);
  put("city/firms_moved_in", &state.city.firms_moved_in, 1);
  put("city/outside_vc_cny", &state.city.outside_vc_cny, 1);
  put("targets/year", state.targets.years().data(), state.targets.years().size());
  put("targets/values", state.targets.values().data(), state.targets.values().size());
  put("targets/met", state.targets.met().data(), state.targets.met().size());
  const std::int64_t counters[] = {static_cast<std::int64_t>(state.seed),
                                   state.steps_done,
                                   state.next_firm_id,
                                   state.first_new_firm_id,
                                   state.next_talent_id,
                                   state.next_deal_id};
  put("counters", counters, std::size(counters));
  std::string changes;
  for (const std::string& change : state.lever_changes) changes += change + "\n";
  bytes["lever_changes"] = changes;
  return bytes;
}

// A run of 14 months (a December behind it: titles, notices, targets; dead rows of this year
// still in the arrays), with the levers that give parks and incubators state to carry.
struct Original {
  Scenario scenario = test_support::small_scenario(0.02, 2024);
  std::string path = temp_path("original.h5");
  std::map<std::string, std::string> state;
  std::string file;

  Original() {
    scenario.set("policy.evaluation.ranking.intensity", 1.0);
    scenario.set("policy.evaluation.fail_score", 10.0);
    scenario.set("policy.incubation.new_incubators.intensity", 5.0);
    Simulation sim(scenario, 5, 2);
    while (sim.steps_done() < 14) sim.step();
    write_checkpoint(sim, path, {});
    state = state_bytes(sim);
    std::ifstream in(path, std::ios::binary);
    file.assign(std::istreambuf_iterator<char>(in), {});
  }
};

const Original& original() {
  static const Original* built = new Original();
  static const int removed_at_exit = std::atexit([] { std::remove(original().path.c_str()); });
  (void)removed_at_exit;
  return *built;
}

enum class Outcome { refused, same_state, other_state };

// Restores `path` and says what came of it; the refusal's message goes to `message`. Any
// exception other than the package's refusals escapes and fails the test.
Outcome restore(const std::string& path, std::string& message) {
  try {
    auto sim = restore_checkpoint(path, original().scenario, nullptr, 1);
    return state_bytes(*sim) == original().state ? Outcome::same_state : Outcome::other_state;
  } catch (const OutputError& e) {
    message = e.what();
  } catch (const ScenarioError& e) {
    message = e.what();
  }
  return Outcome::refused;
}

std::string copy_of_original(const std::string& name) {
  const std::string path = temp_path(name);
  std::filesystem::copy_file(original().path, path,
                             std::filesystem::copy_options::overwrite_existing);
  return path;
}

bool is_float(hid_t set) {
  const hid_t type = H5Dget_type(set);
  const bool result = H5Tget_class(type) == H5T_FLOAT;
  H5Tclose(type);
  return result;
}

// Element `index` of a dataset, through HDF5's conversion to and from double (exact for every
// stored type's values used here).
double element(hid_t set, hsize_t index) {
  const hid_t space = H5Dget_space(set);
  const hsize_t one = 1;
  H5Sselect_hyperslab(space, H5S_SELECT_SET, &index, nullptr, &one, nullptr);
  const hid_t memory = H5Screate_simple(1, &one, nullptr);
  double value = 0.0;
  H5Dread(set, H5T_NATIVE_DOUBLE, memory, space, H5P_DEFAULT, &value);
  H5Sclose(memory);
  H5Sclose(space);
  return value;
}

void set_element(hid_t set, hsize_t index, double value) {
  const hid_t space = H5Dget_space(set);
  const hsize_t one = 1;
  H5Sselect_hyperslab(space, H5S_SELECT_SET, &index, nullptr, &one, nullptr);
  const hid_t memory = H5Screate_simple(1, &one, nullptr);
  ASSERT_GE(H5Dwrite(set, H5T_NATIVE_DOUBLE, memory, space, H5P_DEFAULT, &value), 0);
  H5Sclose(memory);
  H5Sclose(space);
}

hsize_t length(hid_t set) {
  const hid_t space = H5Dget_space(set);
  hsize_t n = 0;
  H5Sget_simple_extent_dims(space, &n, nullptr);
  H5Sclose(space);
  return n;
}

// Writes `value` at `index` of `dataset` in a copy of the original; false where that changes
// nothing (the element already holds it).
bool altered_copy(const std::string& path, const std::string& dataset, hsize_t index,
                  double value) {
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  const hid_t set = H5Dopen2(file, dataset.c_str(), H5P_DEFAULT);
  // HDF5 saturates a value outside the stored type's range (-1 into uint8 is 0): what is
  // stored is read back to tell whether anything changed.
  const double before = element(set, index);
  set_element(set, index, value);
  const double after = element(set, index);
  const bool changes = !(before == after || (std::isnan(before) && std::isnan(after)));
  H5Dclose(set);
  H5Fclose(file);
  return changes;
}

void set_attribute(const std::string& path, const char* name, std::int64_t value) {
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  const hid_t attribute = H5Aopen(file, name, H5P_DEFAULT);
  H5Awrite(attribute, H5T_NATIVE_INT64, &value);
  H5Aclose(attribute);
  H5Fclose(file);
}

}  // namespace

TEST(CheckpointIntegrity, TheOriginalRestoresToTheStateItWrote) {
  std::string message;
  EXPECT_EQ(restore(original().path, message), Outcome::same_state) << message;
}

TEST(CheckpointIntegrity, EveryStoredArrayHasARule) {
  // A new column without a rule would make every restore fail; this names it first.
  const auto sim = restore_checkpoint(original().path, original().scenario, nullptr, 1);
  const auto rules = checkpoint_rules::state_rules(sim->state());
  visit_state_arrays(sim->state(), [&](const std::string& name, const auto&) {
    EXPECT_TRUE(rules.count(name)) << name;
  });
}

TEST(CheckpointIntegrity, RealStatesOfEveryMonthPassTheRules) {
  // No false alarms: the rules hold after every month of two years (dead rows mid-year,
  // compaction in December, parks notified), for a serial and a parallel run.
  for (int threads : {0, 2}) {
    Simulation sim(original().scenario, 11, threads);
    for (int month = 0; month < 26; ++month) {
      sim.step();
      EXPECT_NO_THROW(checkpoint_rules::check_state(sim.state(), "state"))
          << "after step " << sim.steps_done() << ", threads " << threads;
    }
  }
}

TEST(CheckpointIntegrity, OutOfRangeValuesNamedInTheIssueAreRefusedByName) {
  struct Case {
    const char* dataset;
    double value;
  };
  const Case cases[] = {{"firms/park", 30000},     {"firms/sector", 250},
                        {"deals/firm_index", 1e9}, {"firms/alive", 7},
                        {"firms/stage", 200},      {"talent/employer_index", 2e9},
                        {"incubators/park", -5}};
  for (const Case& c : cases) {
    const std::string path = copy_of_original("named.h5");
    ASSERT_TRUE(altered_copy(path, c.dataset, 0, c.value)) << c.dataset;
    std::string message;
    EXPECT_EQ(restore(path, message), Outcome::refused) << c.dataset;
    EXPECT_NE(message.find(std::string(c.dataset) + "[0]"), std::string::npos) << message;
    EXPECT_NE(message.find(path), std::string::npos) << message;
    std::remove(path.c_str());
  }
  // A NaN revenue (it gave "random stream exhausted" before).
  const std::string path = copy_of_original("nan.h5");
  ASSERT_TRUE(altered_copy(path, "firms/revenue_cny", 3, std::nan("")));
  std::string message;
  EXPECT_EQ(restore(path, message), Outcome::refused);
  EXPECT_NE(message.find("firms/revenue_cny[3] = nan"), std::string::npos) << message;
  // A counter below the ids in use.
  const std::string counter = copy_of_original("counter.h5");
  set_attribute(counter, "next_firm_id", -1);
  EXPECT_EQ(restore(counter, message), Outcome::refused);
  EXPECT_NE(message.find("next_firm_id = -1"), std::string::npos) << message;
  std::remove(path.c_str());
  std::remove(counter.c_str());
}

TEST(CheckpointIntegrity, AChangeWithinTheRulesIsCaughtByTheChecksum) {
  const std::string path = copy_of_original("within.h5");
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  const hid_t set = H5Dopen2(file, "firms/revenue_cny", H5P_DEFAULT);
  set_element(set, 2, element(set, 2) * 1.001);  // a plausible revenue, not the written one
  H5Dclose(set);
  H5Fclose(file);
  std::string message;
  EXPECT_EQ(restore(path, message), Outcome::refused);
  EXPECT_NE(message.find("checksum"), std::string::npos) << message;
  std::remove(path.c_str());
}

TEST(CheckpointIntegrity, HostileValuesInEveryArrayAreRefused) {
  // Every stored array, at its first, middle and last element: values out of every rule's range
  // (or, for columns that accept any number, a changed one, which the checksum catches).
  const std::string path = copy_of_original("hostile.h5");
  int cases = 0;
  for (const auto& [name, bytes] : original().state) {
    if (bytes.empty() || name == "counters" || name == "lever_changes" ||
        name == "city/firms_moved_in" || name == "city/outside_vc_cny") {
      continue;
    }
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    const hid_t set = H5Dopen2(file, name.c_str(), H5P_DEFAULT);
    ASSERT_GE(set, 0) << name;
    const hsize_t n = length(set);
    const bool floating = is_float(set);
    H5Dclose(set);
    H5Fclose(file);
    std::vector<double> values = {-1.0, 127.0, 30000.0};
    if (floating) values = {std::nan(""), std::numeric_limits<double>::infinity(), -1e300};
    for (hsize_t index : {hsize_t{0}, n / 2, n - 1}) {
      for (double value : values) {
        std::filesystem::copy_file(original().path, path,
                                   std::filesystem::copy_options::overwrite_existing);
        if (!altered_copy(path, name, index, value)) continue;
        ++cases;
        std::string message;
        EXPECT_EQ(restore(path, message), Outcome::refused)
            << name << "[" << index << "] = " << value;
        EXPECT_TRUE(message.find(name) != std::string::npos ||
                    message.find("checksum") != std::string::npos)
            << message;
      }
    }
  }
  EXPECT_GT(cases, 300);  // every array was reached
  std::remove(path.c_str());
}

TEST(CheckpointIntegrity, RandomBitFlipsNeverRestoreAnotherState) {
  // 300 single-bit flips anywhere in the file (data, HDF5 metadata, attributes), from a fixed
  // seed: each is refused, or lands where nothing is read (padding, free space) and the restore
  // gives back the written state exactly.
  const std::string& bytes = original().file;
  const std::string path = temp_path("flipped.h5");
  std::mt19937_64 positions(20261205);
  std::uniform_int_distribution<std::size_t> bit(0, bytes.size() * 8 - 1);
  int refused = 0, same = 0;
  for (int flip = 0; flip < 300; ++flip) {
    const std::size_t at = bit(positions);
    std::string damaged = bytes;
    damaged[at / 8] = static_cast<char>(damaged[at / 8] ^ (1 << (at % 8)));
    {
      std::ofstream out(path, std::ios::binary | std::ios::trunc);
      out.write(damaged.data(), static_cast<std::streamsize>(damaged.size()));
    }
    std::string message;
    const Outcome outcome = restore(path, message);
    EXPECT_NE(outcome, Outcome::other_state) << "bit " << at << " of " << bytes.size() * 8;
    if (outcome == Outcome::refused) {
      ++refused;
      EXPECT_NE(message.find(path), std::string::npos) << message;
    } else if (outcome == Outcome::same_state) {
      ++same;
    }
  }
  // Most of the file is the arrays' values, so most flips must be caught, not land in padding.
  EXPECT_GT(refused, 200) << refused << " refused, " << same << " restored unchanged";
  std::remove(path.c_str());
}
