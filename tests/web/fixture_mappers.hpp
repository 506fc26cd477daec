#pragma once
// Maps govuk-frontend fixture options (the Nunjucks macro params) onto the
// frontdoor::web params structs. Options a mapper does not know throw
// Unsupported (see fixture_support.hpp).
#include "fixture_support.hpp"
#include "web/web.hpp"

namespace frontdoor::web::testing {

inline std::optional<FieldHint> field_hint(const J& o) {
  if (!has(o, "hint")) return std::nullopt;
  const J& h = o["hint"];
  only(h, {"text", "html", "classes", "attributes"});
  return FieldHint{content(h), str(h, "classes"), attributes(h)};
}

inline std::optional<FieldError> field_error(const J& o) {
  if (!has(o, "errorMessage") || o["errorMessage"] == false) return std::nullopt;
  const J& e = o["errorMessage"];
  only(e, {"text", "html", "classes", "attributes", "visuallyHiddenText"});
  FieldError out{content(e), str(e, "classes"), "Error", attributes(e)};
  if (has(e, "visuallyHiddenText")) {
    out.visually_hidden_text = e["visuallyHiddenText"] == false ? "" : str(e, "visuallyHiddenText");
  }
  return out;
}

inline FieldLabel field_label(const J& o) {
  if (!has(o, "label")) return {};
  const J& l = o["label"];
  only(l, {"text", "html", "classes", "isPageHeading", "attributes"});
  return FieldLabel{content(l), str(l, "classes"), flag(l, "isPageHeading"), attributes(l)};
}

inline FormGroupParams form_group(const J& o) {
  if (!has(o, "formGroup")) return {};
  only(o["formGroup"], {"classes", "attributes"});
  return FormGroupParams{str(o["formGroup"], "classes"), attributes(o["formGroup"])};
}

inline LegendParams legend(const J& f) {
  if (!has(f, "legend")) return {};
  const J& l = f["legend"];
  only(l, {"text", "html", "classes", "isPageHeading"});
  return LegendParams{content(l), str(l, "classes"), flag(l, "isPageHeading")};
}

inline std::optional<FieldFieldset> field_fieldset(const J& o) {
  if (!has(o, "fieldset")) return std::nullopt;
  const J& f = o["fieldset"];
  only(f, {"legend", "describedBy", "classes", "attributes"});
  return FieldFieldset{legend(f), str(f, "describedBy"), str(f, "classes"), attributes(f)};
}

inline Html map_tag(const J& o) {
  only(o, {"text", "html", "classes", "attributes"});
  return tag(TagParams{content(o), str(o, "classes"), attributes(o)});
}

inline Html map_inset_text(const J& o) {
  only(o, {"text", "html", "id", "classes", "attributes"});
  return inset_text(InsetTextParams{content(o), str(o, "id"), str(o, "classes"), attributes(o)});
}

inline Html map_warning_text(const J& o) {
  only(o, {"text", "html", "iconFallbackText", "classes", "attributes"});
  return warning_text(
      WarningTextParams{content(o), str(o, "iconFallbackText"), str(o, "classes"), attributes(o)});
}

inline Html map_details(const J& o) {
  only(o, {"summaryText", "summaryHtml", "text", "html", "id", "open", "classes", "attributes"});
  return details(DetailsParams{content(o, "summaryText", "summaryHtml"), content(o), str(o, "id"),
                               flag(o, "open"), str(o, "classes"), attributes(o)});
}

inline Html map_panel(const J& o) {
  only(o, {"titleText", "titleHtml", "text", "html", "headingLevel", "classes", "attributes"});
  return panel(PanelParams{content(o, "titleText", "titleHtml"), content(o),
                           integer(o, "headingLevel", 1), str(o, "classes"), attributes(o)});
}

inline Html map_back_link(const J& o) {
  only(o, {"href", "text", "html", "classes", "attributes"});
  BackLinkParams p;
  p.href = str(o, "href");
  p.text = content(o);
  p.classes = str(o, "classes");
  p.attributes = attributes(o);
  return back_link(p);
}

inline Html map_button(const J& o) {
  only(o, {"text", "html", "element", "href", "type", "name", "value", "id", "disabled",
           "preventDoubleClick", "isStartButton", "classes", "attributes"});
  ButtonParams p;
  p.text = content(o);
  const std::string element = str(o, "element");
  if (element == "a") p.element = ButtonElement::kLink;
  if (element == "button") p.element = ButtonElement::kButton;
  if (element == "input") p.element = ButtonElement::kInput;
  p.href = str(o, "href");
  p.type = str(o, "type");
  p.name = str(o, "name");
  p.value = str(o, "value");
  p.id = str(o, "id");
  p.disabled = flag(o, "disabled");
  p.prevent_double_click = tristate(o, "preventDoubleClick");
  p.is_start_button = flag(o, "isStartButton");
  p.classes = str(o, "classes");
  p.attributes = attributes(o);
  return button(p);
}

inline Html map_notification_banner(const J& o) {
  only(o, {"text", "html", "titleText", "titleHtml", "type", "role", "titleId", "titleHeadingLevel",
           "disableAutoFocus", "classes", "attributes"});
  NotificationBannerParams p;
  p.text = Html(str(o, "text"));
  if (!str(o, "html").empty()) p.html = Html::trusted(str(o, "html"));
  p.title_text = content(o, "titleText", "titleHtml");
  p.type = str(o, "type");
  p.role = str(o, "role");
  p.title_id = str(o, "titleId");
  p.title_heading_level = integer(o, "titleHeadingLevel", 2);
  p.disable_auto_focus = tristate(o, "disableAutoFocus");
  p.classes = str(o, "classes");
  p.attributes = attributes(o);
  return notification_banner(p);
}

inline Html map_error_summary(const J& o) {
  only(o, {"titleText", "titleHtml", "descriptionText", "descriptionHtml", "errorList",
           "disableAutoFocus", "classes", "attributes"});
  ErrorSummaryParams p;
  p.title_text = content(o, "titleText", "titleHtml");
  p.description_text = content(o, "descriptionText", "descriptionHtml");
  if (has(o, "errorList")) {
    for (const auto& e : o["errorList"]) {
      only(e, {"text", "html", "href", "attributes"});
      p.error_list.push_back(ErrorSummaryItem{content(e), str(e, "href"), attributes(e)});
    }
  }
  p.disable_auto_focus = tristate(o, "disableAutoFocus");
  p.classes = str(o, "classes");
  p.attributes = attributes(o);
  return error_summary(p);
}

inline SummaryAction summary_action(const J& a) {
  only(a, {"href", "text", "html", "visuallyHiddenText", "classes", "attributes"});
  return SummaryAction{str(a, "href"), content(a), str(a, "visuallyHiddenText"), str(a, "classes"),
                       attributes(a)};
}

inline Html map_summary_list(const J& o) {
  only(o, {"rows", "card", "classes", "attributes"});
  SummaryListParams p;
  for (const auto& r : o["rows"]) {
    if (falsy(r)) continue;  // a caller leaves such rows out
    only(r, {"key", "value", "actions", "classes"});
    SummaryListRow row;
    only(r["key"], {"text", "html", "classes"});
    row.key = content(r["key"]);
    row.key_classes = str(r["key"], "classes");
    if (has(r, "value")) {
      only(r["value"], {"text", "html", "classes"});
      row.value = content(r["value"]);
      row.value_classes = str(r["value"], "classes");
    }
    if (has(r, "actions")) {
      only(r["actions"], {"items", "classes"});
      row.actions_classes = str(r["actions"], "classes");
      if (has(r["actions"], "items")) {
        for (const auto& a : r["actions"]["items"]) row.actions.push_back(summary_action(a));
      }
    }
    row.classes = str(r, "classes");
    p.rows.push_back(std::move(row));
  }
  if (has(o, "card")) {
    const J& c = o["card"];
    only(c, {"title", "actions", "classes", "attributes"});
    SummaryCardParams card;
    if (has(c, "title")) {
      only(c["title"], {"text", "html", "headingLevel", "classes"});
      card.title = content(c["title"]);
      card.heading_level = integer(c["title"], "headingLevel", 2);
      card.title_classes = str(c["title"], "classes");
    }
    if (has(c, "actions")) {
      only(c["actions"], {"items", "classes"});
      card.actions_classes = str(c["actions"], "classes");
      for (const auto& a : c["actions"]["items"]) card.actions.push_back(summary_action(a));
    }
    card.classes = str(c, "classes");
    card.attributes = attributes(c);
    p.card = std::move(card);
  }
  p.classes = str(o, "classes");
  p.attributes = attributes(o);
  return summary_list(p);
}

inline TableCell table_cell(const J& c) {
  only(c, {"text", "html", "format", "colspan", "rowspan", "classes", "attributes"});
  TableCell out;
  out.text = content(c);
  const std::string format = str(c, "format");
  if (format == "numeric")
    out.format = CellFormat::kNumeric;
  else if (!format.empty())
    throw Unsupported("format " + format);
  out.colspan = integer(c, "colspan", 0);
  out.rowspan = integer(c, "rowspan", 0);
  out.classes = str(c, "classes");
  out.attributes = attributes(c);
  return out;
}

inline Html map_table(const J& o) {
  only(o,
       {"caption", "captionClasses", "head", "rows", "firstCellIsHeader", "classes", "attributes"});
  TableParams p;
  p.caption = Html(str(o, "caption"));
  p.caption_classes = str(o, "captionClasses");
  if (has(o, "head")) {
    for (const auto& c : o["head"]) p.head.push_back(table_cell(c));
  }
  for (const auto& r : o["rows"]) {
    if (r.is_null() || r == false) continue;
    std::vector<TableCell> row;
    for (const auto& c : r) row.push_back(table_cell(c));
    p.rows.push_back(std::move(row));
  }
  p.first_cell_is_header = flag(o, "firstCellIsHeader");
  p.classes = str(o, "classes");
  p.attributes = attributes(o);
  return table(p);
}

inline Html map_task_list(const J& o) {
  only(o, {"items", "idPrefix", "classes", "attributes"});
  TaskListParams p;
  for (const auto& i : o["items"]) {
    // Nunjucks numbers items counting falsy ones, which changes the ids.
    if (falsy(i)) throw Unsupported("falsy items");
    only(i, {"title", "href", "hint", "status", "classes"});
    TaskListItem item;
    only(i["title"], {"text", "html", "classes"});
    item.title = content(i["title"]);
    item.title_classes = str(i["title"], "classes");
    item.href = str(i, "href");
    if (has(i, "hint")) {
      only(i["hint"], {"text", "html"});
      item.hint = content(i["hint"]);
    }
    const J& s = i["status"];
    only(s, {"tag", "text", "html", "classes"});
    if (has(s, "tag")) {
      only(s["tag"], {"text", "html", "classes", "attributes"});
      item.status.tag =
          TagParams{content(s["tag"]), str(s["tag"], "classes"), attributes(s["tag"])};
    }
    item.status.text = content(s);
    item.status.classes = str(s, "classes");
    item.classes = str(i, "classes");
    p.items.push_back(std::move(item));
  }
  if (has(o, "idPrefix")) p.id_prefix = str(o, "idPrefix");
  p.classes = str(o, "classes");
  p.attributes = attributes(o);
  return task_list(p);
}

}  // namespace frontdoor::web::testing
