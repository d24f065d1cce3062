#include "experiments/run/worker_pool.h"

#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <deque>

#include "experiments/run/worker_process.h"
#include "simulator/error.h"

namespace rp::nas {
namespace {

bool write_all(int fd, const std::string& s) {
  size_t done = 0;
  while (done < s.size()) {
    const ssize_t n = ::write(fd, s.data() + done, s.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

[[noreturn]] void worker_main(int in, int out, const WorkerPool::Job& job) {
  std::string buf;
  char chunk[4096];
  for (;;) {
    const size_t nl = buf.find('\n');
    if (nl != std::string::npos) {
      const std::string request = buf.substr(0, nl);
      buf.erase(0, nl + 1);
      std::string reply;
      try {
        reply = "+" + job(request);
      } catch (const std::exception& e) {
        reply = std::string("!") + e.what();
      }
      for (char& c : reply) {
        if (c == '\n') c = ' ';
      }
      if (!write_all(out, reply + "\n")) ::_exit(1);
      continue;
    }
    const ssize_t n = ::read(in, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) ::_exit(0);  // the parent closed the pipe: done
    buf.append(chunk, static_cast<size_t>(n));
  }
}

}  // namespace

WorkerPool::WorkerPool(int workers, Job job) {
  for (int i = 0; i < workers; ++i) {
    int req[2], rep[2];
    if (::pipe(req) != 0 || ::pipe(rep) != 0) throw SimulationError(std::string("pipe: ") + std::strerror(errno));
    const pid_t pid = run::fork_worker();  // dies with this process, even on kill -9
    if (pid == 0) {
      ::close(req[1]);
      ::close(rep[0]);
      for (const Worker& w : workers_) {  // the earlier workers' pipes belong to the parent
        ::close(w.to);
        ::close(w.from);
      }
      worker_main(req[0], rep[1], job);
    }
    ::close(req[0]);
    ::close(rep[1]);
    workers_.push_back({pid, req[1], rep[0], {}});
  }
}

WorkerPool::~WorkerPool() {
  for (Worker& w : workers_) {
    ::close(w.to);
    ::close(w.from);
  }
  for (Worker& w : workers_) {
    int status = 0;
    ::waitpid(w.pid, &status, 0);
  }
}

void WorkerPool::run(const std::vector<std::string>& requests,
                     const std::function<void(size_t, const std::string&)>& done) {
  std::deque<size_t> queue;
  for (size_t i = 0; i < requests.size(); ++i) queue.push_back(i);
  std::vector<long> busy(workers_.size(), -1);  // request index per worker
  size_t finished = 0;
  while (finished < requests.size()) {
    for (size_t w = 0; w < workers_.size() && !queue.empty(); ++w) {
      if (busy[w] >= 0) continue;
      busy[w] = static_cast<long>(queue.front());
      queue.pop_front();
      if (!write_all(workers_[w].to, requests[static_cast<size_t>(busy[w])] + "\n")) {
        throw SimulationError("worker " + std::to_string(w) + " is gone (could not send it work)");
      }
    }
    std::vector<pollfd> fds;
    std::vector<size_t> who;
    for (size_t w = 0; w < workers_.size(); ++w) {
      if (busy[w] >= 0) {
        fds.push_back({workers_[w].from, POLLIN, 0});
        who.push_back(w);
      }
    }
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      throw SimulationError(std::string("poll: ") + std::strerror(errno));
    }
    for (size_t k = 0; k < fds.size(); ++k) {
      if (!(fds[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      Worker& wk = workers_[who[k]];
      char chunk[4096];
      const ssize_t n = ::read(wk.from, chunk, sizeof chunk);
      if (n <= 0) throw SimulationError("worker " + std::to_string(who[k]) + " died while training a candidate");
      wk.buffer.append(chunk, static_cast<size_t>(n));
      const size_t nl = wk.buffer.find('\n');
      if (nl == std::string::npos) continue;
      const std::string reply = wk.buffer.substr(0, nl);
      wk.buffer.erase(0, nl + 1);
      const size_t index = static_cast<size_t>(busy[who[k]]);
      busy[who[k]] = -1;
      ++finished;
      if (!reply.empty() && reply[0] == '!') throw SimulationError("worker: " + reply.substr(1));
      done(index, reply.substr(1));
    }
  }
}

}  // namespace rp::nas
