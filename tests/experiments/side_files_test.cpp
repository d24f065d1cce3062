// run::SideFiles (experiments/run/side_files.h): a run writes beside its output only into OUTPUT-STEM.files/, a
// directory it made; it never writes into a directory it did not make, never replaces a file it did not write, and
// never follows a symbolic link planted there.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "experiments/run/side_files.h"
#include "simulator/error.h"
#include "tests/experiments/scratch_dir.h"

using namespace rp;

TEST_CASE("SideFiles: OUTPUT-STEM.files is made on first write; files read back; clear() removes only the run's") {
  const test::Scratch d("side");
  run::SideFiles f(d.file("nas.h5"));
  CHECK(f.dir() == d.file("nas.files"));
  CHECK(run::side_directory("results/x") == "results/x.files");
  CHECK_FALSE(f.read("best1.yaml"));
  f.write("best1.yaml", "# one\n");
  f.write("best1.yaml", "# two\n");  // the run's own file: replaced
  CHECK(*f.read("best1.yaml") == "# two\n");
  std::ofstream(f.path("notes.txt")) << "mine\n";  // the user's, in the run's directory
  f.clear();
  CHECK_FALSE(f.read("best1.yaml"));
  CHECK(test::slurp(f.path("notes.txt")) == "mine\n");
  ::unlink(f.path("notes.txt").c_str());
  f.remove_if_empty();
  CHECK_FALSE(std::filesystem::exists(f.dir()));
}

TEST_CASE("SideFiles: a directory the run did not make, or a file it did not write, is refused") {
  const test::Scratch d("side-foreign");
  std::filesystem::create_directory(d.file("lacs.files"));
  std::ofstream(d.file("lacs.files/lacs-phi0.yaml")) << "a user's file\n";
  run::SideFiles f(d.file("lacs.h5"));
  CHECK_THROWS_WITH(f.check(), Catch::Contains("was not made by a Ridgepoint run"));
  CHECK_THROWS_AS(f.write("lacs-phi0.yaml", "x"), UsageError);
  CHECK(test::slurp(d.file("lacs.files/lacs-phi0.yaml")) == "a user's file\n");

  run::SideFiles g(d.file("nas.h5"));
  g.write("best1.yaml", "# ours\n");
  std::ofstream(g.path("best2.yaml")) << "the user's\n";  // put there by hand: not on the run's list
  CHECK_THROWS_WITH(g.write("best2.yaml", "# ours\n"), Catch::Contains("it was not written by a Ridgepoint run"));
  CHECK(test::slurp(g.path("best2.yaml")) == "the user's\n");

  std::ofstream(d.file("x.files")) << "a file where the directory would go\n";
  CHECK_THROWS_WITH(run::SideFiles(d.file("x.h5")).check(), Catch::Contains("is not a directory"));
}

TEST_CASE("SideFiles: a symbolic link in the run's directory is neither read nor written through: it is refused") {
  const test::Scratch d("side-link");
  run::SideFiles f(d.file("h.h5"));
  f.write("winner.yaml", "# winner\n");
  std::ofstream(d.file("secret")) << "secret\n";
  ::unlink(f.path("winner.yaml").c_str());
  REQUIRE(::symlink(d.file("secret").c_str(), f.path("winner.yaml").c_str()) == 0);
  CHECK_THROWS_WITH(f.read("winner.yaml"), Catch::Contains("it is a symbolic link"));
  CHECK_THROWS_WITH(f.write("winner.yaml", "# new winner\n"), Catch::Contains("symbolic link"));
  CHECK(test::slurp(d.file("secret")) == "secret\n");
}
