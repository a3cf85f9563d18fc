#include <gtest/gtest.h>
#include <hdf5.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "clustersim/errors.hpp"
#include "clustersim/io/results_writer.hpp"
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
  open_output(sim, out.string(), {{"seed", "1"}});
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
    open_output(sim, out.string(), {});
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
    open_output(sim, "/nonexistent-dir/out.h5", {});
    FAIL();
  } catch (const OutputError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent-dir/out.h5"), std::string::npos);
  }
  EXPECT_FALSE(sim.output_open());
}

namespace {

// Every dataset of a file: its name, then its stored (compressed) chunks' bytes, or, for the
// unchunked string datasets, their values.
struct Stored {
  std::map<std::string, std::vector<std::string>> datasets;
};

herr_t collect(hid_t file, const char* name, const H5O_info_t* info, void* out) {
  if (info->type != H5O_TYPE_DATASET) return 0;
  auto& stored = static_cast<Stored*>(out)->datasets[name];
  const hid_t set = H5Dopen2(file, name, H5P_DEFAULT);
  const hid_t type = H5Dget_type(set);
  if (H5Tis_variable_str(type) > 0) {
    const hid_t space = H5Dget_space(set);
    std::vector<char*> values(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)));
    H5Dread(set, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data());
    for (char* v : values) stored.emplace_back(v);
    H5Dvlen_reclaim(type, space, H5P_DEFAULT, values.data());
    H5Sclose(space);
  } else {
    hsize_t chunks = 0;
    H5Dget_num_chunks(set, H5S_ALL, &chunks);
    for (hsize_t c = 0; c < chunks; ++c) {
      hsize_t offset[4] = {0, 0, 0, 0}, size = 0;
      haddr_t address = 0;
      unsigned mask = 0;
      H5Dget_chunk_info(set, H5S_ALL, c, offset, &mask, &address, &size);
      std::string bytes(size, '\0');
      std::uint32_t filters = 0;
      H5Dread_chunk(set, H5P_DEFAULT, offset, &filters, bytes.data());
      stored.push_back(std::to_string(address) + ":" + bytes);
    }
  }
  H5Tclose(type);
  H5Dclose(set);
  return 0;
}

Stored read_stored(const fs::path& file) {
  Stored stored;
  const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  EXPECT_GE(f, 0);
  H5Ovisit(f, H5_INDEX_NAME, H5_ITER_INC, collect, &stored);
  H5Fclose(f);
  return stored;
}

// Makes writes past `bytes` of a file fail with EFBIG (a full disk, as far as HDF5 can tell)
// for as long as it lives.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    getrlimit(RLIMIT_FSIZE, &saved_);
    previous_ = std::signal(SIGXFSZ, SIG_IGN);
    rlimit limit = saved_;
    limit.rlim_cur = bytes;
    setrlimit(RLIMIT_FSIZE, &limit);
  }
  ~FileSizeLimit() {
    setrlimit(RLIMIT_FSIZE, &saved_);
    std::signal(SIGXFSZ, previous_);
  }

 private:
  rlimit saved_{};
  void (*previous_)(int) = nullptr;
};

}  // namespace

TEST(ResultsWriter, TheWriterThreadStoresTheBytesOfTheSerialReference) {
  // The serial reference writes each snapshot at once; the other runs hand them to the writer
  // thread. Same datasets, same compressed chunks at the same file offsets.
  const fs::path dir = temp_dir();
  std::vector<Stored> files;
  for (int threads : {0, 1, 2}) {
    const fs::path out = dir / ("out" + std::to_string(threads) + ".h5");
    Scenario scenario = test_support::small_scenario(0.02, 2023);
    scenario.set("output.talent_snapshots", true);
    Simulation sim(scenario, 5, threads);
    open_output(sim, out.string(), {{"seed", "5"}});
    sim.run_until(2023);
    sim.close_output({});
    files.push_back(read_stored(out));
  }
  ASSERT_GT(files[0].datasets.size(), 100u);
  EXPECT_GT(files[0].datasets.count("talent_snapshots/2023/skill"), 0u);
  for (std::size_t k = 1; k < files.size(); ++k) {
    ASSERT_EQ(files[k].datasets.size(), files[0].datasets.size());
    for (const auto& [name, chunks] : files[0].datasets) {
      EXPECT_TRUE(files[k].datasets.at(name) == chunks) << name << ", run " << k;
    }
  }
  fs::remove_all(dir);
}

