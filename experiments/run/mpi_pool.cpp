// The MPI module (mpi_seam.h; built as ridgepoint-mpi.so, never linked into an executable): rank 0 hands jobs to
// ranks 1..N-1, one at a time per rank (job_pool.h make_mpi_pool and serve_mpi_jobs), and MpiContext's calls.
#include <mpi.h>

#include <chrono>
#include <deque>
#include <thread>

#include "experiments/run/job_pool.h"
#include "experiments/run/mpi_seam.h"
#include "simulator/error.h"

namespace rp::run {
namespace {

constexpr int kWork = 1, kStop = 2, kReply = 3;

void send(const std::string& s, int dest, int tag) {
  MPI_Send(s.data(), static_cast<int>(s.size()), MPI_CHAR, dest, tag, MPI_COMM_WORLD);
}

// Waits for a message from `source` (any tag) or `tag` (any source), polling the interrupt flag every
// millisecond; false when the run was interrupted first.
bool wait_message(const MpiHost& host, int source, int tag, MPI_Status& st) {
  for (;;) {
    int flag = 0;
    MPI_Iprobe(source, tag, MPI_COMM_WORLD, &flag, &st);
    if (flag) return true;
    if (host.interrupted()) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

std::string receive(const MPI_Status& probed) {
  int n = 0;
  MPI_Get_count(&probed, MPI_CHAR, &n);
  std::string s(static_cast<size_t>(n), '\0');
  MPI_Recv(s.data(), n, MPI_CHAR, probed.MPI_SOURCE, probed.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  return s;
}

class MpiPool : public JobPool {
 public:
  MpiPool(const MpiHost& host, int ranks) : host_(host), ranks_(ranks), busy_(static_cast<size_t>(ranks), -1) {}
  ~MpiPool() override {
    if (host_.interrupted()) return;  // rank 0 aborts the job; the other ranks need no word
    for (int r = 1; r < ranks_; ++r) send("", r, kStop);
  }
  int workers() const override { return ranks_ - 1; }

  void run(const std::vector<std::string>& requests, const Reply& done) override {
    std::deque<size_t> queue;
    for (size_t i = 0; i < requests.size(); ++i) queue.push_back(i);
    size_t finished = 0;
    while (finished < requests.size()) {
      for (int r = 1; r < ranks_ && !queue.empty(); ++r) {
        if (busy_[static_cast<size_t>(r)] >= 0) continue;
        busy_[static_cast<size_t>(r)] = static_cast<long>(queue.front());
        send(requests[queue.front()], r, kWork);
        queue.pop_front();
      }
      MPI_Status st;
      if (!wait_message(host_, MPI_ANY_SOURCE, kReply, st)) host_.throw_if_interrupted();
      const std::string wire = receive(st);
      const size_t index = static_cast<size_t>(busy_[static_cast<size_t>(st.MPI_SOURCE)]);
      busy_[static_cast<size_t>(st.MPI_SOURCE)] = -1;
      ++finished;
      host_.throw_if_interrupted();
      done(index, host_.decode_reply(wire, "rank " + std::to_string(st.MPI_SOURCE)));
    }
    host_.throw_if_interrupted();
  }

 private:
  const MpiHost& host_;
  int ranks_;
  std::vector<long> busy_;
};

class Backend : public MpiBackend {
 public:
  explicit Backend(const MpiHost& host) : host_(host) {}
  void init(int* argc, char*** argv, int& rank, int& size) override {
    MPI_Init(argc, argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
  }
  void finalize() override { MPI_Finalize(); }
  void barrier() override { MPI_Barrier(MPI_COMM_WORLD); }
  void abort(int code) override { MPI_Abort(MPI_COMM_WORLD, code); }
  std::unique_ptr<JobPool> make_pool(int ranks) override { return std::make_unique<MpiPool>(host_, ranks); }
  void serve(const Job& job) override {
    for (;;) {
      MPI_Status st;
      if (!wait_message(host_, 0, MPI_ANY_TAG, st)) return;
      const std::string request = receive(st);
      if (st.MPI_TAG == kStop) return;
      send(host_.encode_reply(job, request), 0, kReply);
    }
  }

 private:
  MpiHost host_;
};

}  // namespace
}  // namespace rp::run

extern "C" __attribute__((visibility("default"))) rp::run::MpiBackend* rp_mpi_backend(const rp::run::MpiHost* host) {
  static rp::run::Backend backend(*host);  // lives as long as the process (the seam never unloads the module)
  return &backend;
}
