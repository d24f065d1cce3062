#include "simulator/module_loader.h"

#include <dlfcn.h>
#include <limits.h>
#include <unistd.h>

#include "simulator/error.h"

namespace rp::sim {

std::string sibling_module_path(const std::string& file, const std::string& what) {
  char buf[PATH_MAX];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) throw SimulationError("cannot read /proc/self/exe to find the " + what + " module");
  const std::string exe(buf, static_cast<size_t>(n));
  return exe.substr(0, exe.rfind('/')) + "/../lib/ridgepoint/" + file;
}

void* load_module_symbol(const std::string& path, const char* symbol, const std::string& what,
                         const std::string& hint) {
  void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);  // never closed: the module lives on
  std::string why = handle ? "" : ::dlerror();
  if (why.rfind(path + ": ", 0) == 0) why.erase(0, path.size() + 2);  // the loader names the path too
  void* found = handle ? ::dlsym(handle, symbol) : nullptr;
  if (handle && !found) why = std::string("it has no symbol ") + symbol;
  if (!found) throw UsageError("cannot load the " + what + " module " + path + ": " + why + " (" + hint + ")");
  return found;
}

}  // namespace rp::sim
