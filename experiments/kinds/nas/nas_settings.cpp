#include "experiments/kinds/nas/nas_settings.h"

#include "nas/space/search_space.h"

namespace rp::kinds {

using settings::ParamSpec;
using settings::TextSpec;

void describe(settings::SettingsVisitor& v, NasSettings& s) {
  declare_kind(v, s.kind, {"nas"}, s.name);
  v.text("space", s.space,
         TextSpec::required("the search space (efficientnet, efficientnet-x)").checked([](const std::string& n) {
           nas::search_space(n);
         }));
  declare_hardware(v, s.hardware);
  declare_resolution(v, s.resolution, 32, 224);
  v.real("target_latency_ms", s.target_latency_ms,
         ParamSpec::between(0, 1e9, "ms", "the latency target T of the reward").above(0));
  declare_reward(v, s.reward, false, [&](settings::SettingsVisitor& r) {
    r.text("control", s.reward_control,
           TextSpec::word({"none", "no-latency", "shuffled-latency"}, std::string("none"),
                          "a control search (docs/nas.md): none; no-latency rewards accuracy alone (w = 0); "
                          "shuffled-latency rewards each candidate with another candidate's latency from its round"));
  });
  v.section("search", [&](settings::SettingsVisitor& g) {
    g.text("method", s.method, TextSpec::word({"rl", "random"}, std::nullopt, "the controller"));
    // A million samples is 5000 x the paper-scale searches this tool reproduces (200); more was never meant.
    g.integer("samples", s.samples, ParamSpec::between(1, 1000000, "", "architectures sampled"));
    declare_seed(g, s.search_seed);
    g.integer("round", s.round,
              ParamSpec::between(1, 256, "",
                                 "architectures proposed per controller round, trained at once (one REINFORCE "
                                 "update per round)")
                  .or_default(4));
  });
  v.section("accuracy", [&](settings::SettingsVisitor& a) {
    a.text("method", s.accuracy_method,
           TextSpec::word({"proxy", "table", "command", "python"}, std::string("proxy"), "where accuracy comes from"));
    declare_proxy_training(a, s.training, 10000);
    declare_accuracy_source(a, s.accuracy_source, s.accuracy_method);
    a.integer(
        "test_images", s.test_images,
        ParamSpec::between(
            1, 10000, "images",
            "test images of the data set (the first N; all when fewer) the winner is scored on once, after the search "
            "(docs/nas.md, Test split)")
            .or_default(10000));
    declare_device(a, s.training);
  });
  declare_dataset(v, s.dataset);
  // Only the proxy loads, checks and hashes a data set; a table or an external trial would only carry its name.
  v.require(s.accuracy_method == "proxy" || !v.given("dataset"), "dataset", "applies to accuracy method: proxy only");
  declare_output(v, s.output);
}

std::vector<settings::KeyInfo> nas_keys() {
  NasSettings s;
  return settings::list(declaration(s, describe));
}

NasSettings load_nas(const std::string& file, const std::string& output) {
  NasSettings s = load_settings<NasSettings>(file, describe, output);
  resolve_hardware(s.hardware, file);
  check_accuracy_source(s.accuracy_method, s.accuracy_source, file);
  return s;
}

}  // namespace rp::kinds
