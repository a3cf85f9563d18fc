#pragma once
// What every agent structure of arrays shares: a const view of its column visitor and resizing
// all columns together. The derived struct defines visit_columns(visit) over its columns once.

#include <cstddef>

namespace clustersim {

template <class Derived>
struct AgentColumns {
  // visit(name, column, unit) for every column, read-only.
  template <class Visit>
  void visit_columns(Visit&& visit) const {
    const_cast<Derived*>(static_cast<const Derived*>(this))
        ->visit_columns([&](const char* name, const auto& column, const char* unit) {
          visit(name, column, unit);
        });
  }

  // Room for n agents in every column, without changing the size.
  void reserve(std::size_t n) {
    static_cast<Derived*>(this)->visit_columns(
        [n](const char*, auto& column, const char*) { column.reserve(n); });
  }

  // New elements of every column are value-initialised (zero).
  void resize(std::size_t n) {
    static_cast<Derived*>(this)->visit_columns(
        [n](const char*, auto& column, const char*) { column.resize(n); });
  }
};

}  // namespace clustersim
