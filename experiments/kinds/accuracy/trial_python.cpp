#include "experiments/kinds/accuracy/trial_python.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "experiments/kinds/accuracy/sha256.h"
#include "experiments/kinds/accuracy/trial_command.h"

namespace rp::kinds {
namespace {

constexpr size_t kMaxReply = 1 << 16;  // a reason longer than this is cut (the Python side cuts at 1000 already)

// Closes the descriptor however the trial ends.
struct Fd {
  int fd;
  ~Fd() { ::close(fd); }
};

std::string bridge_error(const std::string& socket, const std::string& what) {
  return "python accuracy: cannot reach the callable's process at " + socket + ": " + what +
         " (method: python runs only under ridgepoint.run(FILE, accuracy=CALLABLE))";
}

int connected(const std::string& socket_path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (socket_path.size() >= sizeof addr.sun_path) throw SimulationError(bridge_error(socket_path, "path too long"));
  std::memcpy(addr.sun_path, socket_path.c_str(), socket_path.size() + 1);
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw SimulationError(bridge_error(socket_path, std::strerror(errno)));
  while (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    if (errno == EINTR) continue;
    const std::string why = std::strerror(errno);
    ::close(fd);
    throw SimulationError(bridge_error(socket_path, why));
  }
  return fd;
}

void send_all(int fd, const std::string& bytes, const std::string& socket) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::send(fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw SimulationError(bridge_error(socket, std::strerror(errno)));
    done += static_cast<size_t>(n);
  }
}

// The reply's first line; polls `stop` every 100 ms while the callable runs (it may train for hours).
std::string reply_line(int fd, const std::string& socket, const StopCheck& stop) {
  std::string in;
  while (in.find('\n') == std::string::npos) {
    poll(stop);
    pollfd p{fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, 100);
    if (ready < 0 && errno != EINTR) throw SimulationError(bridge_error(socket, std::strerror(errno)));
    if (ready <= 0) continue;
    char buf[4096];
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw SimulationError(bridge_error(socket, std::strerror(errno)));
    if (n == 0) throw SimulationError(bridge_error(socket, "it closed the connection without an answer"));
    if (in.size() < kMaxReply) in.append(buf, static_cast<size_t>(n));
  }
  return in.substr(0, in.find('\n'));
}

}  // namespace

Rating parse_python_reply(const std::string& line) {
  if (line.rfind("no ", 0) == 0) return Rating{0, line.substr(3)};
  if (line.rfind("ok ", 0) == 0) {
    const std::string number = line.substr(3);
    char* end = nullptr;
    const double a = std::strtod(number.c_str(), &end);
    if (!number.empty() && *end == '\0' && a >= 0 && a <= 1) return Rating{a, ""};
  }
  return Rating{0, "python accuracy: malformed answer '" + line.substr(0, 200) + "'"};
}

Rating ask_python(const std::string& socket, const std::string& dir, const StopCheck& stop) {
  const Fd conn{connected(socket)};
  send_all(conn.fd, std::filesystem::absolute(dir).string() + "\n", socket);
  return parse_python_reply(reply_line(conn.fd, socket, stop));
}

Rating rate_trial(const std::string& method, const AccuracySource& src, const std::string& dir, const StopCheck& stop) {
  if (method == "python") return ask_python(src.python_socket, dir, stop);
  return run_trial(src.argv, src.timeout_s, dir, stop);
}

Rating rate_network_file(const std::string& method, const AccuracySource& src, const AccuracyTable* table,
                         const std::string& side_dir, const std::string& yaml, nlohmann::json proxy) {
  const std::string hash = sha256_hex(yaml);
  if (table) {
    const auto it = table->find(hash);
    return it == table->end() ? Rating{0, table_miss(src.file)} : Rating{it->second, ""};
  }
  proxy["network_sha256"] = hash;
  const TrialFiles files{"net-" + hash.substr(0, 16), {{"network.yaml", yaml}, {"proxy.json", proxy.dump() + "\n"}}};
  return rate_trial(method, src, prepare_trial(side_dir, files), run::stop_check());
}

}  // namespace rp::kinds
