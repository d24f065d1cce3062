#include "experiments/run/mpi_pool.h"

#include <mpi.h>

#include <deque>

#include "simulator/error.h"

namespace rp::nas {
namespace {

constexpr int kWork = 1, kStop = 2, kReply = 3;

void send(const std::string& s, int dest, int tag) {
  MPI_Send(s.data(), static_cast<int>(s.size()), MPI_CHAR, dest, tag, MPI_COMM_WORLD);
}

std::string receive(int source, int tag, MPI_Status& st) {
  MPI_Probe(source, tag, MPI_COMM_WORLD, &st);
  int n = 0;
  MPI_Get_count(&st, MPI_CHAR, &n);
  std::string s(static_cast<size_t>(n), '\0');
  MPI_Recv(s.data(), n, MPI_CHAR, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  return s;
}

}  // namespace

MpiPool::MpiPool(int ranks) : ranks_(ranks) {}

MpiPool::~MpiPool() {
  for (int r = 1; r < ranks_; ++r) send("", r, kStop);
}

void MpiPool::run(const std::vector<std::string>& requests,
                  const std::function<void(size_t, const std::string&)>& done) {
  std::deque<size_t> queue;
  for (size_t i = 0; i < requests.size(); ++i) queue.push_back(i);
  std::vector<long> busy(static_cast<size_t>(ranks_), -1);
  size_t finished = 0;
  while (finished < requests.size()) {
    for (int r = 1; r < ranks_ && !queue.empty(); ++r) {
      if (busy[static_cast<size_t>(r)] >= 0) continue;
      busy[static_cast<size_t>(r)] = static_cast<long>(queue.front());
      send(requests[queue.front()], r, kWork);
      queue.pop_front();
    }
    MPI_Status st;
    const std::string reply = receive(MPI_ANY_SOURCE, kReply, st);
    const size_t index = static_cast<size_t>(busy[static_cast<size_t>(st.MPI_SOURCE)]);
    busy[static_cast<size_t>(st.MPI_SOURCE)] = -1;
    ++finished;
    if (!reply.empty() && reply[0] == '!') {
      throw SimulationError("rank " + std::to_string(st.MPI_SOURCE) + ": " + reply.substr(1));
    }
    done(index, reply.substr(1));
  }
}

void mpi_worker_loop(const std::function<std::string(const std::string&)>& job) {
  for (;;) {
    MPI_Status st;
    MPI_Probe(0, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
    const std::string request = receive(0, st.MPI_TAG, st);
    if (st.MPI_TAG == kStop) return;
    std::string reply;
    try {
      reply = "+" + job(request);
    } catch (const std::exception& e) {
      reply = std::string("!") + e.what();
    }
    send(reply, 0, kReply);
  }
}

}  // namespace rp::nas
