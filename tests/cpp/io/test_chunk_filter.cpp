#include <gtest/gtest.h>
#include <hdf5.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "io/chunk_filter.hpp"

using namespace clustersim;
namespace fs = std::filesystem;

namespace {

// What HDF5's own shuffle and deflate (level 1) filters store for each chunk of `values`,
// written as one chunked dataset of `chunk_count` elements per chunk.
template <class T>
std::vector<std::vector<unsigned char>> chunks_stored_by_hdf5(const std::vector<T>& values,
                                                              hsize_t chunk_count, hid_t type) {
  const fs::path file =
      fs::temp_directory_path() / ("clustersim-chunk-filter-" + std::to_string(::getpid()) + ".h5");
  const hid_t f = H5Fcreate(file.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  const hsize_t n = values.size();
  const hid_t space = H5Screate_simple(1, &n, nullptr);
  const hid_t properties = H5Pcreate(H5P_DATASET_CREATE);
  H5Pset_chunk(properties, 1, &chunk_count);
  H5Pset_shuffle(properties);
  H5Pset_deflate(properties, 1);
  const hid_t set = H5Dcreate2(f, "values", type, space, H5P_DEFAULT, properties, H5P_DEFAULT);
  EXPECT_GE(H5Dwrite(set, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), 0);
  H5Dflush(set);
  std::vector<std::vector<unsigned char>> chunks;
  for (hsize_t first = 0; first < n; first += chunk_count) {
    hsize_t bytes = 0;
    EXPECT_GE(H5Dget_chunk_storage_size(set, &first, &bytes), 0);
    std::vector<unsigned char> chunk(bytes);
    std::uint32_t mask = 0;
    EXPECT_GE(H5Dread_chunk(set, H5P_DEFAULT, &first, &mask, chunk.data()), 0);
    EXPECT_EQ(mask, 0u);  // every filter applied
    chunks.push_back(std::move(chunk));
  }
  H5Dclose(set);
  H5Pclose(properties);
  H5Sclose(space);
  H5Fclose(f);
  fs::remove(file);
  return chunks;
}

// Inflates a stored chunk and undoes the shuffle: the chunk's elements as bytes.
std::vector<unsigned char> unfilter(const std::vector<unsigned char>& stored,
                                    std::size_t chunk_count, std::size_t element_size) {
  std::vector<unsigned char> planes(chunk_count * element_size);
  uLongf size = planes.size();
  EXPECT_EQ(uncompress(planes.data(), &size, stored.data(), stored.size()), Z_OK);
  EXPECT_EQ(size, planes.size());
  std::vector<unsigned char> bytes(planes.size());
  for (std::size_t j = 0; j < element_size; ++j) {
    for (std::size_t i = 0; i < chunk_count; ++i) {
      bytes[i * element_size + j] = planes[j * chunk_count + i];
    }
  }
  return bytes;
}

// Values with runs, a trend and noise, as snapshot columns have; the last chunk is partial.
template <class T>
std::vector<T> column(std::size_t n) {
  std::vector<T> values(n);
  std::uint64_t state = 12345;
  for (std::size_t i = 0; i < n; ++i) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    values[i] = static_cast<T>((i / 7) % 50 + (state >> 60));
    if constexpr (std::is_floating_point_v<T>) values[i] += static_cast<T>(state >> 11) * 1e-16;
  }
  return values;
}

template <class T>
void expect_same_chunks_as_hdf5(hid_t type) {
  const std::size_t n = 10'000, chunk_count = 4'096;  // two whole chunks and an edge chunk
  const std::vector<T> values = column<T>(n);
  const auto expected = chunks_stored_by_hdf5(values, chunk_count, type);
  ASSERT_EQ(expected.size(), 3u);
  std::vector<unsigned char> stored;
  for (std::size_t k = 0; k < expected.size(); ++k) {
    const std::size_t first = k * chunk_count, count = std::min(chunk_count, n - first);
    filter_chunk(values.data() + first, count, sizeof(T), chunk_count, DeflateStrategy::full_search,
                 stored);
    EXPECT_EQ(stored, expected[k])
        << "chunk " << k << " of a column of " << sizeof(T) << "-byte elements";
  }
}

template <class T>
void expect_chunks_decode(DeflateStrategy strategy) {
  const std::size_t n = 10'000, chunk_count = 4'096;
  const std::vector<T> values = column<T>(n);
  std::vector<unsigned char> stored;
  for (std::size_t first = 0; first < n; first += chunk_count) {
    const std::size_t count = std::min(chunk_count, n - first);
    filter_chunk(values.data() + first, count, sizeof(T), chunk_count, strategy, stored);
    const std::vector<unsigned char> bytes = unfilter(stored, chunk_count, sizeof(T));
    std::vector<unsigned char> expected(chunk_count * sizeof(T), 0);  // zeros past the end
    std::memcpy(expected.data(), values.data() + first, count * sizeof(T));
    EXPECT_EQ(bytes, expected) << "chunk from " << first;
  }
}

}  // namespace

// With zlib's default strategy the chunks are byte for byte those of HDF5's own filters
// (compress2 at level 1 after the shuffle), edge chunk and one-byte elements included: the
// format is HDF5's, only the match search may differ.
TEST(ChunkFilter, FullSearchStoresTheBytesOfHdf5sOwnFilters) {
  expect_same_chunks_as_hdf5<std::uint8_t>(H5T_NATIVE_UINT8);
  expect_same_chunks_as_hdf5<std::int32_t>(H5T_NATIVE_INT32);
  expect_same_chunks_as_hdf5<std::int64_t>(H5T_NATIVE_INT64);
  expect_same_chunks_as_hdf5<float>(H5T_NATIVE_FLOAT);
  expect_same_chunks_as_hdf5<double>(H5T_NATIVE_DOUBLE);
}

TEST(ChunkFilter, EveryStrategyDecodesToTheElementsWithAZeroPaddedEdge) {
  for (DeflateStrategy strategy : {DeflateStrategy::full_search, DeflateStrategy::runs_only}) {
    expect_chunks_decode<std::uint8_t>(strategy);
    expect_chunks_decode<std::int32_t>(strategy);
    expect_chunks_decode<double>(strategy);
  }
}
