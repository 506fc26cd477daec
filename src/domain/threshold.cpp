#include "domain/threshold.hpp"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

namespace frontdoor::domain {
namespace {

bool is_blank(std::string_view s) {
  return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

bool valid_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxFrameworkIdLength) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

bool valid_code(std::string_view code) {
  if (code.empty() || code.size() > kMaxIndicatorCodeLength) return false;
  return std::all_of(code.begin(), code.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '-';
  });
}

std::string level_field(std::size_t i) {
  return "levels[" + std::to_string(i) + "]";
}

std::string indicator_field(std::size_t level, std::size_t i) {
  return level_field(level) + ".indicators[" + std::to_string(i) + "]";
}

// Reads a string member; absent is an error naming `field`.
Result<std::string> read_string(const nlohmann::json& object, const char* key,
                                const std::string& field, const std::string& message) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return Error::field(field, message);
  return it->get<std::string>();
}

Result<int> read_int(const nlohmann::json& object, const char* key, const std::string& field,
                     const std::string& message) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_number_integer()) return Error::field(field, message);
  const auto value = it->get<long long>();
  if (value < -1000000 || value > 1000000) return Error::field(field, message);
  return static_cast<int>(value);
}

NeedLevel make_level(int number, std::string name, std::string descriptor,
                     std::vector<std::string> texts) {
  NeedLevel level{number, std::move(name), std::move(descriptor), {}};
  int i = 0;
  for (auto& text : texts) {
    level.indicators.push_back(
        Indicator{std::to_string(number) + "." + std::to_string(++i), std::move(text)});
  }
  return level;
}

}  // namespace

ThresholdFramework ThresholdFramework::default_framework() {
  ThresholdFramework f;
  f.id = "continuum-of-need";
  f.version = 1;
  f.name = "Continuum of need: right help, right time";
  f.levels.push_back(make_level(
      1, "Universal",
      "Children whose needs are met by universal services such as early years settings, "
      "schools, GPs and health visitors, with no extra support.",
      {
          "Healthy, and reaching developmental milestones",
          "Attends school or an early years setting regularly and is making expected progress",
          "Registered with a GP and dentist; immunisations are up to date",
          "Has stable, consistent care from parents or carers who meet their needs",
          "Has positive relationships with family, friends and peers",
          "Family has enough income, suitable housing and support in the community",
      }));
  f.levels.push_back(make_level(
      2, "Early help: additional needs, single agency",
      "Children with additional needs that one agency can meet, or a universal service with "
      "some extra support. The practitioner who knows the family leads, using an early help "
      "assessment with the family's consent.",
      {
          "School attendance is falling (below 90%) or the child is at risk of exclusion",
          "Missed health appointments, immunisations or developmental checks",
          "Speech, language or developmental delay that needs extra support",
          "Parent's low mood, stress or health needs are affecting routines at home",
          "Child is a young carer and it is starting to affect their education or wellbeing",
          "Family is in financial hardship, debt or poor housing",
          "Early signs of risk-taking, for example experimenting with alcohol or cannabis",
          "Parental separation or bereavement is affecting the child's emotional wellbeing",
      }));
  f.levels.push_back(make_level(
      3, "Targeted early help: multi-agency",
      "Children and families with several or complex needs that need services working "
      "together, coordinated by a lead professional through a team around the family. Work "
      "is with the family's consent.",
      {
          "Persistent absence (below 80%), repeated suspensions or missing from education",
          // NOLINTNEXTLINE(bugprone-suspicious-missing-comma): one sentence over two lines
          "Parent's drug or alcohol use is affecting the care of the child, without immediate "
          "risk",
          "Domestic abuse in the household assessed as standard or medium risk",
          "Child's emotional or mental health needs are affecting daily life, including self-harm "
          "without immediate danger",
          "Child goes missing from home for short periods, or there are early signs of "
          "exploitation",
          "Basic care is neglected: hygiene, diet, clothing or the home's condition are a concern",
          "Parents struggle to set boundaries and the child's behaviour is putting them at risk",
          "Family is at risk of homelessness or eviction",
      }));
  f.levels.push_back(make_level(
      4, "Statutory social care: child in need and child protection",
      "Children who are suffering, or are likely to suffer, significant harm (section 47), or "
      "whose health or development will be significantly impaired without services from "
      "children's social care (section 17). If a child is in immediate danger, call 999.",
      {
          "Disclosure of physical or sexual abuse",
          "Injury to a non-mobile baby, or an unexplained or suspicious injury to any child",
          "Parent's substance misuse places the child at immediate risk",
          "High-risk domestic abuse (MARAC level) with children in the household",
          // NOLINTNEXTLINE(bugprone-suspicious-missing-comma): one sentence over two lines
          "Child at risk of sexual or criminal exploitation or trafficking, or going missing "
          "repeatedly",
          "Severe or long-standing neglect significantly harming the child's health or "
          "development, or a child abandoned or left without care",
          "Unborn baby likely to suffer significant harm after birth",
          "Concerns about female genital mutilation, forced marriage, honour-based abuse or "
          "radicalisation",
      }));
  return f;
}

