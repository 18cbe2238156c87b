// Overloaded{lambdas...}: one visitor for std::visit from several lambdas.
#pragma once

namespace weft {

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
// Spelled out for clang 16 (the fuzz build), which lacks aggregate deduction.
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

}  // namespace weft
