// The HDF5 trace read back with the HDF5 C++ API: schema, row counts, and times consistent with the latency.
#include <catch2/catch.hpp>

#include <H5Cpp.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "simulator/error.h"
#include "tests/traces/writers/traced_run.h"
#include "traces/writers/hdf5_writer.h"
#include "traces/writers/trace_sinks.h"

using namespace rp;

namespace {

int64_t rows(const H5::H5File& f, const char* name) { return f.openDataSet(name).getSpace().getSimpleExtentNpoints(); }

// One float64 column of a compound dataset (HDF5 converts by member name).
std::vector<double> column(const H5::H5File& f, const char* ds, const char* member) {
  H5::DataSet d = f.openDataSet(ds);
  std::vector<double> v(static_cast<size_t>(d.getSpace().getSimpleExtentNpoints()));
  H5::CompType t(sizeof(double));
  t.insertMember(member, 0, H5::PredType::NATIVE_DOUBLE);
  d.read(v.data(), t);
  return v;
}

// One string column (variable-length UTF-8 in the file, checked here), read as C strings.
std::vector<std::string> string_column(const H5::H5File& f, const char* ds, const char* member) {
  H5::DataSet d = f.openDataSet(ds);
  const H5::CompType file_type = d.getCompType();
  const H5::StrType member_type = file_type.getMemberStrType(file_type.getMemberIndex(member));
  REQUIRE(member_type.isVariableStr());
  REQUIRE(member_type.getCset() == H5T_CSET_UTF8);
  const auto n = static_cast<size_t>(d.getSpace().getSimpleExtentNpoints());
  std::vector<char*> cells(n, nullptr);
  H5::StrType s(H5::PredType::C_S1, H5T_VARIABLE);
  s.setCset(H5T_CSET_UTF8);
  H5::CompType t(sizeof(char*));
  t.insertMember(member, 0, s);
  d.read(cells.data(), t);
  std::vector<std::string> out;
  for (char* c : cells) {
    out.emplace_back(c ? c : "");
    std::free(c);  // HDF5 allocated each string with malloc
  }
  return out;
}

double num_attr(const H5::Group& g, const char* name) {
  double v = 0;
  g.openAttribute(name).read(H5::PredType::NATIVE_DOUBLE, &v);
  return v;
}

std::string str_attr(const H5::Group& g, const char* name) {
  H5::Attribute a = g.openAttribute(name);
  std::string v;
  a.read(a.getStrType(), v);
  return v;
}

}  // namespace

TEST_CASE("HDF5 trace: schema, row counts and times consistent with the latency") {
  const auto run = test::traced_run();
  const test::ScratchDir dir("h5");
  const std::string path = dir.file("out.h5");
  {
    traces::TraceSinks sinks(path, "");
    REQUIRE(dir.files() == std::vector<std::string>{"out.h5.tmp"});
    // The sinks' own recorder did not see this run: writing must refuse rather than write an empty /tasks.
    CHECK_THROWS_AS(sinks.write(run->result, run->net, run->meta), SimulationError);
  }
  REQUIRE(dir.files().empty());  // nothing committed, temporary removed
  traces::write_hdf5_trace(run->input(), path);

  const H5::H5File f(path, H5F_ACC_RDONLY);
  const H5::Group meta = f.openGroup("/meta");
  for (const char* a :
       {"format", "format_version", "tool", "tool_version", "model", "accelerator", "family", "batch", "latency_ms",
        "flops", "hbm_bytes", "peak_flops", "hbm_bandwidth", "efficiency", "accelerator_yaml", "network"}) {
    INFO(a);
    CHECK(meta.attrExists(a));
  }
  CHECK(str_attr(meta, "model") == "mnasnet-a1");
  CHECK(str_attr(meta, "accelerator") == "tpuv3");
  CHECK(str_attr(meta, "accelerator_yaml") == run->acc->info().resolved_yaml);
  CHECK(str_attr(meta, "network").find("blocks.0/depthwise") != std::string::npos);
  CHECK(num_attr(meta, "batch") == 8);
  CHECK(num_attr(meta, "peak_flops") == run->result.peak_flops);
  CHECK(num_attr(meta, "hbm_bandwidth") == run->result.hbm_bandwidth);

  // Row counts: one per fusion group, per task, per unit instance (+ HBMs).
  const size_t groups = run->acc->lower(run->net).groups.size();
  CHECK(rows(f, "/layers") == static_cast<int64_t>(groups));
  CHECK(rows(f, "/tasks") == run->result.tasks);
  CHECK(rows(f, "/units") == static_cast<int64_t>(run->result.instances.size()));
  CHECK(string_column(f, "/layers", "name").front() == run->result.layers.front().name);
  CHECK(string_column(f, "/units", "name").front() == "core0.sequencer");
  const auto kinds = string_column(f, "/tasks", "kind");
  CHECK(std::count(kinds.begin(), kinds.end(), "load") > 0);
  CHECK(std::count(kinds.begin(), kinds.end(), "dispatch") == static_cast<long>(2 * groups));  // one per core

  // Times: start <= end <= latency for every layer and task; the last end is the latency.
  const double latency = num_attr(meta, "latency_ms");
  CHECK(latency == run->result.latency_ms);
  for (const char* ds : {"/layers", "/tasks"}) {
    INFO(ds);
    const auto start = column(f, ds, "start_ms"), end = column(f, ds, "end_ms");
    for (size_t i = 0; i < start.size(); ++i) {
      REQUIRE(0 <= start[i]);
      REQUIRE(start[i] <= end[i]);
      REQUIRE(end[i] <= latency);
    }
    CHECK(*std::max_element(end.begin(), end.end()) == latency);
  }
  const auto ready = column(f, "/tasks", "ready_ms"), tstart = column(f, "/tasks", "start_ms");
  const auto wait = column(f, "/tasks", "wait_ms");
  for (size_t i = 0; i < ready.size(); ++i) REQUIRE(wait[i] == Approx(tstart[i] - ready[i]).margin(1e-12));
}

TEST_CASE("HDF5 trace: a run that fails leaves neither the file nor its temporary") {
  const test::ScratchDir dir("h5fail");
  const std::string path = dir.file("out.h5");
  CHECK_THROWS_AS(
      [&] {
        traces::TraceSinks sinks(path, dir.file("out.json"));
        const auto run = test::traced_run({"vector_memory.capacity_mib=0.01"});  // a layer does not fit
        sinks.write(run->result, run->net, run->meta);
      }(),
      SimulationError);
  CHECK(dir.files().empty());
}

TEST_CASE("HDF5 trace: an unwritable destination is a usage error naming it") {
  const test::ScratchDir dir("h5bad");
  const std::string path = dir.file("no-such-dir/out.h5");
  CHECK_THROWS_WITH(traces::TraceSinks(path, ""),
                    Catch::Contains("cannot write '" + path + "'") && Catch::Contains("No such file or directory"));
  CHECK_THROWS_AS(traces::TraceSinks(dir.file("a"), dir.file("a")), UsageError);
  CHECK(dir.files().empty());
}
