#pragma once
// Writing and reading an open HDF5 file with errors that name it: groups, attributes and plain
// one-dimensional datasets. Shared by the results writer and checkpoints (private to
// sim/src/io); the caller holds hdf5::LibraryLock and owns the file identifier.

#include <hdf5.h>

#include <string>

#include "clustersim/errors.hpp"
#include "hdf5_handle.hpp"

namespace clustersim::hdf5 {

struct FileWriter {
  hid_t id = -1;
  std::string path;

  [[noreturn]] void fail(const std::string& what) const {
    throw OutputError(path + ": cannot write " + what +
                      " (HDF5 error; disk full or not writable?)");
  }
  void check(herr_t status, const std::string& what) const {
    if (status < 0) fail(what);
  }

  // The group `name`, created with its parents if missing; the caller closes it.
  hid_t group(const std::string& name) const {
    if (H5Lexists(id, name.c_str(), H5P_DEFAULT) > 0)
      return H5Gopen2(id, name.c_str(), H5P_DEFAULT);
    Handle links(H5Pcreate(H5P_LINK_CREATE), H5Pclose);
    H5Pset_create_intermediate_group(links.get(), 1);
    const hid_t g = H5Gcreate2(id, name.c_str(), links.get(), H5P_DEFAULT, H5P_DEFAULT);
    if (g < 0) fail("group " + name);
    return g;
  }

  // UTF-8 text on `object` (the file, a group or a dataset), replacing one of that name.
  void string_attribute(hid_t object, const std::string& name, const std::string& value) const {
    Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(type.get(), H5T_VARIABLE);
    H5Tset_cset(type.get(), H5T_CSET_UTF8);
    Handle space(H5Screate(H5S_SCALAR), H5Sclose);
    if (H5Aexists(object, name.c_str()) > 0) H5Adelete(object, name.c_str());
    Handle attribute(
        H5Acreate2(object, name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
        H5Aclose);
    const char* text = value.c_str();
    if (!attribute.valid()) fail("attribute " + name);
    check(H5Awrite(attribute.get(), type.get(), &text), "attribute " + name);
  }

  template <class T>
  void number_attribute(hid_t object, const std::string& name, T value) const {
    Handle space(H5Screate(H5S_SCALAR), H5Sclose);
    if (H5Aexists(object, name.c_str()) > 0) H5Adelete(object, name.c_str());
    Handle attribute(
        H5Acreate2(object, name.c_str(), native_type<T>(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
        H5Aclose);
    if (!attribute.valid()) fail("attribute " + name);
    check(H5Awrite(attribute.get(), native_type<T>(), &value), "attribute " + name);
  }

  // n values as a contiguous one-dimensional dataset at path `name` (parents created).
  template <class T>
  void plain_dataset(const std::string& name, const T* data, std::size_t n) const {
    const hsize_t dims[1] = {n};
    Handle space(H5Screate_simple(1, dims, nullptr), H5Sclose);
    Handle links(H5Pcreate(H5P_LINK_CREATE), H5Pclose);
    H5Pset_create_intermediate_group(links.get(), 1);
    Handle set(H5Dcreate2(id, name.c_str(), native_type<T>(), space.get(), links.get(), H5P_DEFAULT,
                          H5P_DEFAULT),
               H5Dclose);
    if (!set.valid()) fail("dataset " + name);
    if (n > 0) {
      check(H5Dwrite(set.get(), native_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, data),
            "dataset " + name);
    }
  }
};

struct FileReader {
  hid_t id = -1;
  std::string path;
  std::string kind;  // what the file should be, for messages: "clustersim checkpoint"

  [[noreturn]] void fail(const std::string& what) const { throw OutputError(path + ": " + what); }
  bool has_attribute(const std::string& name) const { return H5Aexists(id, name.c_str()) > 0; }

  std::string string_attribute(const std::string& name) const {
    if (!has_attribute(name)) fail("has no attribute '" + name + "'; not a " + kind + "?");
    Handle attribute(H5Aopen(id, name.c_str(), H5P_DEFAULT), H5Aclose);
    Handle type(H5Aget_type(attribute.get()), H5Tclose);
    if (H5Tget_class(type.get()) != H5T_STRING) fail("attribute '" + name + "' is not text");
    Handle memory(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(memory.get(), H5T_VARIABLE);
    H5Tset_cset(memory.get(), H5T_CSET_UTF8);
    if (!H5Tis_variable_str(type.get()))
      fail("attribute '" + name + "' is not variable-length text");
    char* text = nullptr;
    if (H5Aread(attribute.get(), memory.get(), &text) < 0) fail("cannot read attribute " + name);
    std::string value = text ? text : "";
    Handle space(H5Aget_space(attribute.get()), H5Sclose);
    H5Dvlen_reclaim(memory.get(), space.get(), H5P_DEFAULT, &text);
    return value;
  }

  template <class T>
  T number_attribute(const std::string& name) const {
    if (!has_attribute(name)) fail("has no attribute '" + name + "'; not a " + kind + "?");
    Handle attribute(H5Aopen(id, name.c_str(), H5P_DEFAULT), H5Aclose);
    T value{};
    if (H5Aread(attribute.get(), native_type<T>(), &value) < 0) {
      fail("cannot read attribute " + name);
    }
    return value;
  }

  // A one-dimensional dataset into `values` (resized to its length).
  template <class Container>
  void dataset(const std::string& name, Container& values) const {
    using T = typename Container::value_type;
    if (H5Lexists(id, name.c_str(), H5P_DEFAULT) <= 0) {
      fail("has no dataset '" + name + "' (truncated, or written by another model layout)");
    }
    Handle set(H5Dopen2(id, name.c_str(), H5P_DEFAULT), H5Dclose);
    Handle space(H5Dget_space(set.get()), H5Sclose);
    if (!set.valid() || !space.valid() || H5Sget_simple_extent_ndims(space.get()) != 1) {
      fail("dataset '" + name + "' is not a one-dimensional array");
    }
    hsize_t n = 0;
    H5Sget_simple_extent_dims(space.get(), &n, nullptr);
    // A damaged dimension must not allocate: contiguous storage holds exactly the values.
    Handle create(H5Dget_create_plist(set.get()), H5Pclose);
    Handle stored_type(H5Dget_type(set.get()), H5Tclose);
    if (create.valid() && stored_type.valid() && H5Pget_layout(create.get()) == H5D_CONTIGUOUS &&
        n > 0) {
      const hsize_t bytes = H5Dget_storage_size(set.get());
      const hsize_t value_bytes = H5Tget_size(stored_type.get());
      if (value_bytes == 0 || n > bytes / value_bytes || n * value_bytes != bytes) {
        fail("dataset '" + name + "' claims " + std::to_string(n) + " values but stores " +
             std::to_string(bytes) + " bytes (damaged file)");
      }
    }
    values.resize(static_cast<std::size_t>(n));
    if (n > 0 &&
        H5Dread(set.get(), native_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) < 0) {
      fail("cannot read dataset '" + name + "' (truncated file?)");
    }
  }
};

}  // namespace clustersim::hdf5