TEST(ResultsWriter, ASnapshotHoldsTheAgentsAsTheyWereWhenItWasTaken) {
  // The writer thread works on a copy: agents changed (or freed) right after the call do not
  // reach the file. Under ThreadSanitizer this is also the check that nothing is shared.
  const fs::path dir = temp_dir();
  const fs::path out = dir / "out.h5";
  Simulation sim(test_support::small_scenario(0.02, 2022), 1, 2);
  auto firms = std::make_unique<FirmArrays>(sim.firms());
  const double first_revenue = firms->revenue_cny[0];
  {
    ResultsWriter writer(out.string(), {}, sim.parks());
    writer.write_snapshot("taken", 2022, 0, *firms);
    for (std::size_t i = 0; i < firms->size(); ++i) firms->revenue_cny[i] = -1.0;
    firms.reset();
    writer.finish(sim.series(), sim.targets(), sim.parameters(), {}, "");
  }
  const hid_t f = H5Fopen(out.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  ASSERT_GE(f, 0);
  const hid_t set = H5Dopen2(f, "snapshots/taken/revenue_cny", H5P_DEFAULT);
  const hid_t space = H5Dget_space(set);
  std::vector<double> revenue(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)));
  H5Dread(set, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, revenue.data());
  H5Sclose(space);
  H5Dclose(set);
  H5Fclose(f);
  ASSERT_EQ(revenue.size(), sim.firms().size());
  EXPECT_EQ(revenue[0], first_revenue);
  EXPECT_EQ(std::count(revenue.begin(), revenue.end(), -1.0), 0);
  fs::remove_all(dir);
}

TEST(ResultsWriter, AWriteThatFailsOnTheWriterThreadIsAnOutputErrorOfTheNextCall) {
  // The disk fills while the writer thread writes a snapshot: the snapshot call itself has
  // returned, so the error comes from the next call (and every one after), names the file and
  // what could not be written, and the file is never renamed into place.
  const fs::path dir = temp_dir();
  const fs::path out = dir / "out.h5";
  const std::string partial = out.string() + ".partial";
  Simulation sim(test_support::small_scenario(0.02, 2022), 1, 2);
  {
    ResultsWriter writer(out.string(), {}, sim.parks());
    FileSizeLimit limit(fs::file_size(partial) + 4096);
    EXPECT_NO_THROW(writer.write_snapshot("2022", 2022, 12, sim.firms()));
    for (int attempt = 0; attempt < 2; ++attempt) {
      try {
        writer.write_talent_snapshot("2022", 2022, 12, sim.talent());
        writer.finish(sim.series(), sim.targets(), sim.parameters(), {}, "");
        FAIL() << "no error reported";
      } catch (const OutputError& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find(partial), std::string::npos) << message;
        EXPECT_NE(message.find("cannot write"), std::string::npos) << message;
        EXPECT_NE(message.find("snapshots/2022"), std::string::npos) << message;
      }
    }
  }  // the writer closes the file without throwing
  EXPECT_FALSE(fs::exists(out));
  EXPECT_TRUE(fs::exists(partial));
  fs::remove_all(dir);
}

TEST(ResultsWriter, AFailedBackgroundWriteStopsASimulationRun) {
  // Through Simulation: the December snapshot fails in the background; the run learns of it at
  // the next snapshot or when the file is closed, never later, and the file stays .partial.
  const fs::path dir = temp_dir();
  const fs::path out = dir / "out.h5";
  Simulation sim(test_support::small_scenario(0.02, 2024), 1, 2);
  open_output(sim, out.string(), {});
  bool failed = false;
  {
    FileSizeLimit limit(fs::file_size(out.string() + ".partial") + 4096);
    try {
      sim.run_until(2024);
      sim.close_output({});
    } catch (const OutputError& e) {
      failed = std::string(e.what()).find(out.string() + ".partial") != std::string::npos;
    }
    sim.abandon_output();
  }
  EXPECT_TRUE(failed);
  EXPECT_FALSE(fs::exists(out));
  fs::remove_all(dir);
}
