#include "web/data.hpp"

#include <string>

namespace frontdoor::web {

namespace {

Html action_link(const SummaryAction& a, const Html* card_title) {
  HtmlWriter w;
  w.raw("<a").classes("govuk-link", a.classes).attr("href", a.href).attrs(a.attributes).raw(">");
  w.html(a.text);
  if (!a.visually_hidden_text.empty() || card_title != nullptr) {
    w.raw("<span class=\"govuk-visually-hidden\">");
    if (!a.visually_hidden_text.empty()) w.raw(" ").text(a.visually_hidden_text);
    if (card_title != nullptr) w.raw(" (").html(*card_title).raw(")");
    w.raw("</span>");
  }
  w.raw("</a>");
  return w.done();
}

Html list(const SummaryListParams& p) {
  const Html* card_title = p.card && !p.card->title.empty() ? &p.card->title : nullptr;
  bool any_actions = false;
  for (const auto& row : p.rows) any_actions = any_actions || !row.actions.empty();

  HtmlWriter w;
  w.raw("<dl").classes("govuk-summary-list", p.classes).attrs(p.attributes).raw(">\n");
  for (const auto& row : p.rows) {
    std::string row_classes = "govuk-summary-list__row";
    if (any_actions && row.actions.empty()) row_classes += " govuk-summary-list__row--no-actions";
    w.raw("  <div").classes(row_classes, row.classes).raw(">\n");
    w.raw("    <dt").classes("govuk-summary-list__key", row.key_classes).raw(">\n      ");
    w.html(row.key).raw("\n    </dt>\n");
    w.raw("    <dd").classes("govuk-summary-list__value", row.value_classes).raw(">\n      ");
    w.html(row.value).raw("\n    </dd>\n");
    if (!row.actions.empty()) {
      w.raw("    <dd").classes("govuk-summary-list__actions", row.actions_classes).raw(">\n");
      if (row.actions.size() == 1) {
        w.raw("      ").html(action_link(row.actions[0], card_title)).raw("\n");
      } else {
        w.raw("      <ul class=\"govuk-summary-list__actions-list\">\n");
        for (const auto& a : row.actions) {
          w.raw("        <li class=\"govuk-summary-list__actions-list-item\">\n          ");
          w.html(action_link(a, card_title)).raw("\n        </li>\n");
        }
        w.raw("      </ul>\n");
      }
      w.raw("    </dd>\n");
    }
    w.raw("  </div>\n");
  }
  w.raw("</dl>");
  return w.done();
}

}  // namespace

Html summary_list(const SummaryListParams& p) {
  if (!p.card) return list(p);
  const SummaryCardParams& c = *p.card;
  const Html* title = c.title.empty() ? nullptr : &c.title;
  const std::string h =
      std::to_string(c.heading_level >= 1 && c.heading_level <= 6 ? c.heading_level : 2);
  HtmlWriter w;
  w.raw("<div").classes("govuk-summary-card", c.classes).attrs(c.attributes).raw(">\n");
  w.raw("  <div class=\"govuk-summary-card__title-wrapper\">\n");
  if (title != nullptr) {
    w.raw("    <h").raw(h).classes("govuk-summary-card__title", c.title_classes).raw(">\n      ");
    w.html(c.title).raw("\n    </h").raw(h).raw(">\n");
  }
  if (c.actions.size() == 1) {
    w.raw("    <div").classes("govuk-summary-card__actions", c.actions_classes).raw(">\n      ");
    w.html(action_link(c.actions[0], title)).raw("\n    </div>\n");
  } else if (!c.actions.empty()) {
    w.raw("    <ul").classes("govuk-summary-card__actions", c.actions_classes).raw(">\n");
    for (const auto& a : c.actions) {
      w.raw("      <li class=\"govuk-summary-card__action\">\n        ");
      w.html(action_link(a, title)).raw("\n      </li>\n");
    }
    w.raw("    </ul>\n");
  }
  w.raw("  </div>\n  <div class=\"govuk-summary-card__content\">\n    ").html(list(p));
  w.raw("\n  </div>\n</div>");
  return w.done();
}

namespace {

void spans(HtmlWriter& w, const TableCell& c) {
  if (c.colspan > 0) w.attr("colspan", std::to_string(c.colspan));
  if (c.rowspan > 0) w.attr("rowspan", std::to_string(c.rowspan));
}

}  // namespace

Html table(const TableParams& p) {
  HtmlWriter w;
  w.raw("<table").classes("govuk-table", p.classes);
  if (p.sortable) w.attr("data-module", "moj-sortable-table");
  w.attrs(p.attributes).raw(">\n");
  if (!p.caption.empty()) {
    w.raw("  <caption").classes("govuk-table__caption", p.caption_classes).raw(">");
    w.html(p.caption).raw("</caption>\n");
  }
  if (!p.head.empty()) {
    w.raw("  <thead class=\"govuk-table__head\">\n    <tr class=\"govuk-table__row\">\n");
    for (const auto& c : p.head) {
      std::string classes = "govuk-table__header";
      if (c.format == CellFormat::kNumeric) classes += " govuk-table__header--numeric";
      w.raw("      <th scope=\"col\"").classes(classes, c.classes);
      spans(w, c);
      w.attrs(c.attributes).raw(">").html(c.text).raw("</th>\n");
    }
    w.raw("    </tr>\n  </thead>\n");
  }
  w.raw("  <tbody class=\"govuk-table__body\">\n");
  for (const auto& row : p.rows) {
    w.raw("    <tr class=\"govuk-table__row\">\n");
    bool first = true;
    for (const auto& c : row) {
      if (first && p.first_cell_is_header) {
        w.raw("      <th scope=\"row\"").classes("govuk-table__header", c.classes);
        spans(w, c);
        w.attrs(c.attributes).raw(">").html(c.text).raw("</th>\n");
      } else {
        std::string classes = "govuk-table__cell";
        if (c.format == CellFormat::kNumeric) classes += " govuk-table__cell--numeric";
        w.raw("      <td").classes(classes, c.classes);
        spans(w, c);
        w.attrs(c.attributes).raw(">").html(c.text).raw("</td>\n");
      }
      first = false;
    }
    w.raw("    </tr>\n");
  }
  w.raw("  </tbody>\n</table>");
  return w.done();
}

Html task_list(const TaskListParams& p) {
  const std::string prefix = p.id_prefix.empty() ? "task-list" : p.id_prefix;
  HtmlWriter w;
  w.raw("<ul").classes("govuk-task-list", p.classes).attrs(p.attributes).raw(">\n");
  int index = 0;
  for (const auto& item : p.items) {
    ++index;
    const std::string hint_id = prefix + "-" + std::to_string(index) + "-hint";
    const std::string status_id = prefix + "-" + std::to_string(index) + "-status";
    std::string classes = "govuk-task-list__item";
    if (!item.href.empty()) classes += " govuk-task-list__item--with-link";
    w.raw("  <li").classes(classes, item.classes).raw(">\n");
    w.raw("    <div class=\"govuk-task-list__name-and-hint\">\n");
    if (!item.href.empty()) {
      w.raw("      <a").classes("govuk-link govuk-task-list__link", item.title_classes);
      w.attr("href", item.href);
      w.attr("aria-describedby", item.hint.empty() ? status_id : hint_id + " " + status_id);
      w.raw(">\n        ").html(item.title).raw("\n      </a>\n");
    } else {
      w.raw("      <div").attr_if("class", item.title_classes).raw(">\n        ");
      w.html(item.title).raw("\n      </div>\n");
    }
    if (!item.hint.empty()) {
      w.raw("      <div").attr("id", hint_id).raw(" class=\"govuk-task-list__hint\">\n        ");
      w.html(item.hint).raw("\n      </div>\n");
    }
    w.raw("    </div>\n    <div").classes("govuk-task-list__status", item.status.classes);
    w.attr("id", status_id).raw(">\n      ");
    if (item.status.tag) {
      w.html(tag(*item.status.tag));
    } else {
      w.html(item.status.text);
    }
    w.raw("\n    </div>\n  </li>\n");
  }
  w.raw("</ul>");
  return w.done();
}

}  // namespace frontdoor::web