const NeedLevel* ThresholdFramework::level(int number) const {
  for (const auto& l : levels) {
    if (l.number == number) return &l;
  }
  return nullptr;
}

const Indicator* ThresholdFramework::find_indicator(std::string_view code) const {
  for (const auto& l : levels) {
    for (const auto& indicator : l.indicators) {
      if (indicator.code == code) return &indicator;
    }
  }
  return nullptr;
}

std::optional<int> ThresholdFramework::level_of_indicator(std::string_view code) const {
  for (const auto& l : levels) {
    for (const auto& indicator : l.indicators) {
      if (indicator.code == code) return l.number;
    }
  }
  return std::nullopt;
}

nlohmann::json ThresholdFramework::to_json() const {
  nlohmann::json out_levels = nlohmann::json::array();
  for (const auto& l : levels) {
    nlohmann::json indicators = nlohmann::json::array();
    for (const auto& indicator : l.indicators) {
      indicators.push_back({{"code", indicator.code}, {"text", indicator.text}});
    }
    out_levels.push_back({{"number", l.number},
                          {"name", l.name},
                          {"descriptor", l.descriptor},
                          {"indicators", std::move(indicators)}});
  }
  return {{"id", id}, {"version", version}, {"name", name}, {"levels", std::move(out_levels)}};
}

Result<ThresholdFramework> ThresholdFramework::from_json(const nlohmann::json& json) {
  if (!json.is_object()) return Error::validation("The threshold framework must be a JSON object");
  ThresholdFramework f;
  FD_ASSIGN_OR_RETURN(f.id, read_string(json, "id", "id", "Enter an ID for the framework"));
  FD_ASSIGN_OR_RETURN(f.version, read_int(json, "version", "version",
                                          "Enter the framework's version as a whole number"));
  FD_ASSIGN_OR_RETURN(f.name, read_string(json, "name", "name", "Enter a name for the framework"));
  const auto levels = json.find("levels");
  if (levels == json.end() || !levels->is_array()) {
    return Error::field("levels", "Add at least one level of need");
  }
  std::size_t li = 0;
  for (const auto& level_json : *levels) {
    const std::string lf = level_field(li);
    if (!level_json.is_object()) return Error::field(lf, "Each level must be a JSON object");
    NeedLevel level;
    FD_ASSIGN_OR_RETURN(level.number, read_int(level_json, "number", lf + ".number",
                                               "Enter the level's number as a whole number"));
    FD_ASSIGN_OR_RETURN(
        level.name, read_string(level_json, "name", lf + ".name", "Enter a name for the level"));
    if (const auto d = level_json.find("descriptor"); d != level_json.end() && !d->is_null()) {
      if (!d->is_string()) return Error::field(lf + ".descriptor", "The descriptor must be text");
      level.descriptor = d->get<std::string>();
    }
    if (const auto inds = level_json.find("indicators");
        inds != level_json.end() && !inds->is_null()) {
      if (!inds->is_array()) {
        return Error::field(lf + ".indicators", "Indicators must be a list");
      }
      std::size_t ii = 0;
      for (const auto& ind_json : *inds) {
        const std::string inf = indicator_field(li, ii);
        if (!ind_json.is_object()) {
          return Error::field(inf, "Each indicator must be a JSON object");
        }
        Indicator indicator;
        FD_ASSIGN_OR_RETURN(indicator.code, read_string(ind_json, "code", inf + ".code",
                                                        "Enter a code for the indicator"));
        FD_ASSIGN_OR_RETURN(indicator.text, read_string(ind_json, "text", inf + ".text",
                                                        "Enter the text of the indicator"));
        level.indicators.push_back(std::move(indicator));
        ++ii;
      }
    }
    f.levels.push_back(std::move(level));
    ++li;
  }
  FD_TRY(validate_framework(f));
  std::stable_sort(f.levels.begin(), f.levels.end(),
                   [](const NeedLevel& a, const NeedLevel& b) { return a.number < b.number; });
  return f;
}

