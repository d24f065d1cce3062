// write_h5_atomically (traces/writers/h5_output.h) and the side-file rules of OutputFile it builds on: a failed or
// refused write leaves the previous output byte for byte and no temporary, and nothing follows a symlink.
#include <catch2/catch.hpp>

#include <H5Cpp.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <future>
#include <optional>
#include <sstream>

#include "simulator/error.h"
#include "tests/traces/writers/traced_run.h"
#include "traces/writers/h5_output.h"
#include "traces/writers/hdf5_table.h"
#include "traces/writers/output_guard.h"

using namespace rp;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

void spit(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

// A small Ridgepoint-marked file: /meta with tool_version = `version`.
void write_marked(const std::string& path, const std::string& version) {
  traces::write_h5_atomically(path, [&](H5::H5File& f) {
    H5::Group meta = f.createGroup("meta");
    traces::write_attr(meta, "tool_version", version);
  });
}

std::string version_of(const std::string& path) {
  const H5::H5File f(path, H5F_ACC_RDONLY);
  const H5::Attribute a = f.openGroup("meta").openAttribute("tool_version");
  std::string v;
  a.read(a.getStrType(), v);
  return v;
}

// The whole check of a refused or failed write: the old bytes and nothing else in the directory.
void check_unchanged(const test::ScratchDir& dir, const std::string& name, const std::string& old) {
  CHECK(dir.files() == std::vector<std::string>{name});
  CHECK(slurp(dir.file(name)) == old);
}

}  // namespace

TEST_CASE("write_h5_atomically: the file appears complete, marked, without a temporary") {
  const test::ScratchDir dir("h5out");
  const std::string path = dir.file("o.h5");
  write_marked(path, "1.0");
  CHECK(dir.files() == std::vector<std::string>{"o.h5"});
  CHECK(version_of(path) == "1.0");
  CHECK(traces::written_by_ridgepoint(path));
  write_marked(path, "2.0");  // replaces it
  CHECK(version_of(path) == "2.0");
  CHECK(dir.files() == std::vector<std::string>{"o.h5"});
}

TEST_CASE("write_h5_atomically: a callback that throws leaves the previous output and no temporary") {
  const test::ScratchDir dir("h5throw");
  const std::string path = dir.file("o.h5");
  write_marked(path, "old");
  const std::string old = slurp(path);
  // Any exception of the callback propagates unchanged ...
  CHECK_THROWS_WITH(traces::write_h5_atomically(path,
                                                [](H5::H5File& f) {
                                                  H5::Group g = f.createGroup("meta");
                                                  throw std::runtime_error("callback failed");
                                                }),
                    "callback failed");
  check_unchanged(dir, "o.h5", old);
  // ... and an H5::Exception (not a std::exception) becomes one SimulationError line naming the output.
  CHECK_THROWS_MATCHES(traces::write_h5_atomically(path, [](H5::H5File& f) { f.openGroup("no-such-group"); }),
                       SimulationError, Catch::Matchers::Predicate<SimulationError>([&](const SimulationError& e) {
                         const std::string m = e.what();
                         return m.rfind("cannot write '" + path + "': HDF5: ", 0) == 0 &&
                                m.find('\n') == std::string::npos;
                       }));
  check_unchanged(dir, "o.h5", old);
}

TEST_CASE("write_h5_atomically: an object left open after the callback is an error, not a deferred flush") {
  const test::ScratchDir dir("h5open");
  const std::string path = dir.file("o.h5");
  write_marked(path, "old");
  const std::string old = slurp(path);
  std::optional<H5::Group> leaked;
  CHECK_THROWS_WITH(traces::write_h5_atomically(path, [&](H5::H5File& f) { leaked = f.createGroup("meta"); }),
                    Catch::StartsWith("cannot write '" + path + "': HDF5: write_h5: 1 object(s) still open"));
  check_unchanged(dir, "o.h5", old);
  leaked.reset();  // its id was closed by the helper: the wrapper's destructor must skip it quietly
}

TEST_CASE("write_h5_atomically: a symlink at PATH.tmp is refused and its target left alone") {
  const test::ScratchDir dir("h5link");
  const std::string path = dir.file("o.h5");
  spit(dir.file("victim.txt"), "precious\n");
  REQUIRE(::symlink("victim.txt", (path + ".tmp").c_str()) == 0);
  CHECK_THROWS_MATCHES(write_marked(path, "x"), UsageError,
                       Catch::Matchers::Message("cannot write '" + path + "': its temporary '" + path +
                                                ".tmp' exists and is not a regular file (it is a symbolic link); "
                                                "remove it"));
  CHECK(slurp(dir.file("victim.txt")) == "precious\n");
  CHECK(dir.files() == std::vector<std::string>{"o.h5.tmp", "victim.txt"});  // the link is not removed either
}

