#include <gtest/gtest.h>
#include <hdf5.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "clustersim/errors.hpp"
#include "helpers.hpp"

using namespace clustersim;
namespace fs = std::filesystem;

namespace {
fs::path temp_dir() {
  fs::path dir =
      fs::temp_directory_path() / ("clustersim-test-" + std::to_string(::getpid()) + "-" +
                                   ::testing::UnitTest::GetInstance()->current_test_info()->name());
  fs::create_directories(dir);
  return dir;
}

std::int64_t read_int_attribute(const fs::path& file, const char* name) {
  const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  EXPECT_GE(f, 0);
  const hid_t a = H5Aopen(f, name, H5P_DEFAULT);
  std::int64_t value = -1;
  H5Aread(a, H5T_NATIVE_INT64, &value);
  H5Aclose(a);
  H5Fclose(f);
  return value;
}
}  // namespace

TEST(ResultsWriter, FinishedFileIsRenamedAndMarkedComplete) {
  const fs::path dir = temp_dir();
  const fs::path out = dir / "out.h5";
  Simulation sim(test_support::small_scenario(0.02, 2022), 1, 2);
  sim.open_output(out.string(), {{"seed", "1"}});
  EXPECT_TRUE(fs::exists(out.string() + ".partial"));
  EXPECT_FALSE(fs::exists(out));
  EXPECT_EQ(read_int_attribute(out.string() + ".partial", "complete"), 0);
  sim.run_until(2022);
  sim.close_output({{"end_time", "now"}});
  EXPECT_TRUE(fs::exists(out));
  EXPECT_FALSE(fs::exists(out.string() + ".partial"));
  EXPECT_EQ(read_int_attribute(out, "complete"), 1);
  EXPECT_EQ(read_int_attribute(out, "format_version"), 2);
  fs::remove_all(dir);
}

TEST(ResultsWriter, AnAbandonedRunLeavesOnlyAnIncompletePartialFile) {
  const fs::path dir = temp_dir();
  const fs::path out = dir / "out.h5";
  {
    Simulation sim(test_support::small_scenario(0.02, 2023), 1, 2);
    sim.open_output(out.string(), {});
    sim.run_until(2022);  // a snapshot is written, then the run stops early
    sim.abandon_output();
  }
  EXPECT_FALSE(fs::exists(out));
  ASSERT_TRUE(fs::exists(out.string() + ".partial"));
  EXPECT_EQ(read_int_attribute(out.string() + ".partial", "complete"), 0);
  fs::remove_all(dir);
}

TEST(ResultsWriter, UnwritableDirectoryIsAClearError) {
  Simulation sim(test_support::small_scenario(0.02, 2022), 1, 1);
  try {
    sim.open_output("/nonexistent-dir/out.h5", {});
    FAIL();
  } catch (const OutputError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent-dir/out.h5"), std::string::npos);
  }
  EXPECT_FALSE(sim.output_open());
}
