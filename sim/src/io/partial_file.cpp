#include "partial_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <utility>

#include "clustersim/errors.hpp"
#include "hdf5_handle.hpp"

namespace clustersim::hdf5 {
namespace {

const char* kind_of(mode_t mode) {
  if (S_ISLNK(mode)) return "a symbolic link";
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

}  // namespace

PartialFile::PartialFile(std::string path, std::string what)
    : path_(std::move(path)), partial_path_(path_ + ".partial"), what_(std::move(what)) {
  struct stat info {};
  if (::lstat(path_.c_str(), &info) == 0 && !S_ISREG(info.st_mode)) {
    throw OutputError(path_ + ": is " + kind_of(info.st_mode) + "; the " + what_ +
                      " must be a new path or a regular file (clustersim never writes to "
                      "special files or through links)");
  }
  // No O_TRUNC: the file is emptied by HDF5 only once the lock shows that no one else writes it.
  descriptor_ =
      ::open(partial_path_.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0644);
  if (descriptor_ < 0) {
    const int error = errno;
    if (error == ELOOP) {
      throw OutputError(partial_path_ + ": is a symbolic link; clustersim never writes through a " +
                        "link: remove it and run again");
    }
    throw OutputError(path_ + ": cannot create the " + what_ + " (" + partial_path_ +
                      "): " + std::strerror(error) + "; directory missing or not writable?");
  }
  if (::fstat(descriptor_, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(descriptor_);
    descriptor_ = -1;
    throw OutputError(partial_path_ + ": is " + kind_of(info.st_mode) +
                      "; expected the regular file clustersim writes before renaming it to " +
                      path_ + ": remove it and run again");
  }
  // An open-file-description lock: it conflicts with another writer's, in this process or
  // another, but not with the shared flock of an HDF5 reader looking at the partial.
  struct flock whole {};
  whole.l_type = F_WRLCK;
  whole.l_whence = SEEK_SET;
  if (::fcntl(descriptor_, F_OFD_SETLK, &whole) != 0) {
    const int error = errno;
    ::close(descriptor_);
    descriptor_ = -1;
    if (error == EAGAIN || error == EACCES) {
      throw OutputError(path_ + ": another clustersim run is writing this " + what_ + " now (" +
                        partial_path_ + " is locked); wait for it to finish or choose another " +
                        "output");
    }
    throw OutputError(partial_path_ + ": cannot lock the " + what_ + ": " + std::strerror(error));
  }
}

PartialFile::~PartialFile() {
  if (descriptor_ >= 0) ::close(descriptor_);  // releases the lock; an unfinished partial stays
}

std::string PartialFile::create_name() const {
  const std::string own = "/proc/self/fd/" + std::to_string(descriptor_);
  struct stat mine {
  }, entry{};
  const bool usable = ::stat(own.c_str(), &entry) == 0 && ::fstat(descriptor_, &mine) == 0 &&
                      entry.st_ino == mine.st_ino && entry.st_dev == mine.st_dev;
  return usable ? own : partial_path_;
}

void PartialFile::check_same_file(hid_t file) const {
  void* handle = nullptr;
  struct stat mine {
  }, theirs{};
  const bool same = H5Fget_vfd_handle(file, H5P_DEFAULT, &handle) >= 0 && handle != nullptr &&
                    ::fstat(*static_cast<int*>(handle), &theirs) == 0 &&
                    ::fstat(descriptor_, &mine) == 0 && mine.st_dev == theirs.st_dev &&
                    mine.st_ino == theirs.st_ino;
  if (!same) {
    throw OutputError(partial_path_ + ": changed while it was being created (replaced by " +
                      "another file or a link); nothing was written through it: run again");
  }
}

void PartialFile::commit() {
  if (std::rename(partial_path_.c_str(), path_.c_str()) != 0) {
    const int error = errno;
    throw OutputError(path_ + ": cannot move the finished " + what_ + " into place from " +
                      partial_path_ + ": " + std::strerror(error));
  }
  ::close(descriptor_);
  descriptor_ = -1;
}

}  // namespace clustersim::hdf5
