#include "kepler/pipeline/polish_constants.hpp"

#include "kepler/fitting/constant_fitting.hpp"

namespace kepler {

Expression polish_constants(const Expression& e, const Eigen::Ref<const Eigen::MatrixXd>& X,
                            const Eigen::Ref<const Eigen::VectorXd>& y, std::uint64_t seed) {
    Expression with_parameters = constants_to_parameters(e);
    if (with_parameters.parameter_count() == 0) return e;
    ConstantFitOptions options;
    options.seed = seed;
    ConstantFit fit;
    if (X.rows() > kPolishRows) {
        // Every k-th row: deterministic, and spread over the whole table (drifting logs).
        const Eigen::Index step = (X.rows() + kPolishRows - 1) / kPolishRows;
        const Eigen::Index n = (X.rows() + step - 1) / step;
        Eigen::MatrixXd Xs(n, X.cols());
        Eigen::VectorXd ys(n);
        for (Eigen::Index i = 0; i < n; ++i) {
            Xs.row(i) = X.row(i * step);
            ys(i) = y(i * step);
        }
        fit = fit_constants(with_parameters, Xs, ys, options);
    } else {
        fit = fit_constants(with_parameters, X, y, options);
    }
    if (!fit.improved) return e;
    with_parameters.set_parameters(fit.parameters);
    return parameters_to_constants(with_parameters);
}

}  // namespace kepler
