// A smooth model of a table, to ask "what happens if only x_i changes?" at points that are not
// in the table: the structure tests (symmetry, separability, compositionality) and the
// screening of wide logs (interaction scores) query it instead of the raw rows.
#pragma once

#include <Eigen/Core>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace kepler {

struct SurrogateOptions {
    std::size_t max_rows = 2000;       // rows the model is trained on (a random subset when there are more)
    double validation_fraction = 0.2;  // held-out share of those rows for the validation error
    std::uint64_t seed = 1;
    int threads = 0;  // 0 = all cores (unused so far: the fit is dominated by one
                      // Cholesky factorisation, serial in Eigen; see ARCHITECTURE.md)
    // The kernel's hyperparameters (length scale per input, signal and noise level) are fitted
    // by maximum marginal likelihood on this many training rows (O(rows^3) per step) ...
    std::size_t hyperparameter_rows = 200;
    // ... in at most this many optimiser steps.
    int optimizer_iterations = 40;
};

class Surrogate {
public:
    // Fits the model to y = f(X) (X: rows x inputs, all finite). Throws std::invalid_argument
    // on mismatched sizes, non-finite values or fewer rows than needed.
    static Surrogate fit(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const SurrogateOptions& options = {});

    Surrogate(Surrogate&&) noexcept;
    Surrogate& operator=(Surrogate&&) noexcept;
    ~Surrogate();

    std::size_t inputs() const noexcept;
    // The model's value at each row of X (rows x inputs).
    Eigen::VectorXd predict(const Eigen::MatrixXd& X) const;
    // The model's gradient with respect to the inputs at each row of X (rows x inputs).
    Eigen::MatrixXd gradient(const Eigen::MatrixXd& X) const;

    // The model's own uncertainty at each row of X (the Gaussian process's posterior standard
    // deviation of f, noise excluded, in y's units): how far the prediction may be from the law.
    Eigen::VectorXd predictive_sd(const Eigen::MatrixXd& X) const;
    // The same for each component of the gradient (rows x inputs, y's units per input unit).
    Eigen::MatrixXd gradient_sd(const Eigen::MatrixXd& X) const;
    // The same for combinations of values: for each row g, the posterior standard deviation of
    // sum_p weight(g, p) * f(X.row(index(g, p))). Errors at near points are correlated, so a
    // difference of close predictions is far more accurate than its terms are.
    Eigen::VectorXd combination_sd(const Eigen::MatrixXd& X, const Eigen::MatrixXi& index,
                                   const Eigen::MatrixXd& weight) const;

    // RMSE on the held-out rows, in y's units, and as a fraction of y's standard deviation.
    double validation_rmse() const noexcept;
    double relative_validation_error() const noexcept;
    // Estimated standard deviation of the noise in y (in y's units).
    double noise_estimate() const noexcept;
    // The kernel's length scale for each input, in that input's units: how far the input must
    // move for the model to change appreciably (a very long scale: the law barely depends on it).
    Eigen::VectorXd length_scales() const;

private:
    struct Model;
    explicit Surrogate(std::unique_ptr<Model> model);
    std::unique_ptr<Model> model_;
};

}  // namespace kepler
