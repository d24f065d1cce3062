#include "experiments/cli/install_paths.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "simulator/error.h"

namespace rp::cli {

std::string own_directory() {
  std::vector<char> buf(4096);
  const ssize_t n = ::readlink("/proc/self/exe", buf.data(), buf.size() - 1);
  if (n <= 0) throw SimulationError(std::string("cannot read /proc/self/exe: ") + std::strerror(errno));
  const std::string self(buf.data(), static_cast<size_t>(n));
  return self.substr(0, self.find_last_of('/'));
}

namespace {

std::string shared_directory(const std::string& name) {
  std::error_code ec;
  const auto dir = std::filesystem::weakly_canonical(own_directory() + "/../share/ridgepoint/" + name, ec);
  return !ec && std::filesystem::is_directory(dir, ec) ? dir.string() : std::string();
}

}  // namespace

std::string config_copies_directory() { return shared_directory("configs"); }

std::string experiments_directory() { return shared_directory("experiments"); }

}  // namespace rp::cli
