// `ridgepoint plot OUTPUT.h5 [...]`: the figure of a run output or trace, drawn by the Python module
// ridgepoint.figures (python/ridgepoint/figures.py; matplotlib). This command only finds the module installed beside the
// executable and runs it with the interpreter found at configure time, passing its own path so axis labels come
// from this executable's `accelerators --keys --json`. Every argument is the module's (see docs/gallery.md).
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <ostream>

#include "experiments/cli/command.h"
#include "experiments/cli/install_paths.h"
#include "simulator/error.h"

extern char** environ;

namespace rp::cli {
namespace {

#ifdef RIDGEPOINT_PLOT_PYTHON
constexpr const char* kPython = RIDGEPOINT_PLOT_PYTHON;         // python/CMakeLists.txt: Python_EXECUTABLE
constexpr const char* kInstalled = RIDGEPOINT_PLOT_PYTHON_DIR;  // relative to the prefix: RIDGEPOINT_PYTHON_DIR
#else
constexpr const char* kPython = "";  // configured without the Python module (RIDGEPOINT_BUILD_PYTHON=OFF)
constexpr const char* kInstalled = "";
#endif

// The directory holding the package ridgepoint/ with figures.py: after `cmake --install` PREFIX/<python dir>, in the
// build tree build/python (both relative to the executable's directory, bin/ or build/experiments/).
std::string module_directory() {
  const std::string own = own_directory();
  for (const std::string& dir : {own + "/../" + kInstalled, own + "/../python"}) {
    std::error_code ec;
    if (*kInstalled && std::filesystem::is_regular_file(dir + "/ridgepoint/figures.py", ec)) {
      return std::filesystem::weakly_canonical(dir, ec).string();
    }
  }
  throw UsageError(std::string("plot: the Python module ridgepoint.figures is not installed beside ") + own +
                   (*kInstalled ? "" : " (this build was configured with RIDGEPOINT_BUILD_PYTHON=OFF)"));
}

// The environment with PYTHONPATH replaced by `dir` (the module beside this executable, not another one).
std::vector<std::string> environment(const std::string& dir) {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    if (std::strncmp(*e, "PYTHONPATH=", 11) != 0) env.emplace_back(*e);
  }
  env.push_back("PYTHONPATH=" + dir);
  return env;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// Runs the interpreter and returns its exit code (a signal that ended it: 128 + signal, as a shell reports it).
int run_python(std::vector<std::string> argv, std::vector<std::string> env) {
  auto args = pointers(argv), envp = pointers(env);
  pid_t pid = 0;
  const int err = ::posix_spawn(&pid, kPython, nullptr, nullptr, args.data(), envp.data());
  if (err != 0) {
    throw SimulationError(std::string("plot: cannot start ") + kPython + ": " + std::strerror(err));
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR)
      throw SimulationError(std::string("plot: waiting for ") + kPython + ": " + std::strerror(errno));
  }
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WEXITSTATUS(status);
}

}  // namespace

int cmd_plot(const std::vector<std::string>& args, std::ostream& out) {
  const std::string dir = module_directory();
  std::vector<std::string> argv = {kPython, "-m", "ridgepoint.figures", "--ridgepoint",
                                   own_directory() + "/ridgepoint"};
  argv.insert(argv.end(), args.begin(), args.end());
  out.flush();
  std::cerr.flush();
  return run_python(argv, environment(dir));
}

}  // namespace rp::cli
