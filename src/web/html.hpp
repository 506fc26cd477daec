#pragma once
// Html: markup that is safe to put in a page. Text becomes Html only by being
// escaped (the implicit constructors escape & < > " '); markup that is already
// safe (a rendered component, a literal written in our source) says so with
// Html::trusted. Joining Html values never escapes again, so text is escaped
// exactly once and cannot be forgotten.
//
// Component parameters mirror the GOV.UK Frontend / MOJ Frontend Nunjucks macro
// parameters in snake_case. Where a macro takes `text` or `html`, the struct has
// one Html field: assign a std::string for text, Html::trusted(...) for html.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace frontdoor::web {

// Escapes text for an HTML text node or a double- or single-quoted attribute
// value: & < > " ' become &amp; &lt; &gt; &quot; &#39;.
std::string escape(std::string_view text);

class Html {
 public:
  Html() = default;
  // Text: escaped.
  Html(std::string_view text) : markup_(escape(text)) {}    // NOLINT(google-explicit-constructor)
  Html(const std::string& text) : markup_(escape(text)) {}  // NOLINT(google-explicit-constructor)
  Html(const char* text) : markup_(escape(text)) {}         // NOLINT(google-explicit-constructor)
  // Markup that is already safe. Never pass user input here.
  static Html trusted(std::string markup) {
    Html h;
    h.markup_ = std::move(markup);
    return h;
  }

  [[nodiscard]] const std::string& str() const { return markup_; }
  [[nodiscard]] bool empty() const { return markup_.empty(); }

  Html& operator+=(const Html& other) {
    markup_ += other.markup_;
    return *this;
  }
  friend Html operator+(Html a, const Html& b) { return a += b; }
  friend bool operator==(const Html& a, const Html& b) = default;

 private:
  std::string markup_;
};

// Extra attributes for an element, rendered in order as ` name="value"`.
// Values are escaped; names must be [A-Za-z0-9_:.-]+ (std::invalid_argument
// otherwise: a bad name is a programming error, not user input).
struct Attribute {
  std::string name;
  std::string value;
};
using Attributes = std::vector<Attribute>;

// Builds markup: raw() for literal markup written in our source, text() for
// text (escaped), html() for Html, attr()/attrs() for attributes.
class HtmlWriter {
 public:
  HtmlWriter& raw(std::string_view markup) {
    out_ += markup;
    return *this;
  }
  HtmlWriter& text(std::string_view text);
  HtmlWriter& html(const Html& html) {
    out_ += html.str();
    return *this;
  }
  // ` name="value"` (value escaped).
  HtmlWriter& attr(std::string_view name, std::string_view value);
  // ` name="value"` only if value is not empty.
  HtmlWriter& attr_if(std::string_view name, std::string_view value) {
    return value.empty() ? *this : attr(name, value);
  }
  HtmlWriter& attrs(const Attributes& attributes);
  // ` class="base extra"` (extra skipped when empty).
  HtmlWriter& classes(std::string_view base, std::string_view extra);

  [[nodiscard]] Html done() { return Html::trusted(std::move(out_)); }

 private:
  std::string out_;
};

// "base extra" or "base" when extra is empty.
std::string join_classes(std::string_view base, std::string_view extra);

}  // namespace frontdoor::web
