#include "chunk_filter.hpp"

#include <zlib.h>

#include <stdexcept>
#include <string>

namespace clustersim {

namespace {

// Level 1, as the file format documents (docs/output-format.md, "Filters").
constexpr int deflate_level = 1;

}  // namespace

void filter_chunk(const void* elements, std::size_t count, std::size_t element_size,
                  std::size_t chunk_count, DeflateStrategy strategy,
                  std::vector<unsigned char>& stored) {
  // HDF5's shuffle (H5Zshuffle.c) over the whole chunk: byte j of element i goes to
  // j * chunk_count + i; the elements past `count` stay zero.
  const std::size_t chunk_bytes = chunk_count * element_size;
  const auto* source = static_cast<const unsigned char*>(elements);
  std::vector<unsigned char> planes(chunk_bytes, 0);
  for (std::size_t j = 0; j < element_size; ++j) {
    unsigned char* plane = planes.data() + j * chunk_count;
    for (std::size_t i = 0; i < count; ++i) plane[i] = source[i * element_size + j];
  }

  z_stream stream{};
  const int zlib_strategy = strategy == DeflateStrategy::runs_only ? Z_RLE : Z_DEFAULT_STRATEGY;
  // Window 2^15 with the zlib header and memory level 8: what compress2 (HDF5's filter) uses.
  if (deflateInit2(&stream, deflate_level, Z_DEFLATED, 15, 8, zlib_strategy) != Z_OK) {
    throw std::runtime_error("zlib cannot start a deflate stream (out of memory?)");
  }
  stored.resize(deflateBound(&stream, static_cast<uLong>(chunk_bytes)));
  stream.next_in = planes.data();
  stream.avail_in = static_cast<uInt>(chunk_bytes);
  stream.next_out = stored.data();
  stream.avail_out = static_cast<uInt>(stored.size());
  const int status = deflate(&stream, Z_FINISH);
  const std::size_t written = stored.size() - stream.avail_out;
  deflateEnd(&stream);
  if (status != Z_STREAM_END) {
    throw std::runtime_error("zlib failed to deflate a chunk (status " + std::to_string(status) +
                             ")");
  }
  stored.resize(written);
}

}  // namespace clustersim
