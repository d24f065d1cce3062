// Settings declared once (experiments/settings/settings.h): one declaration reads and checks a file (every error
// one line with file, line and key), gives the canonical identity (without the keys outside it), a resolved YAML
// that reads back to the same settings, the referenced files, and the key list.
#include <catch2/catch.hpp>

#include <cmath>

#include "experiments/settings/settings_io.h"
#include "simulator/error.h"

using namespace rp;
using settings::ParamSpec;
using settings::SettingsVisitor;
using settings::TextSpec;

namespace {

struct S {
  std::string kind, accelerator, output;
  std::vector<std::string> models, set;
  int64_t samples = 0;
  double rate = 0;
  bool fast = false;
  settings::Range alpha;
  std::vector<settings::Axis> grid;
  bool retrain = false;
  int64_t images = 0;
  std::string method;
};

void describe(SettingsVisitor& v, S& s) {
  v.text("kind", s.kind, TextSpec::word({"demo"}, std::nullopt, "the kind"));
  v.text("accelerator", s.accelerator, TextSpec::required("accelerator", TextSpec::kAccelerator));
  v.list("models", s.models, TextSpec::required("networks", TextSpec::kNetwork));
  v.overrides("set", s.set, "overrides");
  v.section("search", [&](SettingsVisitor& g) {
    g.integer("samples", s.samples, ParamSpec::between(1, 1000000, "", "samples"));
    g.real("rate", s.rate, ParamSpec::between(0, 1, "", "rate").above(0).or_default(0.5));
    g.boolean("fast", s.fast, ParamSpec::flag("fast").or_default(0));
    g.text("method", s.method, TextSpec::word({"rl", "random"}, std::string("rl"), "method"));
  });
  v.range("alpha", s.alpha, ParamSpec::between(0, 4, "", "coefficient").above(0));
  v.axes("grid", s.grid, "grid");
  v.switch_section("retrain", s.retrain, [&](SettingsVisitor& r) {
    r.integer("images", s.images, ParamSpec::between(1, 50000, "", "images").or_default(10000));
  });
  v.text("output", s.output, TextSpec::required("output").outside_identity());
}

S load(const std::string& text) {
  S s;
  settings::read(traces::YamlMap::from_string(text, "x.yaml"), [&](SettingsVisitor& v) { describe(v, s); });
  return s;
}

const std::string kGood = R"(kind: demo
accelerator: tpuv3
models: [efficientnet-b0, net.yaml]
set: {hbm.bandwidth_gbps: 1200}
search: {samples: 8, rate: 0.25}
alpha: [1.0, 1.4, 0.05]
grid: {matrix_unit.rows: [64, 128]}
retrain: {images: 500}
output: out.h5
)";