TEST_CASE("write_h5_atomically: a stale regular PATH.tmp (a killed run's) is replaced") {
  const test::ScratchDir dir("h5stale");
  const std::string path = dir.file("o.h5");
  spit(path + ".tmp", std::string(100000, 'x'));
  write_marked(path, "new");
  CHECK(version_of(path) == "new");
  CHECK(dir.files() == std::vector<std::string>{"o.h5"});
}

TEST_CASE("outputs that are not regular files are refused before anything opens them") {
  const test::ScratchDir dir("h5fifo");
  const std::string fifo = dir.file("fifo.h5"), link = dir.file("link.h5");
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  write_marked(dir.file("real.h5"), "1.0");
  REQUIRE(::symlink("real.h5", link.c_str()) == 0);
  // Run in a thread: opening the FIFO for reading would block, which the 10 s wait turns into a failure.
  auto refused = std::async(std::launch::async, [&] {
    std::vector<std::string> messages;
    for (const auto& f : {fifo, link}) {
      for (int which = 0; which < 3; ++which) {
        try {
          if (which == 0) traces::check_h5_output(f);
          if (which == 1) traces::OutputFile out(f);
          if (which == 2) write_marked(f, "2.0");
          messages.push_back("accepted");
        } catch (const UsageError& e) {
          messages.push_back(e.what());
        }
      }
    }
    return messages;
  });
  REQUIRE(refused.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  const auto m = refused.get();
  for (int i = 0; i < 3; ++i) {
    CHECK(m[i] == "output '" + fifo + "' is not a regular file (it is a FIFO)");
    CHECK(m[3 + i] == "output '" + link + "' is not a regular file (it is a symbolic link)");
  }
  CHECK_FALSE(traces::written_by_ridgepoint(fifo));
  CHECK(version_of(dir.file("real.h5")) == "1.0");
  CHECK(dir.files() == std::vector<std::string>{"fifo.h5", "link.h5", "real.h5"});
}

TEST_CASE("write_h5_atomically: a write the file system refuses names the reason, the old file stays") {
  // RLIMIT_FSIZE makes every write past the limit fail (EFBIG, "File too large"), as a full disk does (ENOSPC):
  // the helper must see it in its own write() of the image, not in a destructor or at exit.
  const test::ScratchDir dir("h5full");
  const std::string path = dir.file("o.h5");
  write_marked(path, "old");
  const std::string old = slurp(path);
  REQUIRE(old.size() < 8192);
  std::vector<double> big(100000, 1.5);  // 800 kB of float64: far past the limit
  struct rlimit saved {};
  REQUIRE(::getrlimit(RLIMIT_FSIZE, &saved) == 0);
  const auto previous = ::signal(SIGXFSZ, SIG_IGN);
  struct rlimit small = saved;
  small.rlim_cur = 65536;
  REQUIRE(::setrlimit(RLIMIT_FSIZE, &small) == 0);
  std::string message;
  try {
    traces::write_h5_atomically(path, [&](H5::H5File& f) {
      traces::Hdf5Table t(big.size());
      t.add("x", big);
      t.write(f, "big");
    });
  } catch (const SimulationError& e) {
    message = e.what();
  }
  ::setrlimit(RLIMIT_FSIZE, &saved);
  ::signal(SIGXFSZ, previous);
  CHECK(message == "cannot write '" + path + "': File too large");
  check_unchanged(dir, "o.h5", old);
}

TEST_CASE("OutputFile: a temporary replaced before commit is not renamed into place") {
  const test::ScratchDir dir("h5swap");
  const std::string path = dir.file("o.txt");
  spit(path, "old\n");
  traces::OutputFile out(path);
  out.write("new\n");
  spit(dir.file("other"), "planted\n");
  REQUIRE(::rename(dir.file("other").c_str(), out.tmp_path().c_str()) == 0);  // another inode at o.txt.tmp
  CHECK_THROWS_WITH(out.commit(), "cannot write '" + path + "': '" + path + ".tmp' was replaced while being " +
                                      "written; refusing to rename it into place");
  CHECK(slurp(path) == "old\n");
}
