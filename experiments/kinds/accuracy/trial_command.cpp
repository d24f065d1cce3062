#include "experiments/kinds/accuracy/trial_command.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

namespace rp::kinds {
namespace {

constexpr size_t kMaxOutput = 1 << 16;  // stdout kept for the answer; more is garbled output anyway

// `path` as a directory of its own: made when absent; SimulationError for a link or anything else.
void own_directory(const std::string& path) {
  if (::mkdir(path.c_str(), 0777) == 0) return;
  struct stat st {};
  if (errno != EEXIST || ::lstat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    throw SimulationError("cannot use trial directory " + path + ": not a directory (a link is never followed)");
  }
}

void write_file(const std::string& path, const std::string& bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) throw SimulationError("cannot write " + path + ": " + std::strerror(errno));
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string why = std::strerror(errno);
      ::close(fd);
      throw SimulationError("cannot write " + path + ": " + why);
    }
    done += static_cast<size_t>(n);
  }
  if (::close(fd) != 0) throw SimulationError("cannot write " + path + ": " + std::strerror(errno));
}

std::string seconds_text(double s) {
  std::ostringstream o;
  o << s;
  return o.str();
}

// The child: its own process group, dies with its parent, stdout to the pipe, then the program.
[[noreturn]] void exec_trial(const std::vector<std::string>& argv, const std::string& dir, int out_fd) {
  ::setpgid(0, 0);
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  ::signal(SIGINT, SIG_DFL);
  ::signal(SIGTERM, SIG_DFL);
  const int in = ::open("/dev/null", O_RDONLY);
  const int err = ::open((dir + "/stderr.log").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0644);
  if (in < 0 || err < 0 || ::chdir(dir.c_str()) != 0 || ::dup2(in, 0) < 0 || ::dup2(out_fd, 1) < 0 ||
      ::dup2(err, 2) < 0 || ::setenv("RIDGEPOINT_TRIAL_DIR", dir.c_str(), 1) != 0) {
    ::_exit(126);
  }
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  ::execvp(args[0], args.data());
  const std::string why = std::string("cannot execute ") + argv[0] + ": " + std::strerror(errno) + "\n";
  (void)!::write(2, why.data(), why.size());
  ::_exit(127);
}

// Kills the trial's process group and reaps its leader.
void kill_trial(pid_t pid) {
  ::kill(-pid, SIGKILL);
  ::kill(pid, SIGKILL);
  while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {}
}

// Whether the leader has exited (not reaped, so its group id stays its own until kill_trial).
bool exited(pid_t pid) {
  siginfo_t info{};
  return ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid;
}

}  // namespace

std::string prepare_trial(const std::string& side_dir, const TrialFiles& t) {
  own_directory(side_dir);
  own_directory(side_dir + "/trials");
  const std::string dir = std::filesystem::absolute(side_dir + "/trials/" + t.name).string();  // for its env var
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);  // removes a link itself, never what it points to
  if (ec) throw SimulationError("cannot clear trial directory " + dir + ": " + ec.message());
  if (::mkdir(dir.c_str(), 0777) != 0) {
    throw SimulationError("cannot make trial directory " + dir + ": " + std::strerror(errno));
  }
  for (const auto& [name, bytes] : t.files) write_file(dir + "/" + name, bytes);
  return dir;
}

Rating parse_trial_output(const std::string& out) {
  std::string line = out;
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  const auto garbled = [&](const std::string& why) {
    const std::string shown = line.size() > 80 ? line.substr(0, 80) + "..." : line;
    return Rating{0, "command output is not one JSON line with a numeric accuracy (" + why + "): '" + shown + "'"};
  };
  if (line.empty()) return garbled("no output");
  if (line.find('\n') != std::string::npos) return garbled("more than one line");
  try {
    const auto j = nlohmann::json::parse(line);
    if (!j.is_object() || !j.contains("accuracy") || !j["accuracy"].is_number()) return garbled("no number");
    const double a = j["accuracy"].get<double>();
    if (!(a >= 0 && a <= 1)) return Rating{0, "command accuracy " + seconds_text(a) + " is outside [0, 1]"};
    return Rating{a, ""};
  } catch (const nlohmann::json::exception&) {
    return garbled("not JSON");
  }
}

Rating run_trial(const std::vector<std::string>& argv, double timeout_s, const std::string& dir,
                 const StopCheck& stop) {
  std::vector<std::string> args = argv;  // a relative program path from the run's directory, not the trial's
  if (args.at(0).find('/') != std::string::npos) args[0] = std::filesystem::absolute(args[0]).string();
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw SimulationError(std::string("cannot make a pipe: ") + std::strerror(errno));
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    throw SimulationError(std::string("cannot fork a trial: ") + std::strerror(errno));
  }
  if (pid == 0) exec_trial(args, dir, fds[1]);
  ::close(fds[1]);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  std::string out;
  bool open = true, timed_out = false;
  try {
    while (true) {
      poll(stop);
      if (std::chrono::steady_clock::now() >= deadline) {
        timed_out = true;
        break;
      }
      if (!open && exited(pid)) break;
      pollfd p{fds[0], POLLIN, 0};
      if (!open) {
        ::usleep(10000);
        continue;
      }
      if (::poll(&p, 1, 100) <= 0) continue;
      char buf[4096];
      const ssize_t n = ::read(fds[0], buf, sizeof buf);
      if (n > 0 && out.size() < kMaxOutput) out.append(buf, static_cast<size_t>(n));
      if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) open = false;
    }
  } catch (...) {
    ::close(fds[0]);
    kill_trial(pid);  // an interrupt: the trial goes with the run
    throw;
  }
  ::close(fds[0]);
  int status = 0;
  ::kill(-pid, SIGKILL);  // the trial's stragglers (and, after a timeout, the trial itself)
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
  if (timed_out) return Rating{0, "command timed out after " + seconds_text(timeout_s) + " s"};
  if (WIFSIGNALED(status)) return Rating{0, "command killed by signal " + std::to_string(WTERMSIG(status))};
  if (WEXITSTATUS(status) != 0) {
    const size_t at = dir.rfind("/trials/");  // named inside the run's directory: the same wherever it runs
    return Rating{0, "command exited " + std::to_string(WEXITSTATUS(status)) +
                         " (its stderr: " + (at == std::string::npos ? dir : dir.substr(at + 1)) + "/stderr.log)"};
  }
  return parse_trial_output(out);
}

}  // namespace rp::kinds
