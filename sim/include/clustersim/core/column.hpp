#pragma once
// Column<T>: one attribute of an agent type, stored contiguously (structure of arrays).

#include <algorithm>
#include <cstddef>
#include <memory>

namespace clustersim {

// The buffer is reference-counted so that a NumPy view handed to Python keeps its memory alive
// after the population grows and the column moves to a larger buffer (no dangling views).
template <class T>
class Column {
 public:
  using value_type = T;

  Column() = default;
  // Copies are deep (value semantics); only views share a buffer.
  Column(const Column& other) { *this = other; }
  Column& operator=(const Column& other) {
    if (this == &other) return *this;
    storage_.reset();
    size_ = capacity_ = 0;
    reserve(other.size_);
    if (other.size_ > 0) std::copy(other.data(), other.data() + other.size_, data());
    size_ = other.size_;
    return *this;
  }
  Column(Column&& other) noexcept
      : storage_(std::move(other.storage_)), size_(other.size_), capacity_(other.capacity_) {
    other.size_ = other.capacity_ = 0;
  }
  Column& operator=(Column&& other) noexcept {
    storage_ = std::move(other.storage_);
    size_ = other.size_;
    capacity_ = other.capacity_;
    other.size_ = other.capacity_ = 0;
    return *this;
  }

  std::size_t size() const { return size_; }
  std::size_t capacity() const { return capacity_; }
  bool empty() const { return size_ == 0; }
  T* data() { return storage_.get(); }
  const T* data() const { return storage_.get(); }
  T& operator[](std::size_t i) { return storage_[i]; }
  const T& operator[](std::size_t i) const { return storage_[i]; }
  const T* begin() const { return data(); }
  const T* end() const { return data() + size_; }

  // Shared ownership of the current buffer, for zero-copy views.
  std::shared_ptr<T[]> storage() const { return storage_; }

  void reserve(std::size_t n) {
    if (n <= capacity_) return;
    const std::size_t new_capacity = std::max(n, capacity_ + capacity_ / 2 + 16);
    std::shared_ptr<T[]> grown(new T[new_capacity]());
    if (size_ > 0) std::copy(data(), data() + size_, grown.get());
    storage_ = std::move(grown);
    capacity_ = new_capacity;
  }

  // New elements are value-initialised (zero).
  void resize(std::size_t n) {
    reserve(n);
    if (n > size_) std::fill(data() + size_, data() + n, T{});
    size_ = n;
  }

  void push_back(const T& value) {
    reserve(size_ + 1);
    storage_[size_++] = value;
  }

  // Stable compaction: keeps element i where keep[i] != 0, preserving order.
  template <class Mask>
  void compact(const Mask& keep) {
    std::size_t out = 0;
    for (std::size_t i = 0; i < size_; ++i) {
      if (keep[i]) storage_[out++] = storage_[i];
    }
    size_ = out;
  }

 private:
  std::shared_ptr<T[]> storage_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace clustersim
