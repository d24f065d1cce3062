#pragma once
// CLI commands: each is a name, a one-line summary and a function taking its own argv (after the command name).
// Commands throw rp::UsageError for bad input (exit 2) and other exceptions for failures (exit 1); the dispatcher
// in main.cpp prints one line and maps the exit code. The table lists every command in both executables; those
// that need LibTorch (torch_table.h) run through torch_seam.h.
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

namespace rp::cli {

struct Command {
  std::string name;
  std::string summary;
  std::function<int(const std::vector<std::string>& args, std::ostream& out)> run;
};

const std::vector<Command>& commands();

// Commands (one file each).
int cmd_models(const std::vector<std::string>& args, std::ostream& out);
int cmd_accelerators(const std::vector<std::string>& args, std::ostream& out);
int cmd_info(const std::vector<std::string>& args, std::ostream& out);
int cmd_simulate(const std::vector<std::string>& args, std::ostream& out);
int cmd_compare(const std::vector<std::string>& args, std::ostream& out);
int cmd_run(const std::vector<std::string>& args, std::ostream& out);
int cmd_kinds(const std::vector<std::string>& args, std::ostream& out);
int cmd_validate(const std::vector<std::string>& args, std::ostream& out);
int cmd_calibrate(const std::vector<std::string>& args, std::ostream& out);
int cmd_plot(const std::vector<std::string>& args, std::ostream& out);
int cmd_import(const std::vector<std::string>& args, std::ostream& out);
int cmd_sensitivity(const std::vector<std::string>& args, std::ostream& out);

}  // namespace rp::cli
