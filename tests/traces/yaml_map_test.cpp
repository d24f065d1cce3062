// The one YAML reader (traces/yaml/yaml_map.h): what it refuses that yaml-cpp accepts, and the ordinary YAML it must
// keep accepting (issue 16). tests/bad_inputs runs the same checks end to end through the CLI.
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include "simulator/error.h"
#include "traces/yaml/yaml_map.h"

using rp::traces::YamlMap;

namespace {

std::string error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const rp::UsageError& e) {
    return e.what();
  }
  return "(no error)";
}

std::string nested(int levels) {
  std::string s = "a: ";
  for (int i = 0; i < levels; ++i) s += "[";
  for (int i = 0; i < levels; ++i) s += "]";
  return s + "\n";
}

std::string temp_file(const std::string& name, const std::string& bytes) {
  const auto path = std::filesystem::temp_directory_path() / ("rp-yaml-test-" + name);
  std::ofstream(path, std::ios::binary) << bytes;
  return path.string();
}

}  // namespace

TEST_CASE("ordinary YAML is still accepted", "[yaml]") {
  const YamlMap m = YamlMap::from_string(
      "plain: it's fine\n"                // a quote inside a plain scalar opens nothing
      "single: 'it''s [quoted]'\n"        // '' escape, brackets inside quotes
      "double: \"say \\\"hi\\\" {x}\"\n"  // \" escape
      "# a comment with ' and [ and {\n"
      "anchor: &a [1, 2]\n"
      "alias: *a\n"
      "nested: {x: [1, {y: 2}]}\n"
      "unicode: \"\xc3\xa9t\xc3\xa9\"\n",  // UTF-8 text
      "ok.yaml");
  CHECK(m.str("plain") == "it's fine");
  CHECK(m.str("single") == "it's [quoted]");
  CHECK(m.str("double") == "say \"hi\" {x}");
  CHECK(m.node()["alias"].size() == 2);
  CHECK(m.str("unicode") == "\xc3\xa9t\xc3\xa9");
  CHECK_NOTHROW(YamlMap::from_string(nested(rp::traces::kMaxYamlDepth - 1), "deep.yaml"));
}

TEST_CASE("yaml-cpp's silent acceptances are one clear error", "[yaml]") {
  // Duplicate keys: yaml-cpp keeps both and a lookup returns the first.
  CHECK(error_of([] { YamlMap::from_string("a: 1\nb:\n  c: 2\n  c: 3\n", "dup.yaml"); }) ==
        "dup.yaml:4: duplicate key 'b.c' (each key may appear once in a mapping)");
  CHECK(error_of([] { YamlMap::from_string("? [x, y]\n: 1\n", "key.yaml"); }) ==
        "key.yaml:1: a mapping key must be a scalar, got a list or mapping");
  // An unclosed quote: yaml-cpp 0.7 reads the rest of the file as one string.
  CHECK(error_of([] { YamlMap::from_string("a: 1\nname: \"net\nb: 2\n", "quote.yaml"); }) ==
        "quote.yaml:2: unclosed quote: the \" opened here runs to the end of the file");
  CHECK_THAT(error_of([] { YamlMap::from_string(nested(rp::traces::kMaxYamlDepth + 1), "deep.yaml"); }),
             Catch::Contains("deep.yaml:1: nested deeper than 64 levels"));
  // 10 aliases of 10 aliases of ... 6 levels: 10^6 leaves from ~200 characters.
  std::string bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i <= 6; ++i) {
    bomb += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k) bomb += (k ? ", *a" : "*a") + std::to_string(i - 1);
    bomb += "]\n";
  }
  CHECK_THAT(error_of([&] { YamlMap::from_string(bomb, "bomb.yaml"); }), Catch::Contains("alias bomb"));
}

