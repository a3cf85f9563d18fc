#pragma once
// A chunk stored as HDF5's shuffle and deflate filters store it (byte planes, then a zlib
// stream), filtered here instead of by HDF5 so that a column can choose zlib's strategy: the
// library's deflate filter offers only the level. Any HDF5 reader decodes these chunks with its
// standard filters. Private to sim/src/io.

#include <cstddef>
#include <vector>

namespace clustersim {

// zlib's match finding. Run-length matches only (Z_RLE) are about twice as fast on the shuffled
// snapshot columns and store them as small as level 1 or smaller, except sorted identifiers,
// whose low byte planes repeat at a distance that only the full search (Z_DEFAULT_STRATEGY)
// finds (benchmarks/README.md, "Speed work").
enum class DeflateStrategy { full_search, runs_only };

// Filters `count` elements of `element_size` bytes into `stored` as one chunk of
// `chunk_count` elements (count <= chunk_count; the rest of an edge chunk is zeros, HDF5's
// default fill value, as the library fills it). Throws std::runtime_error if zlib fails (it
// cannot for a valid level and enough memory).
void filter_chunk(const void* elements, std::size_t count, std::size_t element_size,
                  std::size_t chunk_count, DeflateStrategy strategy,
                  std::vector<unsigned char>& stored);

}  // namespace clustersim
