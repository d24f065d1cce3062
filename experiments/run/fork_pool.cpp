// make_fork_pool (job_pool.h): `--jobs N` forked workers exchanging one-line messages over pipes.
#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <deque>

#include "experiments/run/interrupt.h"
#include "experiments/run/job_pool.h"
#include "experiments/run/worker_process.h"
#include "simulator/error.h"

namespace rp::run {
namespace {

constexpr int kPollMs = 100;  // how often a waiting run() looks at the interrupt flag
// Requests queued at each worker: the next one waits in its pipe while it computes, so a worker never idles while
// this process journals the last reply (with jobs of a millisecond or two, that wait bounded the points/s).
constexpr size_t kDepth = 2;

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

// The worker's loop: a request per line in, a reply per line out, until the parent closes the pipe.
[[noreturn]] void worker_main(int in, int out, const Job& job) {
  std::string buf;
  char chunk[4096];
  for (;;) {
    const size_t nl = buf.find('\n');
    if (nl != std::string::npos) {
      const std::string request = buf.substr(0, nl);
      buf.erase(0, nl + 1);
      if (!write_all(out, encode_reply(job, request) + "\n")) ::_exit(1);
      continue;
    }
    const ssize_t n = ::read(in, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) ::_exit(0);  // the parent closed the pipe: done
    buf.append(chunk, static_cast<size_t>(n));
  }
}

std::string exit_text(int status) {
  if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
  if (WIFEXITED(status)) return "exit code " + std::to_string(WEXITSTATUS(status));
  return "status " + std::to_string(status);
}

class ForkPool : public JobPool {
 public:
  ForkPool(int workers, const Job& job) {
    try {
      for (int i = 0; i < workers; ++i) start(job);
    } catch (...) {
      stop_all();  // a failed fork or pipe leaves no worker behind
      throw;
    }
  }
  ~ForkPool() override { stop_all(); }
  int workers() const override { return static_cast<int>(workers_.size()); }

  void run(const std::vector<std::string>& requests, const Reply& done) override {
    std::deque<size_t> queue;
    for (size_t i = 0; i < requests.size(); ++i) queue.push_back(i);
    size_t finished = 0;
    while (finished < requests.size()) {
      dispatch(queue, requests);
      throw_if_interrupted();
      finished += collect(done);
    }
    throw_if_interrupted();
  }

 private:
  struct Worker {
    pid_t pid = -1;
    int to = -1, from = -1;     // request pipe (write end), reply pipe (read end)
    std::deque<size_t> queued;  // indices of the requests sent and not yet answered, in the order sent
    std::string buffer;
  };

  void start(const Job& job) {
    int req[2], rep[2];
    if (::pipe2(req, O_CLOEXEC) != 0) throw SimulationError(std::string("pipe: ") + std::strerror(errno));
    if (::pipe2(rep, O_CLOEXEC) != 0) {
      ::close(req[0]);
      ::close(req[1]);
      throw SimulationError(std::string("pipe: ") + std::strerror(errno));
    }
    pid_t pid = -1;
    try {
      pid = fork_worker();  // dies with this process, even on kill -9
    } catch (...) {
      for (int fd : {req[0], req[1], rep[0], rep[1]}) ::close(fd);
      throw;
    }
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
    workers_.push_back({pid, req[1], rep[0], {}, {}});
  }

  void dispatch(std::deque<size_t>& queue, const std::vector<std::string>& requests) {
    for (size_t w = 0; w < workers_.size(); ++w) {
      while (workers_[w].queued.size() < kDepth && !queue.empty()) {
        workers_[w].queued.push_back(queue.front());
        queue.pop_front();
        if (!write_all(workers_[w].to, requests[workers_[w].queued.back()] + "\n")) {
          throw SimulationError("worker " + std::to_string(w) + " is gone (it could not be sent a job)");
        }
      }
    }
  }

  // Waits up to kPollMs for replies; hands each to `done`; returns how many arrived.
  size_t collect(const Reply& done) {
    std::vector<pollfd> fds;
    std::vector<size_t> who;
    for (size_t w = 0; w < workers_.size(); ++w) {
      if (workers_[w].queued.empty()) continue;
      fds.push_back({workers_[w].from, POLLIN, 0});
      who.push_back(w);
    }
    if (::poll(fds.data(), fds.size(), kPollMs) < 0) {
      if (errno == EINTR) return 0;
      throw SimulationError(std::string("poll: ") + std::strerror(errno));
    }
    size_t arrived = 0;
    for (size_t k = 0; k < fds.size(); ++k) {
      if (fds[k].revents & (POLLIN | POLLHUP | POLLERR)) arrived += read_reply(who[k], done);
    }
    return arrived;
  }

  // Reads what worker `w` sent; hands each whole reply to `done` (a worker answers in the order it was asked).
  size_t read_reply(size_t w, const Reply& done) {
    Worker& wk = workers_[w];
    char chunk[4096];
    const ssize_t n = ::read(wk.from, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) return 0;
    if (n <= 0) died(w);
    wk.buffer.append(chunk, static_cast<size_t>(n));
    size_t arrived = 0, start = 0;
    for (size_t nl = wk.buffer.find('\n'); nl != std::string::npos; nl = wk.buffer.find('\n', start)) {
      const std::string wire = wk.buffer.substr(start, nl - start);
      start = nl + 1;
      if (wk.queued.empty()) throw SimulationError("worker " + std::to_string(w) + " replied to no request");
      const size_t index = wk.queued.front();
      wk.queued.pop_front();
      throw_if_interrupted();  // a worker stopped by the same Ctrl-C replies with an error: the interrupt wins
      done(index, decode_reply(wire, "worker " + std::to_string(w)));
      ++arrived;
    }
    wk.buffer.erase(0, start);
    return arrived;
  }

  [[noreturn]] void died(size_t w) {
    throw_if_interrupted();  // a Ctrl-C to the process group may reach a worker first
    int status = 0;
    Worker& wk = workers_[w];
    const std::string how = ::waitpid(wk.pid, &status, 0) == wk.pid ? exit_text(status) : "gone";
    wk.pid = -1;
    throw SimulationError("worker " + std::to_string(w) + " died (" + how + ") in the middle of a job");
  }

  void stop_all() {
    for (Worker& w : workers_) {
      if (w.to >= 0) ::close(w.to);  // an idle worker exits when its request pipe closes
      if (w.from >= 0) ::close(w.from);
      if (w.pid > 0 && !w.queued.empty()) ::kill(w.pid, SIGKILL);  // a busy one would finish its jobs first
      w.to = w.from = -1;
    }
    for (Worker& w : workers_) {
      int status = 0;
      if (w.pid > 0) ::waitpid(w.pid, &status, 0);
      w.pid = -1;
    }
    workers_.clear();
  }

  std::vector<Worker> workers_;
};

}  // namespace

std::unique_ptr<JobPool> make_fork_pool(int workers, Job job) { return std::make_unique<ForkPool>(workers, job); }

}  // namespace rp::run