Result<ThresholdFramework> ThresholdFramework::parse(std::string_view json_text) {
  const auto json = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return Error::validation("The threshold framework is not valid JSON");
  return from_json(json);
}

Status validate_framework(const ThresholdFramework& f) {
  if (!valid_id(f.id)) {
    return Error::field("id",
                        "Framework ID must be 1 to 64 lower-case letters, numbers or hyphens");
  }
  if (f.version < 1) return Error::field("version", "Version must be 1 or more");
  if (is_blank(f.name)) return Error::field("name", "Enter a name for the framework");
  if (f.name.size() > kMaxNameLength) {
    return Error::field("name", "Framework name must be 200 characters or fewer");
  }
  if (f.levels.empty()) return Error::field("levels", "Add at least one level of need");
  const int n = static_cast<int>(f.levels.size());
  std::set<int> numbers;
  std::set<std::string> codes;
  for (std::size_t li = 0; li < f.levels.size(); ++li) {
    const NeedLevel& level = f.levels[li];
    const std::string lf = level_field(li);
    if (level.number < 1 || level.number > n) {
      return Error::field(lf + ".number", "Levels must be numbered from 1 to " + std::to_string(n));
    }
    if (!numbers.insert(level.number).second) {
      return Error::field(lf + ".number",
                          "There is more than one level " + std::to_string(level.number));
    }
    if (is_blank(level.name)) return Error::field(lf + ".name", "Enter a name for the level");
    if (level.name.size() > kMaxNameLength) {
      return Error::field(lf + ".name", "Level name must be 200 characters or fewer");
    }
    if (level.descriptor.size() > kMaxTextLength) {
      return Error::field(lf + ".descriptor", "Descriptor must be 2000 characters or fewer");
    }
    for (std::size_t ii = 0; ii < level.indicators.size(); ++ii) {
      const Indicator& indicator = level.indicators[ii];
      const std::string inf = indicator_field(li, ii);
      if (!valid_code(indicator.code)) {
        return Error::field(inf + ".code",
                            "Indicator code must be 1 to 16 letters, numbers, dots or hyphens");
      }
      if (!codes.insert(indicator.code).second) {
        return Error::field(inf + ".code",
                            "Indicator code " + indicator.code + " is used more than once");
      }
      if (is_blank(indicator.text)) {
        return Error::field(inf + ".text", "Enter the text of the indicator");
      }
      if (indicator.text.size() > kMaxTextLength) {
        return Error::field(inf + ".text", "Indicator text must be 2000 characters or fewer");
      }
    }
  }
  return ok_status();
}

Status validate_indicators(const ThresholdFramework& framework, int level,
                           const std::vector<std::string>& codes) {
  const NeedLevel* chosen = framework.level(level);
  if (chosen == nullptr) return Error::field("level", "Select a level of need");
  std::set<std::string_view> seen;
  for (const auto& code : codes) {
    const auto in_level = std::find_if(chosen->indicators.begin(), chosen->indicators.end(),
                                       [&](const Indicator& i) { return i.code == code; });
    if (in_level == chosen->indicators.end()) {
      const auto other = framework.level_of_indicator(code);
      if (other) {
        return Error::field("indicators", "Indicator " + code + " belongs to level " +
                                              std::to_string(*other) + ", not level " +
                                              std::to_string(level));
      }
      return Error::field("indicators",
                          "Select indicators from the list for level " + std::to_string(level));
    }
    if (!seen.insert(code).second) {
      return Error::field("indicators", "Indicator " + code + " is selected more than once");
    }
  }
  return ok_status();
}

}  // namespace frontdoor::domain
