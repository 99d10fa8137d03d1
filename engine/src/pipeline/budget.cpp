#include "budget.hpp"

#include <algorithm>

namespace kepler::pipeline {

namespace {

Budget::Clock::time_point after(double seconds) {
    return Budget::Clock::now() +
           std::chrono::duration_cast<Budget::Clock::duration>(std::chrono::duration<double>(std::max(0.0, seconds)));
}

}  // namespace

Budget::Budget(double seconds, std::size_t max_evaluations, const std::atomic<bool>* cancel) : cancel_(cancel) {
    deadlines_.push_back(after(seconds));
    evaluations_.push_back(max_evaluations == 0 ? kUnlimited : max_evaluations);
}

double Budget::seconds_left() const {
    return std::max(0.0, std::chrono::duration<double>(deadlines_.back() - Clock::now()).count());
}

std::size_t Budget::evaluations_left(double share) const {
    const std::size_t left = evaluations_.back();
    if (left == kUnlimited) return kUnlimited;
    return static_cast<std::size_t>(static_cast<double>(left) * std::min(1.0, share));
}

std::size_t Budget::evaluation_limit(double share) const {
    const std::size_t left = evaluations_left(share);
    return left == kUnlimited ? 0 : std::max<std::size_t>(1, left);
}

void Budget::spend(std::size_t evaluations) {
    for (std::size_t& left : evaluations_)
        if (left != kUnlimited) left -= std::min(left, evaluations);
}

Budget::Scope::Scope(Budget& budget, double share) : Scope(budget, share, kUnlimited) {}

Budget::Scope::Scope(Budget& budget, double share, std::size_t evaluations) : budget_(budget) {
    budget.deadlines_.push_back(after(budget.seconds_left() * std::min(1.0, share)));
    budget.evaluations_.push_back(std::min(budget.evaluations_left(share), evaluations));
}

Budget::Scope::~Scope() {
    budget_.deadlines_.pop_back();
    budget_.evaluations_.pop_back();
}

}  // namespace kepler::pipeline
