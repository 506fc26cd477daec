#pragma once
// Helpers for the golden tests: load govuk-frontend's fixtures.json files from
// node_modules, normalise HTML whitespace, and read fixture options strictly
// (an option the mapping does not understand throws Unsupported, so a fixture
// can never pass by having options silently ignored).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <regex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "web/html.hpp"

namespace frontdoor::web::testing {

using J = nlohmann::ordered_json;

struct Unsupported : std::runtime_error {
  using std::runtime_error::runtime_error;
};

inline std::filesystem::path govuk_components_dir() {
  return std::filesystem::path(FRONTDOOR_SOURCE_DIR) / "node_modules" / "govuk-frontend" / "dist" /
         "govuk" / "components";
}

// Collapses whitespace, drops it next to tags, and trims class attribute
// values, so that markup differing only in layout compares equal.
inline std::string normalise_html(std::string_view html) {
  std::string collapsed;
  bool in_space = false;
  for (char c : html) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      in_space = true;
      continue;
    }
    if (in_space && !collapsed.empty()) collapsed += ' ';
    in_space = false;
    collapsed += c;
  }
  std::string out;
  for (std::size_t i = 0; i < collapsed.size(); ++i) {
    const char c = collapsed[i];
    if (c == ' ') {
      const char prev = out.empty() ? '\0' : out.back();
      const char next = i + 1 < collapsed.size() ? collapsed[i + 1] : '\0';
      if (prev == '>' || next == '<' || next == '>') continue;
    }
    out += c;
  }
  static const std::regex class_padding(R"(class=" ?([^"]*?) ?")");
  return std::regex_replace(out, class_padding, "class=\"$1\"");
}

// The fixtures of one component, by name. FAILS (not skips) when node_modules
// is missing: the test command always runs `npm ci` first.
inline J load_fixtures(const std::string& component) {
  const auto path = govuk_components_dir() / component / "fixtures.json";
  if (!std::filesystem::exists(path)) {
    ADD_FAILURE() << "Missing " << path.string()
                  << "\nThe GOV.UK Frontend fixtures come from node_modules: run `npm ci` (or "
                     "`npm install`) in the project root before the tests.";
    return J::array();
  }
  std::ifstream in(path);
  return J::parse(in)["fixtures"];
}

inline void only(const J& o, std::initializer_list<std::string_view> keys) {
  for (const auto& [key, value] : o.items()) {
    bool known = false;
    for (auto k : keys) known = known || k == key;
    if (!known) throw Unsupported("unsupported option: " + key);
  }
}

// Nunjucks treats null, false and "" as absent.
inline bool falsy(const J& v) {
  return v.is_null() || v == false || v == "";
}

inline bool has(const J& o, const char* key) {
  return o.is_object() && o.contains(key) && !o[key].is_null();
}

// A scalar option as a string ("" when absent); numbers and booleans as JSON.
inline std::string str(const J& o, const char* key) {
  if (!has(o, key)) return "";
  const J& v = o[key];
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number() || v.is_boolean()) return v.dump();
  throw Unsupported(std::string("non-scalar option: ") + key);
}

inline bool flag(const J& o, const char* key) {
  if (!has(o, key)) return false;
  const J& v = o[key];
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_string()) return !v.get<std::string>().empty();
  if (v.is_number()) return v.get<double>() != 0;
  return true;
}

inline std::optional<bool> tristate(const J& o, const char* key) {
  if (!has(o, key)) return std::nullopt;
  if (!o[key].is_boolean()) throw Unsupported(std::string("non-boolean option: ") + key);
  return o[key].get<bool>();
}

inline int integer(const J& o, const char* key, int fallback) {
  if (!has(o, key)) return fallback;
  if (o[key].is_number_integer()) return o[key].get<int>();
  if (o[key].is_string()) return std::stoi(o[key].get<std::string>());
  throw Unsupported(std::string("non-integer option: ") + key);
}

// Nunjucks' `params.html | safe if params.html else params.text`.
inline Html content(const J& o, const char* text_key = "text", const char* html_key = "html") {
  if (has(o, html_key) && !str(o, html_key).empty()) return Html::trusted(str(o, html_key));
  return Html(str(o, text_key));
}

inline Attributes attributes(const J& o, const char* key = "attributes") {
  Attributes out;
  if (!has(o, key)) return out;
  if (!o[key].is_object()) throw Unsupported("attributes given as a string");
  for (const auto& [name, value] : o[key].items()) {
    if (value.is_object()) throw Unsupported("optional attribute " + name);
    out.push_back({name, value.is_string() ? value.get<std::string>() : value.dump()});
  }
  return out;
}

}  // namespace frontdoor::web::testing
