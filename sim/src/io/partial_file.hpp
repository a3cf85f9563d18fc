#pragma once
// The unfinished `<path>.partial` of an output, claimed by one writer (private to sim/src/io).
// Outputs are written whole or not at all: into the partial, then renamed over `path`. The
// claim makes that safe against a second writer of the same output and against special files:
// `path`, if it exists, is a regular file (never a device, FIFO, directory or link); the partial
// is opened without following a link, must be a regular file, and is locked (an
// open-file-description lock) for as long as the claim lives, so that a second writer is refused
// before anything is truncated.

#include <hdf5.h>

#include <string>

namespace clustersim::hdf5 {

class PartialFile {
 public:
  // `what` names the output in messages ("output file", "checkpoint"). Throws OutputError.
  PartialFile(std::string path, std::string what);
  ~PartialFile();
  PartialFile(const PartialFile&) = delete;
  PartialFile& operator=(const PartialFile&) = delete;

  const std::string& path() const { return path_; }
  const std::string& partial_path() const { return partial_path_; }

  // The name HDF5 creates the file under: the locked descriptor's own entry in /proc where the
  // system has it (a link swapped in for the partial's name cannot redirect the truncation),
  // else the partial's path.
  std::string create_name() const;
  // Throws OutputError unless the open HDF5 `file` is the partial this claim locked (a link
  // swapped in between the claim and the create is refused, not written through).
  void check_same_file(hid_t file) const;
  // Renames the finished partial over `path`, then releases the claim.
  void commit();

 private:
  std::string path_, partial_path_, what_;
  int descriptor_ = -1;
};

}  // namespace clustersim::hdf5
