#include <gtest/gtest.h>
#include <chrono>
#include "kepler/core/canonical.hpp"
#include "kepler/core/simplify.hpp"
using namespace kepler;
static void run(const char* what, const Expression& e) {
    auto t0 = std::chrono::steady_clock::now();
    Expression s = simplify(e);
    auto t1 = std::chrono::steady_clock::now();
    Expression c = canonical(e);
    auto t2 = std::chrono::steady_clock::now();
    printf("%s n=%zu simplify %.1f ms (%zu nodes) canonical %.1f ms (%zu nodes)\n", what, e.size(),
           std::chrono::duration<double, std::milli>(t1 - t0).count(), s.size(),
           std::chrono::duration<double, std::milli>(t2 - t1).count(), c.size());
}
TEST(SimplifyPerf, Chains) {
    const int n = 3000;
    for (Op op : {Op::Mul, Op::Add, Op::Div, Op::Sub}) {
        Expression e; e.push(Node::var(0));
        for (int i = 1; i < n; ++i) { e.push(Node::var(static_cast<std::uint16_t>(i))); e.push(Node::op_node(op)); }
        run("left chain distinct vars", e);
        Expression r;
        for (int i = 0; i < n; ++i) r.push(Node::var(static_cast<std::uint16_t>(i % 7)));
        for (int i = 1; i < n; ++i) r.push(Node::op_node(op));
        run("right chain 7 vars", r);
        Expression c; c.push(Node::var(0));
        for (int i = 1; i < n; ++i) { c.push(Node::constant(1.0 + i * 0.001)); c.push(Node::op_node(op)); c.push(Node::var(static_cast<std::uint16_t>(i % 5))); c.push(Node::op_node(i % 2 ? Op::Add : Op::Mul)); }
        run("mixed", c);
    }
    // nested sqrt / powers
    Expression p; p.push(Node::var(0));
    for (int i = 0; i < 2000; ++i) { p.push(Node::var(1)); p.push(Node::op_node(Op::Mul)); p.push(Node::op_node(Op::Sqrt)); }
    run("nested sqrt", p);
    Expression q; q.push(Node::var(0));
    for (int i = 0; i < 2000; ++i) { q.push(Node::constant(2)); q.push(Node::op_node(Op::Mul)); q.push(Node::constant(1)); q.push(Node::op_node(Op::Add)); }
    run("nested affine", q);
}
