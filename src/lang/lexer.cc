#include "lang/lexer.h"

#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace weft::lang {
namespace {

bool IdentStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IdentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '\'';
}

constexpr std::string_view kKeywords[] = {"fn",   "val",  "type",  "let",  "in", "fun",  "if",
                                          "then", "else", "match", "with", "of", "true", "false"};
constexpr std::string_view kSymbols[] = {"->", "++", "==", "!=", "<=", ">=", "&&", "||", "::", "|>",
                                         "+",  "-",  "*",  "/",  "%",  "<",  ">",  "=",  "|",  ":",
                                         "(",  ")",  "[",  "]",  "{",  "}",  ",",  "_",  "."};

}  // namespace

std::string Where(std::string_view file, Pos pos) {
  return fmt::format("{}:{}:{}", file, pos.line, pos.col);
}

weft::Error WithSourceLine(const weft::Error& e, std::string_view source, std::string_view file) {
  std::string_view msg = e.message();
  const std::string prefix = std::string(file) + ":";
  if (!msg.starts_with(prefix)) return e;
  int line = 0;
  int col = 0;
  const char* p = msg.data() + prefix.size();
  const char* end = msg.data() + msg.size();
  auto number = [&](int& out) {
    const char* start = p;
    while (p < end && *p >= '0' && *p <= '9' && out < 10'000'000) out = out * 10 + (*p++ - '0');
    return p > start;
  };
  if (!number(line) || p == end || *p++ != ':' || !number(col) || p == end || *p != ':' ||
      line < 1 || col < 1) {
    return e;
  }
  std::size_t start = 0;
  for (int l = 1; l < line; ++l) {
    start = source.find('\n', start);
    if (start == std::string_view::npos) return e;
    ++start;
  }
  std::string_view text = source.substr(start, source.find('\n', start) - start);
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  constexpr std::size_t kShown = 200;  // a minified line is cut, the caret stays right
  std::size_t from = 0;
  const std::size_t at = static_cast<std::size_t>(col - 1);
  if (at > text.size()) return e;
  if (at > kShown / 2 && text.size() > kShown) from = at - kShown / 2;
  // Control bytes show as spaces (the excerpt stays on its line); the caret's
  // padding counts characters, not the bytes of a UTF-8 sequence.
  std::string shown(text.substr(from, kShown));
  for (char& c : shown) {
    if (static_cast<unsigned char>(c) < 0x20 && c != '\t') c = ' ';
    if (c == 0x7f) c = ' ';
  }
  std::string pad;
  for (std::size_t i = from; i < at; ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    pad += text[i] == '\t' ? '\t' : ' ';
  }
  const std::string number_text = std::to_string(line);
  return weft::Error(e.code(), fmt::format("{}\n  {} | {}\n  {} | {}^", msg, number_text, shown,
                                           std::string(number_text.size(), ' '), pad));
}

