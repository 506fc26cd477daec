#include "web/html.hpp"

#include <stdexcept>

namespace frontdoor::web {

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

namespace {

bool valid_attribute_name(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == ':' || c == '.';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

HtmlWriter& HtmlWriter::text(std::string_view text) {
  out_ += escape(text);
  return *this;
}

HtmlWriter& HtmlWriter::attr(std::string_view name, std::string_view value) {
  if (!valid_attribute_name(name)) {
    throw std::invalid_argument("invalid HTML attribute name: " + std::string(name));
  }
  out_ += ' ';
  out_ += name;
  out_ += "=\"";
  out_ += escape(value);
  out_ += '"';
  return *this;
}

HtmlWriter& HtmlWriter::attrs(const Attributes& attributes) {
  for (const auto& a : attributes) attr(a.name, a.value);
  return *this;
}

HtmlWriter& HtmlWriter::classes(std::string_view base, std::string_view extra) {
  return attr("class", join_classes(base, extra));
}

std::string join_classes(std::string_view base, std::string_view extra) {
  std::string out(base);
  if (!extra.empty()) {
    if (!out.empty()) out += ' ';
    out += extra;
  }
  return out;
}

}  // namespace frontdoor::web
