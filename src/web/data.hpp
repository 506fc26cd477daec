#pragma once
// GOV.UK Frontend components that show records: summary list (and summary
// card), table and task list.
#include <optional>
#include <string>
#include <vector>

#include "web/content.hpp"
#include "web/html.hpp"

namespace frontdoor::web {

struct SummaryAction {
  std::string href;
  Html text;
  std::string visually_hidden_text;  // e.g. "name" for "Change<span> name</span>"
  std::string classes;
  Attributes attributes;
};

struct SummaryListRow {
  Html key;
  Html value;
  std::vector<SummaryAction> actions;
  std::string key_classes;
  std::string value_classes;
  std::string actions_classes;
  std::string classes;
};

struct SummaryCardParams {
  Html title;  // text or html
  int heading_level = 2;
  std::string title_classes;
  std::vector<SummaryAction> actions;
  std::string actions_classes;
  std::string classes;
  Attributes attributes;
};

struct SummaryListParams {
  std::vector<SummaryListRow> rows;
  std::optional<SummaryCardParams> card;  // wraps the list in a summary card
  std::string classes;                    // "govuk-summary-list--no-border"
  Attributes attributes;
};

enum class CellFormat { kText, kNumeric };

struct TableCell {
  Html text;
  CellFormat format = CellFormat::kText;  // numeric: right-aligned, tabular figures
  int colspan = 0;
  int rowspan = 0;
  std::string classes;
  Attributes attributes;  // e.g. {"aria-sort", "ascending"} for MOJ sortable tables
};

struct TableParams {
  Html caption;
  std::string caption_classes;  // "govuk-table__caption--m"
  std::vector<TableCell> head;
  std::vector<std::vector<TableCell>> rows;
  bool first_cell_is_header = false;
  bool sortable = false;  // MOJ sortable table: adds data-module="moj-sortable-table"
  std::string classes;
  Attributes attributes;
};

struct TaskListStatus {
  std::optional<TagParams> tag;  // a tag, or plain text
  Html text;
  std::string classes;  // "govuk-task-list__status--cannot-start-yet"
};

struct TaskListItem {
  Html title;
  std::string title_classes;
  std::string href;  // not a link when empty
  Html hint;
  TaskListStatus status;
  std::string classes;
};

struct TaskListParams {
  std::vector<TaskListItem> items;
  std::string id_prefix = "task-list";
  std::string classes;
  Attributes attributes;
};

Html summary_list(const SummaryListParams& p);  // <dl class="govuk-summary-list">, optional card
Html table(const TableParams& p);               // <table class="govuk-table">
Html task_list(const TaskListParams& p);        // <ul class="govuk-task-list">

}  // namespace frontdoor::web
