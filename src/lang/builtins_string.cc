// Builtin.String: strings are UTF-8 bytes. `length` counts bytes; `chars` and
// `slice` count characters (code points); `lower` and `upper` change ASCII
// letters only, so they never change a string's length. The string a function
// works on comes last, for `|>`.
#include <charconv>
#include <cmath>

#include "lang/builtin_types.h"
#include "lang/builtins_impl.h"

namespace weft::lang::builtin {
namespace {

// The byte offsets where each character of `s` starts (a stray continuation byte
// counts as a character of its own, so every byte belongs to one).
std::vector<std::size_t> CharStarts(const std::string& s) {
  std::vector<std::size_t> starts;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) != 0x80 || starts.empty() || i - starts.back() >= 4) starts.push_back(i);
  }
  return starts;
}

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::vector<ValuePtr> Strings(std::vector<std::string> parts) {
  std::vector<ValuePtr> out;
  out.reserve(parts.size());
  for (auto& p : parts) out.push_back(MakeValue(std::move(p)));
  return out;
}

// Room for `n` new strings holding `bytes` together.
Status StringsRoom(std::size_t n, std::size_t bytes) {
  return Room(ItemsCost(n) + n * (sizeof(Value) + 32) + bytes);
}

}  // namespace

Result<ValuePtr> StringLength(const Args& a, Applier&) {
  WEFT_ASSIGN_OR_RETURN(const std::string* s, Str(a[0], "Builtin.String.length"));
  return MakeValue(static_cast<std::int64_t>(s->size()));
}

Result<ValuePtr> StringSplit(const Args& a, Applier& apply) {
  constexpr std::string_view kName = "Builtin.String.split";
  WEFT_ASSIGN_OR_RETURN(const std::string* sep, Str(a[0], kName));
  WEFT_ASSIGN_OR_RETURN(const std::string* s, Str(a[1], kName));
  if (sep->empty()) return StringChars({a[1]}, apply);
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t at; (at = s->find(*sep, start)) != std::string::npos; start = at + sep->size())
    parts.push_back(s->substr(start, at - start));
  parts.push_back(s->substr(start));
  WEFT_TRY(StringsRoom(parts.size(), s->size()));
  return ListValue(Strings(std::move(parts)));
}

Result<ValuePtr> StringJoin(const Args& a, Applier&) {
  constexpr std::string_view kName = "Builtin.String.join";
  WEFT_ASSIGN_OR_RETURN(const std::string* sep, Str(a[0], kName));
  WEFT_ASSIGN_OR_RETURN(VList list, List(a[1], kName));
  std::size_t bytes = 0;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto* part = std::get_if<std::string>(&list.at(i)->v);
    if (!part) return Mismatch(kName, "a List of Strings", *list.at(i));
    bytes += part->size() + (i ? sep->size() : 0);
  }
  WEFT_TRY(Room(bytes));
  std::string out;
  out.reserve(bytes);
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (i) out += *sep;
    out += std::get<std::string>(list.at(i)->v);
  }
  return MakeValue(std::move(out));
}

Result<ValuePtr> StringSlice(const Args& a, Applier&) {
  constexpr std::string_view kName = "Builtin.String.slice";
  WEFT_ASSIGN_OR_RETURN(std::int64_t from, Int(a[0], kName));
  WEFT_ASSIGN_OR_RETURN(std::int64_t to, Int(a[1], kName));
  WEFT_ASSIGN_OR_RETURN(const std::string* s, Str(a[2], kName));
  const std::vector<std::size_t> starts = CharStarts(*s);
  const auto n = static_cast<std::int64_t>(starts.size());
  from = std::clamp<std::int64_t>(from, 0, n);
  to = std::clamp<std::int64_t>(to, from, n);
  const std::size_t begin = from == n ? s->size() : starts[static_cast<std::size_t>(from)];
  const std::size_t end = to == n ? s->size() : starts[static_cast<std::size_t>(to)];
  return MakeValue(s->substr(begin, end - begin));
}

Result<ValuePtr> StringChars(const Args& a, Applier&) {
  WEFT_ASSIGN_OR_RETURN(const std::string* s, Str(a[0], "Builtin.String.chars"));
  const std::vector<std::size_t> starts = CharStarts(*s);
  WEFT_TRY(StringsRoom(starts.size(), s->size()));
  std::vector<std::string> parts;
  parts.reserve(starts.size());
  for (std::size_t i = 0; i < starts.size(); ++i) {
    const std::size_t end = i + 1 < starts.size() ? starts[i + 1] : s->size();
    parts.push_back(s->substr(starts[i], end - starts[i]));
  }
  return ListValue(Strings(std::move(parts)));
}

