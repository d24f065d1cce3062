// traces::write_atomically (traces/writers/output_file.h), the checkpoint writer: a process killed with SIGKILL
// at random moments while it rewrites a file leaves the previous complete content or the new one, never a mix.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "simulator/error.h"
#include "tests/experiments/scratch_dir.h"
#include "traces/writers/output_file.h"

using namespace rp;

namespace {

// A 1 MiB checkpoint, all one letter, ended by a marker line: a torn file is shorter or mixes letters.
std::string checkpoint(char letter) { return std::string(1 << 20, letter) + "\nend\n"; }

void write_checkpoint(const std::string& path, char letter) {
  traces::write_atomically(path, [&](const std::string& tmp) {
    const std::string text = checkpoint(letter);
    std::ofstream f(tmp, std::ios::binary);
    for (size_t i = 0; i < text.size(); i += 4096) f.write(text.data() + i, std::min<size_t>(4096, text.size() - i));
    if (!f.flush()) throw SimulationError("cannot write " + tmp);
  });
}

}  // namespace

TEST_CASE("write_atomically: the content appears at once, and a failed writer leaves the old file") {
  const test::Scratch d("atomic");
  const std::string path = d.file("ckpt.bin");
  write_checkpoint(path, 'a');
  CHECK(test::slurp(path) == checkpoint('a'));
  CHECK_FALSE(std::filesystem::exists(path + ".tmp"));
  CHECK_THROWS_AS(traces::write_atomically(path,
                                           [](const std::string& tmp) {
                                             std::ofstream(tmp) << "half";
                                             throw SimulationError("disk full");
                                           }),
                  SimulationError);
  CHECK(test::slurp(path) == checkpoint('a'));
  CHECK_FALSE(std::filesystem::exists(path + ".tmp"));
}

TEST_CASE("write_atomically: SIGKILL at 20 random moments of a rewrite loop never leaves a torn checkpoint") {
  const test::Scratch d("atomic-kill");
  const std::string path = d.file("ckpt.bin");
  write_checkpoint(path, 'a');
  const unsigned seed = 20240611;  // fixed: a failure reproduces
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> delay_us(2000, 60000);
  int mid_write = 0;  // kills that found a temporary being written
  for (int trial = 0; trial < 20; ++trial) {
    const pid_t writer = ::fork();
    REQUIRE(writer >= 0);
    if (writer == 0) {
      try {
        for (int k = 0;; ++k) write_checkpoint(path, static_cast<char>('a' + k % 3));
      } catch (...) {}
      ::_exit(1);
    }
    std::this_thread::sleep_for(std::chrono::microseconds(delay_us(rng)));
    ::kill(writer, SIGKILL);
    int status = 0;
    REQUIRE(::waitpid(writer, &status, 0) == writer);
    if (std::filesystem::exists(path + ".tmp")) ++mid_write;
    const std::string got = test::slurp(path);
    CAPTURE(seed, trial, got.size());
    CHECK((got == checkpoint('a') || got == checkpoint('b') || got == checkpoint('c')));
  }
  INFO("seed " << seed << ": " << mid_write << " of 20 kills landed while a temporary was being written");
  CHECK(mid_write > 0);  // the kills did hit the window that matters
}
