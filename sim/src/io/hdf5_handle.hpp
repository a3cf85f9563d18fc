#pragma once
// Small HDF5 helpers shared by the results writer and checkpoints (private to sim/src/io).

#include <hdf5.h>

#include <cstdint>
#include <mutex>
#include <type_traits>

namespace clustersim::hdf5 {

// Held around every HDF5 call of the kernel: results writers' threads, checkpoints and the
// simulations of other Python threads never call the library at the same time (libhdf5 need
// not be a thread-safe build).
class LibraryLock {
 public:
  LibraryLock() : lock_(mutex()) {
    // HDF5 1.10 crashes in its exit handler on a file whose close failed (a full disk); the
    // kernel closes every file it opens, so it leaves the handler out (possible only before
    // the library's first use in the process).
    static bool first = true;
    if (first) H5dont_atexit();
    first = false;
  }

 private:
  static std::mutex& mutex() {
    static std::mutex library;
    return library;
  }
  std::lock_guard<std::mutex> lock_;
};

// Owns one HDF5 identifier.
class Handle {
 public:
  Handle(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
  ~Handle() {
    if (id_ >= 0) close_(id_);
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  hid_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }
  // Hands the identifier to the caller, who closes it (and can check that the close worked).
  hid_t release() {
    const hid_t id = id_;
    id_ = -1;
    return id;
  }

 private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

// The native HDF5 type of a column's element type.
template <class T>
hid_t native_type() {
  if constexpr (std::is_same_v<T, double>) return H5T_NATIVE_DOUBLE;
  if constexpr (std::is_same_v<T, float>) return H5T_NATIVE_FLOAT;
  if constexpr (std::is_same_v<T, std::int64_t>) return H5T_NATIVE_INT64;
  if constexpr (std::is_same_v<T, std::uint64_t>) return H5T_NATIVE_UINT64;
  if constexpr (std::is_same_v<T, std::int32_t>) return H5T_NATIVE_INT32;
  if constexpr (std::is_same_v<T, std::uint32_t>) return H5T_NATIVE_UINT32;
  if constexpr (std::is_same_v<T, std::int16_t>) return H5T_NATIVE_INT16;
  if constexpr (std::is_same_v<T, std::int8_t>) return H5T_NATIVE_INT8;
  if constexpr (std::is_same_v<T, std::uint8_t>) return H5T_NATIVE_UINT8;
  static_assert(std::is_arithmetic_v<T>, "no HDF5 type for this element type");
  return -1;
}

}  // namespace clustersim::hdf5
