#pragma once
// Human-readable number formatting for terminal tables.
#include <cstdint>
#include <string>

namespace rp::cli {

std::string si(double value, int precision = 3);  // 1234567 -> "1.23 M"
std::string bytes_str(double bytes);              // 1536 -> "1.50 KiB"
std::string fixed(double value, int precision);   // 3.14159, 2 -> "3.14"

}  // namespace rp::cli
