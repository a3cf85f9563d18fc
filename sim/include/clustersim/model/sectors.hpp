#pragma once
// Sectors and firm stages: the categorical vocabulary of the model.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace clustersim {

// The base year: the sourced figures describe it, and step 1 is its January.
inline constexpr int base_year = 2022;

// The city's three leading industries, plus everything else the zone's firms do.
enum class Sector : std::uint8_t { ic = 0, biomedicine = 1, ai = 2, other = 3 };
inline constexpr int sector_count = 4;
inline constexpr std::array<std::string_view, sector_count> sector_names = {"IC", "biomedicine",
                                                                            "AI", "other"};
inline constexpr std::size_t leading_count = 3;  // IC, biomedicine, AI
inline constexpr bool is_leading(int sector) { return sector < static_cast<int>(leading_count); }
std::optional<int> sector_from_name(std::string_view name);

// Stages of the firm life cycle. The titles from little_giant on are awarded by later mechanisms
// (cultivation policy, valuations); the codes are fixed now so output files stay comparable.
enum class Stage : std::uint8_t {
  startup = 0,
  growth = 1,
  large = 2,
  little_giant = 3,
  hidden_champion = 4,
  unicorn = 5,
  chain_leader = 6,
};
inline constexpr int stage_count = 7;
inline constexpr std::array<std::string_view, stage_count> stage_names = {
    "startup", "growth", "large", "little_giant", "hidden_champion", "unicorn", "chain_leader"};

}  // namespace clustersim
