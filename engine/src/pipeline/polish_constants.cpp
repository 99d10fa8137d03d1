#include "kepler/pipeline/polish_constants.hpp"

#include "kepler/fitting/constant_fitting.hpp"

namespace kepler {

Expression polish_constants(const Expression& e, const Eigen::Ref<const Eigen::MatrixXd>& X,
                            const Eigen::Ref<const Eigen::VectorXd>& y, std::uint64_t seed) {
    Expression with_parameters = constants_to_parameters(e);
    if (with_parameters.parameter_count() == 0) return e;
    ConstantFitOptions options;
    options.seed = seed;
    const ConstantFit fit = with_polish_rows(
        X, y, [&](const auto& Xr, const auto& yr) { return fit_constants(with_parameters, Xr, yr, options); });
    if (!fit.improved) return e;
    with_parameters.set_parameters(fit.parameters);
    return parameters_to_constants(with_parameters);
}

}  // namespace kepler