Result<std::vector<Token>> Lex(std::string_view src, std::string_view file) {
  std::vector<Token> out;
  std::size_t i = 0;
  int line = 1;
  std::size_t line_start = 0;
  auto pos_at = [&](std::size_t at) { return Pos{line, static_cast<int>(at - line_start) + 1}; };
  while (i < src.size()) {
    char c = src[i];
    if (c == '\n') {
      ++line;
      line_start = ++i;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r') {
      ++i;
      continue;
    }
    if (c == '-' && i + 1 < src.size() && src[i + 1] == '-') {
      while (i < src.size() && src[i] != '\n') ++i;
      continue;
    }
    Token t;
    t.pos = pos_at(i);
    t.offset = i;
    if (std::isdigit(static_cast<unsigned char>(c))) {
      std::size_t start = i;
      while (i < src.size() && std::isdigit(static_cast<unsigned char>(src[i]))) ++i;
      bool is_float = false;
      if (i + 1 < src.size() && src[i] == '.' &&
          std::isdigit(static_cast<unsigned char>(src[i + 1]))) {
        is_float = true;
        ++i;
        while (i < src.size() && std::isdigit(static_cast<unsigned char>(src[i]))) ++i;
      }
      if (i < src.size() && (src[i] == 'e' || src[i] == 'E')) {
        std::size_t e = i + 1;
        if (e < src.size() && (src[e] == '+' || src[e] == '-')) ++e;
        if (e < src.size() && std::isdigit(static_cast<unsigned char>(src[e]))) {
          is_float = true;
          i = e;
          while (i < src.size() && std::isdigit(static_cast<unsigned char>(src[i]))) ++i;
        }
      }
      std::string_view text = src.substr(start, i - start);
      if (i < src.size() && IdentStart(src[i])) {
        return Fail(ErrorCode::kInvalidArgument, "{}: malformed number '{}{}'", Where(file, t.pos),
                    text, src[i]);
      }
      t.text = std::string(text);
      if (is_float) {
        t.kind = Tok::kFloat;
        errno = 0;
        t.float_value = std::strtod(t.text.c_str(), nullptr);
        if (errno == ERANGE && std::isinf(t.float_value)) {
          return Fail(ErrorCode::kInvalidArgument,
                      "{}: float literal {} is too large (infinities arise only at run time)",
                      Where(file, t.pos), text);
        }
      } else {
        t.kind = Tok::kInt;
        std::uint64_t magnitude = 0;
        auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), magnitude);
        constexpr std::uint64_t kTwoPow63 = std::uint64_t{1} << 63;
        if (ec != std::errc() || magnitude > kTwoPow63) {
          return Fail(ErrorCode::kInvalidArgument, "{}: integer literal {} does not fit in 64 bits",
                      Where(file, t.pos), text);
        }
        t.int_is_2_pow_63 = magnitude == kTwoPow63;
        t.int_value = static_cast<std::int64_t>(magnitude);  // 2^63 wraps to the least Int
      }
      out.push_back(std::move(t));
      continue;
    }
    if (IdentStart(c) && !(c == '_' && (i + 1 >= src.size() || !IdentChar(src[i + 1])))) {
      std::size_t start = i;
      while (true) {
        while (i < src.size() && IdentChar(src[i])) ++i;
        if (i + 1 < src.size() && src[i] == '.' && IdentStart(src[i + 1])) {
          ++i;
          continue;
        }
        break;
      }
      t.text = std::string(src.substr(start, i - start));
      t.kind = Tok::kName;
      for (auto kw : kKeywords) {
        if (t.text == kw) t.kind = Tok::kKeyword;
      }
      out.push_back(std::move(t));
      continue;
    }
    if (c == '#') {
      std::size_t start = ++i;
      while (i < src.size() && std::isxdigit(static_cast<unsigned char>(src[i]))) ++i;
      t.kind = Tok::kHashRef;
      t.text = std::string(src.substr(start, i - start));
      if (!IsHexPrefix(t.text)) {
        return Fail(ErrorCode::kInvalidArgument,
                    "{}: a hash reference needs 8 to 64 lowercase hex digits", Where(file, t.pos));
      }
      out.push_back(std::move(t));
      continue;
    }
    if (c == '"') {
      ++i;
      std::string value;
      bool closed = false;
      while (i < src.size()) {
        char d = src[i];
        if (d == '"') {
          closed = true;
          ++i;
          break;
        }
        if (d == '\n') break;
        if (d == '\\') {
          if (i + 1 >= src.size()) break;
          char e = src[i + 1];
          switch (e) {
            case 'n':
              value += '\n';
              break;
            case 't':
              value += '\t';
              break;
            case 'r':
              value += '\r';
              break;
            case '\\':
              value += '\\';
              break;
            case '"':
              value += '"';
              break;
            case '0':
              value += '\0';
              break;
            default:
              if (!std::isprint(static_cast<unsigned char>(e))) {
                return Fail(ErrorCode::kInvalidArgument,
                            "{}: unknown escape (backslash before byte 0x{:02x}) in string",
                            Where(file, pos_at(i)), static_cast<unsigned char>(e));
              }
              return Fail(ErrorCode::kInvalidArgument, "{}: unknown escape '\\{}' in string",
                          Where(file, pos_at(i)), e);
          }
          i += 2;
          continue;
        }
        value += d;
        ++i;
      }
      if (!closed)
        return Fail(ErrorCode::kInvalidArgument, "{}: unterminated string", Where(file, t.pos));
      t.kind = Tok::kString;
      t.text = std::move(value);
      out.push_back(std::move(t));
      continue;
    }
    bool matched = false;
    for (auto sym : kSymbols) {
      if (src.substr(i, sym.size()) == sym) {
        t.kind = Tok::kSymbol;
        t.text = std::string(sym);
        i += sym.size();
        matched = true;
        break;
      }
    }
    if (!matched) {
      unsigned char uc = static_cast<unsigned char>(c);
      if (std::isprint(uc)) {
        return Fail(ErrorCode::kInvalidArgument, "{}: unexpected character '{}'",
                    Where(file, t.pos), c);
      }
      return Fail(ErrorCode::kInvalidArgument, "{}: unexpected byte 0x{:02x}", Where(file, t.pos),
                  uc);
    }
    out.push_back(std::move(t));
  }
  Token eof;
  eof.kind = Tok::kEof;
  eof.pos = pos_at(i);
  eof.offset = src.size();
  out.push_back(eof);
  return out;
}

}  // namespace weft::lang