std::string error_of(const std::string& text) {
  try {
    load(text);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("settings: a file reads into the declared values, defaults where absent") {
  const S s = load(kGood);
  CHECK(s.models == std::vector<std::string>{"efficientnet-b0", "net.yaml"});
  CHECK(s.set == std::vector<std::string>{"hbm.bandwidth_gbps=1200"});
  CHECK(s.samples == 8);
  CHECK(s.rate == 0.25);
  CHECK_FALSE(s.fast);
  CHECK(s.method == "rl");
  CHECK((s.alpha.start == 1.0 && s.alpha.stop == 1.4 && s.alpha.step == 0.05));
  REQUIRE(s.grid.size() == 1);
  CHECK(s.grid[0].values == std::vector<std::string>{"64", "128"});
  CHECK(s.retrain);
  CHECK(s.images == 500);
}

TEST_CASE("settings: `set:` as a list of key=value or as a mapping gives the same overrides") {
  std::string as_list = kGood;
  as_list.replace(as_list.find("set: {hbm.bandwidth_gbps: 1200}"), 31, "set: [hbm.bandwidth_gbps=1200]");
  CHECK(load(as_list).set == load(kGood).set);
}

TEST_CASE("settings: a typo of a required key is named as the unknown key it is, not as a missing one") {
  std::string typo = kGood;
  typo.replace(typo.find("accelerator: tpuv3"), 11, "accelerater");  // line 2; one substitution from accelerator
  CHECK(error_of(typo) ==
        "x.yaml:2: unknown key 'accelerater'; did you mean accelerator? (expected one of: kind, accelerator, models, "
        "set, search, alpha, grid, retrain, output)");
  std::string far = kGood;  // a key far from every declared one: the missing key is the error, as before
  far.replace(far.find("accelerator: tpuv3"), 11, "zzzzzzzzzzz");
  CHECK(error_of(far) == "x.yaml: missing required key 'accelerator'");
}

TEST_CASE("settings: every error is one line naming the file, line and key") {
  auto with = [](const std::string& from, const std::string& to) {
    std::string t = kGood;
    t.replace(t.find(from), from.size(), to);
    return t;
  };
  CHECK(error_of(with("samples: 8", "samples: 0")) ==
        "x.yaml:5: key 'search.samples': must be an integer in [1, 1000000], got 0");
  CHECK(error_of(with("rate: 0.25", "rate: 0")) == "x.yaml:5: key 'search.rate': must be in (0, 1], got 0");
  CHECK(error_of(with("[1.0, 1.4, 0.05]", "[1.0, .nan, 0.1]")) ==
        "x.yaml:6: key 'alpha': expected three finite numbers [start, stop, step], got [1.0, .nan, 0.1]");
  CHECK(error_of(with("[1.0, 1.4, 0.05]", "[1.4, 1.0, 0.05]")) ==
        "x.yaml:6: key 'alpha': inverted range (stop < start) [1.4, 1.0, 0.05]");
  CHECK(error_of(with("[1.0, 1.4, 0.05]", "[1.0, 1e10, 0.05]")) ==
        "x.yaml:6: key 'alpha': start and stop must be in (0, 4], got [1.0, 1e10, 0.05]");
  CHECK(error_of(with("[1.0, 1.4, 0.05]", "[1.0, 2.0, 0.0001]")) ==
        "x.yaml:6: key 'alpha': more than 1000 steps [1.0, 2.0, 0.0001]: use a larger step");
  CHECK(error_of(with("search: {samples: 8, rate: 0.25}", "search: {samples: 8, sampels: 9}")) ==
        "x.yaml:5: unknown key 'search.sampels'; did you mean samples? (expected one of: samples, rate, fast, method)");
  CHECK(error_of(with("retrain: {images: 500}", "retrain: maybe")) ==
        "x.yaml:8: key 'retrain': expected true or false, got 'maybe'");
  CHECK(error_of(with("accelerator: tpuv3\n", "")) == "x.yaml: missing required key 'accelerator'");
  CHECK(error_of(with("set: {hbm.bandwidth_gbps: 1200}", "set: 5")).find("key 'set': expected a list of key=value") !=
        std::string::npos);
}

TEST_CASE("settings: switch sections take true, false or a mapping") {
  auto retrain = [](const std::string& value) {
    std::string t = kGood;
    t.replace(t.find("retrain: {images: 500}"), 22, "retrain: " + value);
    return load(t);
  };
  CHECK_FALSE(retrain("false").retrain);
  CHECK(retrain("true").retrain);
  CHECK(retrain("true").images == 10000);  // on, with its defaults
}

TEST_CASE("settings: the canonical text leaves out what does not change results; the resolved YAML reads back") {
  S s = load(kGood);
  const auto declare = [&](SettingsVisitor& v) { describe(v, s); };
  const std::string canonical = settings::canonical(declare);
  CHECK(canonical.find("out.h5") == std::string::npos);  // output is outside the identity
  CHECK(canonical.find("\"samples\":8") != std::string::npos);
  const std::string yaml = settings::resolved_yaml(declare);
  CHECK(yaml.find("output: out.h5") != std::string::npos);
  S again = load(yaml);
  CHECK(settings::canonical([&](SettingsVisitor& v) { describe(v, again); }) == canonical);
  CHECK(again.output == "out.h5");
  const auto refs = settings::references(declare);
  REQUIRE(refs.size() == 3);
  CHECK((refs[0].role == "accelerator" && refs[0].value == "tpuv3"));
  CHECK((refs[2].role == "network" && refs[2].value == "net.yaml"));
}

TEST_CASE("settings: a default outside the bounds means absent, and the resolved YAML leaves it out") {
  // batch's default 0 is not a batch (bounds [1, 1000]): it stands for "the accelerator's default_batch". Written
  // out as `batch: 0` the resolved YAML would be refused when read back; left out, it reads back to 0 again.
  int64_t batch = -1;
  const auto describe_batch = [&](SettingsVisitor& v) {
    v.integer("batch", batch, ParamSpec::between(1, 1000, "images", "batch").or_default(0));
  };
  settings::read(traces::YamlMap::from_string("{}", "b.yaml"), describe_batch);
  REQUIRE(batch == 0);
  const std::string yaml = settings::resolved_yaml(describe_batch);
  CHECK(yaml.find("batch") == std::string::npos);
  batch = -1;
  settings::read(traces::YamlMap::from_string(yaml, "b.yaml"), describe_batch);
  CHECK(batch == 0);
  batch = 64;  // a batch given is written
  CHECK(settings::resolved_yaml(describe_batch).find("batch: 64") != std::string::npos);
}

TEST_CASE("settings: the key list gives each key's type, bounds and default") {
  S s;
  const auto rows = settings::list([&](SettingsVisitor& v) { describe(v, s); });
  auto row = [&](const std::string& key) {
    for (const auto& r : rows) {
      if (r.key == key) return r;
    }
    FAIL("no row " << key);
    return settings::KeyInfo{};
  };
  CHECK(row("search.samples").type == "integer");
  CHECK(row("search.samples").bounds == "[1, 1000000]");
  CHECK(row("search.samples").fallback == "(required)");
  CHECK(row("search.rate").fallback == "0.5");
  CHECK(row("search.method").bounds == "one of: rl, random");
  CHECK(row("retrain.images").fallback == "10000");
  CHECK(row("alpha").type == "range");
}

TEST_CASE("settings: an axis given as a range expands to its values, which the resolved YAML reads back") {
  auto grid_of = [](const std::string& axis) {
    std::string t = kGood;
    t.replace(t.find("{matrix_unit.rows: [64, 128]}"), 29, axis);
    return t;
  };
  // linear: 0 + (1 - 0) x i / 4 for i = 0..4; log: 100 x 100^(i / 2) for i = 0..2 (the end exact).
  S lin = load(grid_of("{x: {min: 0, max: 1, steps: 5}}"));
  CHECK(lin.grid[0].values == std::vector<std::string>{"0", "0.25", "0.5", "0.75", "1"});
  S log = load(grid_of("{x: {min: 100, max: 10000, steps: 3, scale: log}}"));
  CHECK(log.grid[0].values == std::vector<std::string>{"100", "1000", "10000"});
  S one = load(grid_of("{x: {min: 7, max: 7, steps: 1}}"));
  CHECK(one.grid[0].values == std::vector<std::string>{"7"});
  const std::string yaml = settings::resolved_yaml([&](SettingsVisitor& v) { describe(v, log); });
  S again;
  settings::read(traces::YamlMap::from_string(yaml, "r.yaml"), [&](SettingsVisitor& v) { describe(v, again); });
  CHECK(again.grid[0].values == log.grid[0].values);
  CHECK(error_of(grid_of("{x: {min: 1, max: 2, steps: 1}}")) ==
        "x.yaml:7: key 'grid.x.steps': 1 step needs min == max (give 2 or more steps)");
  CHECK(error_of(grid_of("{x: {min: 2, max: 1, steps: 3}}")) ==
        "x.yaml:7: key 'grid.x.max': expected finite min <= max");
  CHECK(error_of(grid_of("{x: {min: 1, max: 2, steps: 3, step: 1}}")) ==
        "x.yaml:7: key 'grid.x.step': unknown range key (expected min, max, steps and optionally scale: linear | log)");
  CHECK(error_of(grid_of("{x: 5}")) ==
        "x.yaml:7: key 'grid.x': expected a non-empty list or a range {min, max, "
        "steps, scale}");
}
