#include "wire_format.hpp"

#include <cstdint>
#include <vector>

namespace kepler::detail {

void put_expression(ByteWriter& out, const Expression& e) {
    out.put<std::uint64_t>(e.size());
    for (const Node& n : e.nodes()) {
        out.put<std::uint8_t>(static_cast<std::uint8_t>(n.op));
        out.put<std::uint16_t>(n.index);
        out.put<double>(n.value);
    }
}

Expression get_expression(ByteReader& in) {
    const auto n = in.get<std::uint64_t>();
    std::vector<Node> nodes;
    nodes.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(n, 4096)));
    for (std::uint64_t k = 0; k < n; ++k) {
        Node node;
        node.op = static_cast<Op>(in.get<std::uint8_t>());
        node.index = in.get<std::uint16_t>();
        node.value = in.get<double>();
        nodes.push_back(node);
    }
    if (nodes.empty()) return Expression();
    return Expression(std::move(nodes));
}

void put_candidate(ByteWriter& out, const Candidate& c) {
    put_expression(out, c.expression);
    out.put(c.complexity_bits);
    out.put(c.error_bits);
    out.put<std::uint64_t>(c.error_rows);
    out.put(c.rmse);
    out.put(c.r2);
    out.put(c.max_relative_error);
}

Candidate get_candidate(ByteReader& in) {
    Candidate c;
    c.expression = get_expression(in);
    c.complexity_bits = in.get<double>();
    c.error_bits = in.get<double>();
    c.error_rows = static_cast<std::size_t>(in.get<std::uint64_t>());
    c.rmse = in.get<double>();
    c.r2 = in.get<double>();
    c.max_relative_error = in.get<double>();
    return c;
}

void put_front(ByteWriter& out, const ParetoFront& front) {
    out.put<std::uint64_t>(front.size());
    for (const Candidate& c : front.members()) put_candidate(out, c);
}

void get_front_into(ByteReader& in, ParetoFront& front) {
    const auto n = in.get<std::uint64_t>();
    for (std::uint64_t k = 0; k < n; ++k) front.insert(get_candidate(in));
}

}  // namespace kepler::detail