Result<ValuePtr> StringTrim(const Args& a, Applier&) {
  WEFT_ASSIGN_OR_RETURN(const std::string* s, Str(a[0], "Builtin.String.trim"));
  std::size_t begin = 0;
  std::size_t end = s->size();
  while (begin < end && IsSpace((*s)[begin])) ++begin;
  while (end > begin && IsSpace((*s)[end - 1])) --end;
  return MakeValue(s->substr(begin, end - begin));
}

namespace {

// The string with ASCII letters from `from` moved to `to` ('A'..'Z' or 'a'..'z').
Result<ValuePtr> ShiftAscii(const ValuePtr& v, std::string_view fn, char from, char to) {
  WEFT_ASSIGN_OR_RETURN(const std::string* s, Str(v, fn));
  WEFT_TRY(Room(s->size()));
  std::string out = *s;
  for (char& c : out) {
    if (c >= from && c <= from + 25) c = static_cast<char>(c - from + to);
  }
  return MakeValue(std::move(out));
}

}  // namespace

Result<ValuePtr> StringLower(const Args& a, Applier&) {
  return ShiftAscii(a[0], "Builtin.String.lower", 'A', 'a');
}

Result<ValuePtr> StringUpper(const Args& a, Applier&) {
  return ShiftAscii(a[0], "Builtin.String.upper", 'a', 'A');
}

Result<ValuePtr> StringContains(const Args& a, Applier&) {
  WEFT_ASSIGN_OR_RETURN(const std::string* needle, Str(a[0], "Builtin.String.contains"));
  WEFT_ASSIGN_OR_RETURN(const std::string* s, Str(a[1], "Builtin.String.contains"));
  return MakeValue(s->find(*needle) != std::string::npos);
}

Result<ValuePtr> StringStartsWith(const Args& a, Applier&) {
  WEFT_ASSIGN_OR_RETURN(const std::string* prefix, Str(a[0], "Builtin.String.startsWith"));
  WEFT_ASSIGN_OR_RETURN(const std::string* s, Str(a[1], "Builtin.String.startsWith"));
  return MakeValue(s->starts_with(*prefix));
}

Result<ValuePtr> StringReplace(const Args& a, Applier&) {
  constexpr std::string_view kName = "Builtin.String.replace";
  WEFT_ASSIGN_OR_RETURN(const std::string* from, Str(a[0], kName));
  WEFT_ASSIGN_OR_RETURN(const std::string* to, Str(a[1], kName));
  WEFT_ASSIGN_OR_RETURN(const std::string* s, Str(a[2], kName));
  if (from->empty()) return a[2];
  std::size_t count = 0;
  for (std::size_t at = s->find(*from); at != std::string::npos;
       at = s->find(*from, at + from->size()))
    ++count;
  const std::size_t bytes = s->size() - count * from->size() + count * to->size();
  WEFT_TRY(Room(bytes));
  std::string out;
  out.reserve(bytes);
  std::size_t start = 0;
  for (std::size_t at; (at = s->find(*from, start)) != std::string::npos;
       start = at + from->size()) {
    out.append(*s, start, at - start);
    out += *to;
  }
  out.append(*s, start);
  return MakeValue(std::move(out));
}

Result<ValuePtr> StringToInt(const Args& a, Applier&) {
  WEFT_ASSIGN_OR_RETURN(const std::string* s, Str(a[0], "Builtin.String.toInt"));
  std::string_view text = *s;
  if (text.starts_with("+")) text.remove_prefix(1);
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return NoneValue();
  return SomeValue(MakeValue(v));
}

Result<ValuePtr> StringToFloat(const Args& a, Applier&) {
  WEFT_ASSIGN_OR_RETURN(const std::string* s, Str(a[0], "Builtin.String.toFloat"));
  std::string_view text = *s;
  if (text.starts_with("+")) text.remove_prefix(1);
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || std::isnan(v) ||
      std::isinf(v)) {
    return NoneValue();
  }
  return SomeValue(MakeValue(v));
}

Result<ValuePtr> StringFromInt(const Args& a, Applier&) {
  WEFT_ASSIGN_OR_RETURN(std::int64_t i, Int(a[0], "Builtin.String.fromInt"));
  return MakeValue(std::to_string(i));
}

}  // namespace weft::lang::builtin
