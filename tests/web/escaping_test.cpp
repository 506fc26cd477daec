// The Html type escapes text exactly once, and every component escapes hostile
// text in content and in attribute values.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "fixture_support.hpp"
#include "web/web.hpp"

namespace frontdoor::web {
namespace {

const std::string kScript = "<script>alert(1)</script>";
// Breaks out of a double-quoted attribute if not escaped.
const std::string kQuote = "x\" onmouseover=\"alert(1)";
const std::string kSingle = "x' onfocus='alert(1)";

void expect_safe(const Html& html) {
  const std::string& s = html.str();
  EXPECT_EQ(s.find("<script"), std::string::npos) << s;
  EXPECT_EQ(s.find("onmouseover=\""), std::string::npos) << s;
  EXPECT_EQ(s.find("onfocus='"), std::string::npos) << s;
  EXPECT_NE(s.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos) << s;
  // Escaped once, never twice.
  EXPECT_EQ(s.find("&amp;lt;"), std::string::npos) << s;
  EXPECT_EQ(s.find("&amp;quot;"), std::string::npos) << s;
}

TEST(Html, EscapesTheFiveSpecialCharacters) {
  EXPECT_EQ(escape("a & b < c > d \" e ' f"), "a &amp; b &lt; c &gt; d &quot; e &#39; f");
  EXPECT_EQ(Html("<b>").str(), "&lt;b&gt;");
  EXPECT_EQ(Html(std::string("O'Brien")).str(), "O&#39;Brien");
  EXPECT_EQ(Html::trusted("<b>x</b>").str(), "<b>x</b>");
}

TEST(Html, JoiningNeverEscapesAgain) {
  Html a = "&";
  const Html b = a + Html("<") + Html::trusted("<br>");
  EXPECT_EQ(b.str(), "&amp;&lt;<br>");
  const Html copy = b;  // copying keeps the markup as it is
  EXPECT_EQ(copy.str(), b.str());
  a += Html::trusted("<i>");
  EXPECT_EQ(a.str(), "&amp;<i>");
}

TEST(Html, WriterEscapesTextAndAttributeValues) {
  HtmlWriter w;
  w.raw("<a").attr("href", kQuote).attr_if("id", "").raw(">").text(kScript).raw("</a>");
  EXPECT_EQ(w.done().str(),
            "<a href=\"x&quot; onmouseover=&quot;alert(1)\">&lt;script&gt;alert(1)&lt;/script&gt;"
            "</a>");
}

TEST(Html, RejectsBadAttributeNames) {
  HtmlWriter w;
  EXPECT_THROW(w.attr("onclick=\"x\" data-a", "v"), std::invalid_argument);
  EXPECT_THROW(w.attr("", "v"), std::invalid_argument);
  EXPECT_THROW(tag(TagParams{"x", "", {{"a b", "c"}}}), std::invalid_argument);
  EXPECT_NO_THROW(w.attr("data-module", "v").attr("aria-describedby", "v").attr("xml:lang", "v"));
}

TEST(NormaliseHtml, OnlyIgnoresLayout) {
  using testing::normalise_html;
  EXPECT_EQ(normalise_html("<p>\n  a  b\n</p>"), "<p>a b</p>");
  EXPECT_EQ(normalise_html("<p class=\"x \">a</p>"), "<p class=\"x\">a</p>");
  EXPECT_NE(normalise_html("<p>a</p>"), normalise_html("<p>b</p>"));
  EXPECT_NE(normalise_html("<p class=\"a b\"></p>"), normalise_html("<p class=\"ab\"></p>"));
}

TEST(Escaping, ContentComponents) {
  const Attributes evil_attrs{{"data-x", kQuote}, {"data-y", kSingle}};
  expect_safe(tag(TagParams{kScript, kQuote, evil_attrs}));
  expect_safe(hint(HintParams{kScript, kQuote, kQuote, evil_attrs}));
  expect_safe(label(LabelParams{kScript, kQuote, kQuote, true, evil_attrs}));
  expect_safe(error_message(ErrorMessageParams{kScript, kQuote, kQuote, kScript, evil_attrs}));
  expect_safe(fieldset(
      FieldsetParams{{kScript, kQuote, true}, kQuote, kQuote, kQuote, evil_attrs, kScript}));
  expect_safe(inset_text(InsetTextParams{kScript, kQuote, kQuote, evil_attrs}));
  expect_safe(warning_text(WarningTextParams{kScript, kScript, kQuote, evil_attrs}));
  expect_safe(details(DetailsParams{kScript, kScript, kQuote, true, kQuote, evil_attrs}));
  expect_safe(panel(PanelParams{kScript, kScript, 1, kQuote, evil_attrs}));
  expect_safe(back_link(BackLinkParams{kQuote, kScript, kQuote, evil_attrs}));
  for (auto element : {ButtonElement::kButton, ButtonElement::kLink, ButtonElement::kInput}) {
    ButtonParams b;
    b.text = kScript;
    b.element = element;
    b.href = kQuote;
    b.type = kQuote;
    b.name = kQuote;
    b.value = kQuote;
    b.id = kSingle;
    b.classes = kQuote;
    b.attributes = evil_attrs;
    expect_safe(button(b));
  }
  NotificationBannerParams n;
  n.text = kScript;
  n.title_text = kScript;
  n.role = kQuote;
  n.title_id = kQuote;
  n.classes = kSingle;
  expect_safe(notification_banner(n));
  ErrorSummaryParams e;
  e.title_text = kScript;
  e.description_text = kScript;
  e.error_list = {{kScript, kQuote, evil_attrs}, {kScript, "", {}}};
  expect_safe(error_summary(e));
  PaginationParams pg;
  pg.previous = PaginationLink{kQuote, kScript, kScript};
  pg.next = PaginationLink{kQuote, kScript, kScript};
  pg.items = {PaginationItem{kScript, kQuote, true, false, kScript}};
  pg.landmark_label = kQuote;
  expect_safe(pagination(pg));
}

TEST(Escaping, FormControls) {
  const Attributes evil_attrs{{"data-x", kQuote}};
  InputParams in;
  in.name = kQuote;
  in.value = kScript;
  in.label = {kScript, kQuote, false, evil_attrs};
  in.hint = FieldHint{kScript, kQuote, evil_attrs};
  in.error_message = FieldError{kScript, kQuote, kScript, evil_attrs};
  in.prefix = InputAffix{kScript, kQuote, evil_attrs};
  in.autocomplete = kQuote;
  in.pattern = kSingle;
  in.classes = kQuote;
  expect_safe(input(in));

  TextareaParams t;
  t.name = kQuote;
  t.value = kScript;
  t.label = {kScript, "", false, {}};
  t.error_message = FieldError{kScript, "", "Error", {}};
  expect_safe(textarea(t));
  expect_safe(character_count(CharacterCountParams{t, 100, 0}));

  ChoiceItem item;
  item.text = kScript;
  item.value = kQuote;
  item.hint = FieldHint{kScript, "", {}};
  item.conditional = Html(kScript);
  item.label_classes = kQuote;
  ChoiceItem divider;
  divider.divider = kScript;
  RadiosParams r;
  r.name = kQuote;
  r.value = kQuote;
  r.items = {item, divider};
  r.fieldset = FieldFieldset{{kScript, "", true}, kQuote, "", {}};
  r.error_message = FieldError{kScript, "", "Error", {}};
  expect_safe(radios(r));
  CheckboxesParams c;
  c.name = kSingle;
  c.values = {kQuote};
  c.items = {item, divider};
  c.hint = FieldHint{kScript, "", {}};
  expect_safe(checkboxes(c));

  SelectParams s;
  s.name = kQuote;
  s.value = kQuote;
  s.items = {SelectItem{kQuote, kScript, std::nullopt, false, evil_attrs}};
  s.label = {kScript, "", false, {}};
  expect_safe(select(s));

  DateInputParams d;
  d.id = kQuote;
  d.name_prefix = kSingle;
  d.fieldset = FieldFieldset{{kScript, "", false}, "", "", {}};
  d.items = {DateInputItem{kQuote, "", kScript, kQuote, kQuote, "", "", "", evil_attrs}};
  expect_safe(date_input(d));
}

TEST(Escaping, DataAndMojComponents) {
  SummaryListParams sl;
  sl.rows = {SummaryListRow{kScript,
                            kScript,
                            {SummaryAction{kQuote, kScript, kScript, kQuote, {}},
                             SummaryAction{kQuote, "Remove", kScript, "", {}}},
                            kQuote,
                            kQuote,
                            kQuote,
                            kSingle}};
  sl.card = SummaryCardParams{kScript, 2,      kQuote, {SummaryAction{kQuote, kScript, "", "", {}}},
                              "",      kQuote, {}};
  expect_safe(summary_list(sl));

  TableParams t;
  t.caption = kScript;
  t.head = {TableCell{kScript, CellFormat::kNumeric, 0, 0, kQuote, {{"aria-sort", kQuote}}}};
  t.rows = {{TableCell{kScript, CellFormat::kText, 0, 0, kQuote, {}}}};
  t.sortable = true;
  expect_safe(table(t));

  TaskListParams tl;
  tl.id_prefix = kQuote;
  tl.items = {TaskListItem{
      kScript, kQuote, kQuote, kScript, {TagParams{kScript, kQuote, {}}, {}, kQuote}, kQuote}};
  expect_safe(task_list(tl));

  expect_safe(moj_timeline(TimelineParams{
      {TimelineItem{kScript, kScript, kQuote, kScript, kScript, kQuote, {{"data-a", kQuote}}}},
      2,
      kQuote,
      {}}));
  expect_safe(moj_identity_bar(IdentityBarParams{kScript, {Html(kScript)}, kQuote, {}}));
  expect_safe(moj_badge(BadgeParams{kScript, kQuote, kQuote, {}}));
  expect_safe(moj_sub_navigation(
      SubNavigationParams{{NavItem{kQuote, kScript, true, kQuote, {}}}, kQuote, kQuote, {}}));
  expect_safe(moj_primary_navigation(PrimaryNavigationParams{
      {NavItem{kQuote, kScript, false, "", {}}}, kQuote, {}, kQuote, kQuote, {}}));
}

TEST(Escaping, PageLayout) {
  PageParams p;
  p.title = kScript;
  p.council_name = kQuote;
  p.home_href = kSingle;
  p.user = SignedInUser{kScript, kQuote, "csrf", "/sign-out"};
  p.navigation = {NavItem{kQuote, kScript, true, "", {}}};
  p.phase_banner = PhaseBannerParams{kScript, kScript};
  p.content = Html(kScript);
  p.footer_links = {FooterLink{kQuote, kScript}};
  const Html html = page(p);
  const std::string& s = html.str();
  // The page's own scripts are the only <script> elements.
  std::size_t scripts = 0;
  for (auto pos = s.find("<script"); pos != std::string::npos; pos = s.find("<script", pos + 1)) {
    ++scripts;
    constexpr std::string_view kOwn = "<script type=\"module\" src=\"/assets/";
    EXPECT_EQ(s.compare(pos, kOwn.size(), kOwn), 0) << s.substr(pos, 60);
  }
  EXPECT_EQ(scripts, 3u);
  EXPECT_EQ(s.find("onmouseover=\""), std::string::npos);
  EXPECT_EQ(s.find("onfocus='"), std::string::npos);
  EXPECT_NE(s.find("<title>&lt;script&gt;alert(1)&lt;/script&gt; - Frontdoor - x&quot;"),
            std::string::npos);
}

}  // namespace
}  // namespace frontdoor::web
