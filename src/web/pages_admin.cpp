// Administration: the threshold framework (continuum of need) and its versions.
#include <nlohmann/json.hpp>

#include "domain/london_time.hpp"
#include "web/pages.hpp"
#include "web/pages_support.hpp"

namespace frontdoor::web {

using namespace pages;  // NOLINT(google-build-using-namespace)

namespace {

// Framework validation errors name a path inside the JSON
// ("levels[2].indicators[0].code"): they belong to the definition field.
FormState for_thresholds_form(const FormState& form) {
  FormState out = form;
  for (auto& e : out.errors) {
    if (e.field != "reason" && e.field != "definition") {
      if (!e.field.empty()) e.message = e.field + ": " + e.message;
      e.field = "definition";
    }
  }
  return out;
}

}  // namespace

Html thresholds_page(const Chrome& chrome, const domain::ThresholdFramework& active,
                     const std::vector<FrameworkVersionRow>& versions, const FormState& form_in) {
  const FormState form = for_thresholds_form(form_in);
  Html body = error_summary_for(form);
  body += heading("Threshold framework", 1, "l");
  body += paragraph(
      "Decisions are recorded against the framework in force when they are made. "
      "Publishing a new version does not change earlier decisions.");

  body += heading(active.name + " (version " + std::to_string(active.version) + ")", 2, "m");
  for (const auto& level : active.levels) {
    std::vector<SummaryListRow> rows;
    if (!level.descriptor.empty()) {
      SummaryListRow r;
      r.key = "Description";
      r.value = level.descriptor;
      rows.push_back(std::move(r));
    }
    for (const auto& ind : level.indicators) {
      SummaryListRow r;
      r.key = ind.code;
      r.value = ind.text;
      rows.push_back(std::move(r));
    }
    SummaryCardParams card;
    card.title = "Level " + std::to_string(level.number) + ": " + level.name;
    card.heading_level = 3;
    body += summary_list(SummaryListParams{rows, card, "", {}});
  }

  body += heading("Versions", 2, "m");
  if (versions.empty()) {
    body += paragraph("No versions have been published.");
  } else {
    TableParams t;
    t.caption = "Published versions of the threshold framework";
    t.caption_classes = "govuk-visually-hidden";
    for (const char* h : {"Version", "Name", "Published", "Status"}) t.head.push_back(cell(h));
    for (const auto& v : versions) {
      Html status;
      if (v.active) {
        TagParams tp;
        tp.text = "In force";
        tp.classes = tag_colour_class(TagColour::kGreen);
        status = tag(tp);
      } else {
        status = "Earlier version";
      }
      TableCell number = cell(std::to_string(v.version));
      number.format = CellFormat::kNumeric;
      t.rows.push_back(
          {number, cell(v.name), cell(domain::format_london(v.published_at)), cell(status)});
    }
    t.head[0].format = CellFormat::kNumeric;
    body += table(t);
  }

  body += heading("Publish a new version", 2, "m");
  TextareaParams def;
  def.name = "definition";
  def.rows = 24;
  def.value =
      form.values.count("definition") != 0 ? form.value("definition") : active.to_json().dump(2);
  def.label.text = "Framework definition (JSON)";
  def.label.classes = "govuk-label--s";
  def.hint = FieldHint{
      "Levels numbered from 1, each with a name, a descriptor and indicators; "
      "indicator codes must be unique.",
      "",
      {}};
  def.spellcheck = false;
  def.error_message = field_error(form, "definition");
  Html f = textarea(def);
  f += text_area(form, "reason", "Why are you publishing a new version?",
                 "This is kept with the version in the audit trail", 3, "govuk-label--s");
  f += submit_button("Publish new version");
  body += post_form("/admin/thresholds", chrome, f);
  return render(chrome, "Threshold framework", form.has_errors(), body);
}

}  // namespace frontdoor::web