TEST_CASE("files that are not YAML text are refused before parsing", "[yaml]") {
  const auto dir = std::filesystem::temp_directory_path() / "rp-yaml-test-dir";
  std::filesystem::create_directories(dir);
  CHECK_THAT(error_of([&] { YamlMap::load_file(dir.string()); }), Catch::Contains("is a directory"));
  CHECK_THAT(error_of([] { YamlMap::load_file(temp_file("nul.yaml", std::string("a: 1\n\0b", 7))); }),
             Catch::Contains("not a text file (byte 0x00 at offset 5"));
  CHECK_THAT(error_of([] { YamlMap::load_file(temp_file("latin1.yaml", "a: caf\xe9\n")); }),  // Latin-1, not UTF-8
             Catch::Contains("not a text file (byte 0xe9 at offset 6"));
  CHECK_THAT(error_of([] { YamlMap::load_file("/nonexistent-rp/x.yaml"); }), Catch::Contains("cannot open file"));
}

TEST_CASE("ranges are checked on the value as written, before narrowing", "[yaml]") {
  const YamlMap m = YamlMap::from_string("r: 4294967520\nw: 100000\nbig: 99999999999999999999\n", "r.yaml");
  // 4294967520 = 2^32 + 224: a cast to int would read 224.
  CHECK(error_of([&] { m.integer_in("r", 8, 4096); }) == "r.yaml:1: key 'r': must be in [8, 4096], got 4294967520");
  CHECK(error_of([&] { m.number_in("w", 1.0, 0, 64, true); }) == "r.yaml:2: key 'w': must be in (0, 64], got 100000");
  CHECK_THAT(error_of([&] { m.integer("big"); }), Catch::Contains("beyond 64 bits"));
  CHECK(m.integer_in("absent", 7, 1, 10) == 7);
}

// Lines like /etc/shadow's end in ':' and so parse as the keys of a YAML mapping (values null). An error about
// them names the file and line and says what was expected, never the line itself.
TEST_CASE("errors never quote a key that is not a key name", "[yaml][bad-input]") {
  const std::string shadow = "root:$6$saltsalt$SECRETHASH:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n";
  const std::string e = error_of([&] { YamlMap::from_string(shadow, "shadow").reject_unknown({"name", "blocks"}); });
  CHECK(e == "shadow:1: unknown key (not shown: not a key name) (expected one of: name, blocks)");
  const std::string twice = "\"p@ss w0rd\": 1\n\"p@ss w0rd\": 2\n";
  CHECK(error_of([&] { YamlMap::from_string(twice, "dup"); }) ==
        "dup:2: duplicate key (not shown: not a key name) (each key may appear once in a mapping)");
  // A key name (letters, digits, '_', '-', '.', at most 64 characters) is quoted: it is what a misspelt key is.
  CHECK(error_of([&] { YamlMap::from_string("resolutoin: 224\n", "net").reject_unknown({"resolution"}); }) ==
        "net:1: unknown key 'resolutoin'; did you mean resolution? (expected one of: resolution)");
  CHECK(rp::traces::quoted_key("stack.lowering.max_tiles") == "'stack.lowering.max_tiles'");
  CHECK(rp::traces::quoted_key(std::string(64, 'k')) == "'" + std::string(64, 'k') + "'");
  for (const std::string& k : {std::string(65, 'k'), std::string("9lives"), std::string("a b"), std::string("a:b"),
                               std::string("$6$x"), std::string("caf\xc3\xa9"), std::string()}) {
    CAPTURE(k);
    CHECK(rp::traces::quoted_key(k) == "(not shown: not a key name)");
  }
}

TEST_CASE("errors quote a value only when it is short printable text", "[yaml][bad-input]") {
  const std::string long_value(100, 'x');
  CHECK(error_of([&] { YamlMap::from_string("resolution: " + long_value + "\n", "net").integer("resolution"); }) ==
        "net:1: key 'resolution': expected an integer, got a value of 100 characters (not shown)");
  CHECK(error_of([&] { YamlMap::from_string("resolution: big\n", "net").integer("resolution"); }) ==
        "net:1: key 'resolution': expected an integer, got 'big'");
  // "\x01" is a YAML escape: the scalar holds a control character, so it is not shown.
  CHECK(error_of([&] { YamlMap::from_string("width: \"1\\x01\"\n", "net").number("width"); }) ==
        "net:1: key 'width': expected a number, got a value of 2 characters (not shown)");
  CHECK(rp::traces::quoted_value("caf\xc3\xa9") == "a value of 5 characters (not shown)");
  CHECK(rp::traces::quoted_value(std::string(64, 'v')) == "'" + std::string(64, 'v') + "'");
}
