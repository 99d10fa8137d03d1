// Gaussian-process regression (kernel ridge with a fitted kernel): a squared-exponential kernel
// with one length scale per input (ARD) on standardised inputs and a standardised target.
//
// Why this model: physical laws are smooth, and the structure tests need values and
// derivatives at points off the table, so an infinitely differentiable kernel interpolant is
// the natural fit. Its hyperparameters (length scales, signal and noise variance) come from
// the log marginal likelihood, which also yields the noise level the tests need for their
// thresholds; per-input length scales let an irrelevant or slowly varying input stop
// dominating the distance. Eigen has no optimiser for this, so the few hyperparameters are
// found with iRprop- (sign-based steps), robust without line searches or tuning.
//
// Cost: the hyperparameters are fitted on a subset (hyperparameter_rows, O(m^3) per step);
// the final model is one Cholesky factorisation over all training rows (O(n^3), ~0.1-0.3 s
// for n = 1600 on one core).
#include "kepler/structure/surrogate.hpp"

#include <Eigen/Cholesky>
#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <stdexcept>
#include <vector>

namespace kepler {

namespace {

constexpr double kMinNoiseVariance = 1e-8;  // standardised units; keeps the Cholesky stable
constexpr double kMaxNoiseVariance = 1.0;
constexpr double kMinLogLength = -3.0;  // length scales in standardised input units
constexpr double kMaxLogLength = 5.0;
constexpr double kMinLogSignal = -5.0;
constexpr double kMaxLogSignal = 5.0;

struct Hyperparameters {
    Eigen::VectorXd log_length;  // one per input
    double log_signal = 0.0;     // log of the signal variance
    double log_noise = 0.0;      // log of the noise variance

    Eigen::VectorXd inverse_length_squared() const { return (-2.0 * log_length).array().exp(); }
};

// k(a, b) = s exp(-0.5 sum_k w_k (a_k - b_k)^2) for every row pair. Direct differences instead
// of the |a|^2 + |b|^2 - 2ab expansion: exact for near points, which finite differences of the
// prediction rely on; the n^2 d loop is cheap next to the factorisation.
Eigen::MatrixXd kernel_matrix(const Eigen::MatrixXd& A, const Eigen::MatrixXd& B, const Eigen::VectorXd& w,
                              double signal) {
    const Eigen::Index na = A.rows(), nb = B.rows(), d = A.cols();
    Eigen::MatrixXd K(na, nb);
    for (Eigen::Index j = 0; j < nb; ++j) {
        for (Eigen::Index i = 0; i < na; ++i) {
            double s = 0.0;
            for (Eigen::Index k = 0; k < d; ++k) {
                const double diff = A(i, k) - B(j, k);
                s += w[k] * diff * diff;
            }
            K(i, j) = s;
        }
    }
    return signal * (-0.5 * K.array()).exp().matrix();
}

// Log marginal likelihood of y under the hyperparameters, and its gradient with respect to
// (log_length..., log_signal, log_noise). Returns false when the kernel matrix is not
// positive definite.
bool log_likelihood(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const Hyperparameters& h, double& value,
                    Eigen::VectorXd& gradient) {
    const Eigen::Index n = X.rows(), d = X.cols();
    const Eigen::VectorXd w = h.inverse_length_squared();
    const double signal = std::exp(h.log_signal), noise = std::exp(h.log_noise);
    const Eigen::MatrixXd Kf = kernel_matrix(X, X, w, signal);
    Eigen::MatrixXd K = Kf;
    K.diagonal().array() += noise;
    const Eigen::LLT<Eigen::MatrixXd> llt(K);
    if (llt.info() != Eigen::Success) return false;
    const Eigen::VectorXd alpha = llt.solve(y);
    const Eigen::MatrixXd L = llt.matrixL();
    value = -0.5 * y.dot(alpha) - L.diagonal().array().log().sum();
    if (!std::isfinite(value)) return false;

    // dlogp/dtheta = 0.5 tr((alpha alpha^T - K^-1) dK/dtheta); with M = (alpha alpha^T - K^-1) o Kf,
    // sum_ij M_ij (x_ik - x_jk)^2 = 2 sum_i x_ik^2 (M 1)_i - 2 x_k^T M x_k.
    Eigen::MatrixXd W = alpha * alpha.transpose() - llt.solve(Eigen::MatrixXd::Identity(n, n));
    const double trace_w = W.trace();
    const Eigen::MatrixXd M = W.cwiseProduct(Kf);
    const Eigen::VectorXd row_sums = M.rowwise().sum();
    const Eigen::MatrixXd MX = M * X;
    gradient.resize(d + 2);
    for (Eigen::Index k = 0; k < d; ++k) {
        const double weighted = 2.0 * X.col(k).array().square().matrix().dot(row_sums) - 2.0 * X.col(k).dot(MX.col(k));
        gradient[k] = 0.5 * w[k] * weighted;
    }
    gradient[d] = 0.5 * M.sum();
    gradient[d + 1] = 0.5 * noise * trace_w;
    return true;
}

void clamp(Hyperparameters& h) {
    for (Eigen::Index k = 0; k < h.log_length.size(); ++k)
        h.log_length[k] = std::clamp(h.log_length[k], kMinLogLength, kMaxLogLength);
    h.log_signal = std::clamp(h.log_signal, kMinLogSignal, kMaxLogSignal);
    h.log_noise = std::clamp(h.log_noise, std::log(kMinNoiseVariance), std::log(kMaxNoiseVariance));
}

Eigen::VectorXd pack(const Hyperparameters& h) {
    Eigen::VectorXd v(h.log_length.size() + 2);
    v << h.log_length, h.log_signal, h.log_noise;
    return v;
}

Hyperparameters unpack(const Eigen::VectorXd& v) {
    Hyperparameters h;
    const Eigen::Index d = v.size() - 2;
    h.log_length = v.head(d);
    h.log_signal = v[d];
    h.log_noise = v[d + 1];
    clamp(h);
    return h;
}

// iRprop- ascent on the log marginal likelihood: each parameter has its own step, grown while
// its gradient keeps its sign and halved when it flips.
Hyperparameters fit_hyperparameters(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, Hyperparameters start,
                                    int iterations) {
    clamp(start);
    Eigen::VectorXd theta = pack(start);
    Eigen::VectorXd step = Eigen::VectorXd::Constant(theta.size(), 0.3);
    Eigen::VectorXd previous = Eigen::VectorXd::Zero(theta.size());
    Hyperparameters best = start;
    double best_value = -std::numeric_limits<double>::infinity();
    for (int it = 0; it < iterations; ++it) {
        const Hyperparameters h = unpack(theta);
        double value = 0.0;
        Eigen::VectorXd g;
        if (!log_likelihood(X, y, h, value, g)) {
            // Not positive definite: more noise, then go on.
            theta[theta.size() - 1] += 1.0;
            continue;
        }
        if (value > best_value) {
            best_value = value;
            best = h;
        }
        for (Eigen::Index k = 0; k < theta.size(); ++k) {
            const double product = g[k] * previous[k];
            if (product > 0)
                step[k] = std::min(step[k] * 1.2, 1.0);
            else if (product < 0) {
                step[k] = std::max(step[k] * 0.5, 1e-4);
                g[k] = 0.0;
            }
            theta[k] += (g[k] > 0 ? 1.0 : (g[k] < 0 ? -1.0 : 0.0)) * step[k];
        }
        previous = g;
        if (step.maxCoeff() < 2e-3) break;
    }
    return best;
}

double standard_deviation(const Eigen::VectorXd& v) {
    if (v.size() < 2) return 0.0;
    const double mean = v.mean();
    return std::sqrt((v.array() - mean).square().sum() / static_cast<double>(v.size() - 1));
}

}  // namespace

struct Surrogate::Model {
    Eigen::RowVectorXd x_mean, x_scale;
    double y_mean = 0.0, y_scale = 1.0;
    Eigen::VectorXd inverse_length_squared;  // w_k, standardised input units
    double signal = 1.0;
    double noise = 0.0;        // standardised variance actually used
    Eigen::MatrixXd train;     // standardised training inputs
    Eigen::VectorXd alpha;     // (K + noise I)^-1 y_standardised
    Eigen::MatrixXd cholesky;  // lower factor L of K + noise I (predictive_sd)
    double validation_rmse = 0.0, relative_validation_error = 0.0, noise_estimate = 0.0;

    Eigen::MatrixXd standardise(const Eigen::MatrixXd& X) const {
        return (X.rowwise() - x_mean).array().rowwise() / x_scale.array();
    }
};

Surrogate::Surrogate(std::unique_ptr<Model> model) : model_(std::move(model)) {}
Surrogate::Surrogate(Surrogate&&) noexcept = default;
Surrogate& Surrogate::operator=(Surrogate&&) noexcept = default;
Surrogate::~Surrogate() = default;

Surrogate Surrogate::fit(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const SurrogateOptions& options) {
    if (X.rows() != y.size()) throw std::invalid_argument("Surrogate::fit: X has a different number of rows than y");
    if (X.cols() < 1) throw std::invalid_argument("Surrogate::fit: X has no input columns");
    if (!X.allFinite() || !y.allFinite()) throw std::invalid_argument("Surrogate::fit: X and y must be finite");
    if (!(options.validation_fraction > 0.0 && options.validation_fraction < 0.9))
        throw std::invalid_argument("Surrogate::fit: validation_fraction must be in (0, 0.9)");
    constexpr Eigen::Index kMinRows = 10;
    if (X.rows() < kMinRows) throw std::invalid_argument("Surrogate::fit: needs at least 10 rows");

    // Rows used: a seeded random subset of at most max_rows, split into training and validation.
    std::vector<Eigen::Index> order(static_cast<std::size_t>(X.rows()));
    std::iota(order.begin(), order.end(), Eigen::Index{0});
    std::mt19937_64 rng(options.seed);
    for (std::size_t i = order.size(); i > 1; --i) {  // Fisher-Yates: same order on every platform
        const std::size_t j = static_cast<std::size_t>(rng() % i);
        std::swap(order[i - 1], order[j]);
    }
    const std::size_t used = std::min<std::size_t>(order.size(), std::max<std::size_t>(options.max_rows, kMinRows));
    const std::size_t validation =
        std::clamp<std::size_t>(static_cast<std::size_t>(std::lround(options.validation_fraction * used)), 2, used - 5);
    const std::size_t training = used - validation;
    const Eigen::Index d = X.cols();

    auto model = std::make_unique<Model>();
    Eigen::MatrixXd used_X(static_cast<Eigen::Index>(used), d);
    Eigen::VectorXd used_y(static_cast<Eigen::Index>(used));
    for (std::size_t i = 0; i < used; ++i) {
        used_X.row(static_cast<Eigen::Index>(i)) = X.row(order[i]);
        used_y[static_cast<Eigen::Index>(i)] = y[order[i]];
    }
    const Eigen::MatrixXd train_X = used_X.topRows(static_cast<Eigen::Index>(training));
    const Eigen::VectorXd train_y = used_y.head(static_cast<Eigen::Index>(training));
    model->x_mean = train_X.colwise().mean();
    model->x_scale.resize(d);
    for (Eigen::Index k = 0; k < d; ++k) {
        const double s = standard_deviation(train_X.col(k));
        model->x_scale[k] = s > 0 ? s : 1.0;  // a constant column: any scale, it never varies
    }
    model->y_mean = train_y.mean();
    const double y_sd = standard_deviation(train_y);
    model->y_scale = y_sd > 0 ? y_sd : 1.0;
    model->train = model->standardise(train_X);
    const Eigen::VectorXd ys = (train_y.array() - model->y_mean) / model->y_scale;

    // Hyperparameters on the first rows of the (shuffled) training set.
    const Eigen::Index m =
        std::min<Eigen::Index>(static_cast<Eigen::Index>(training),
                               static_cast<Eigen::Index>(std::max<std::size_t>(options.hyperparameter_rows, 10)));
    Hyperparameters start;
    start.log_length = Eigen::VectorXd::Constant(d, std::log(std::sqrt(static_cast<double>(d))));
    start.log_signal = 0.0;
    start.log_noise = std::log(1e-3);
    const Hyperparameters h =
        fit_hyperparameters(model->train.topRows(m), ys.head(m), start, options.optimizer_iterations);
    model->inverse_length_squared = h.inverse_length_squared();
    model->signal = std::exp(h.log_signal);
    model->noise = std::exp(h.log_noise);

    // Final model on all training rows; more jitter if rounding makes the matrix indefinite.
    Eigen::MatrixXd K = kernel_matrix(model->train, model->train, model->inverse_length_squared, model->signal);
    for (int attempt = 0;; ++attempt) {
        Eigen::MatrixXd Kn = K;
        Kn.diagonal().array() += model->noise;
        const Eigen::LLT<Eigen::MatrixXd> llt(Kn);
        if (llt.info() == Eigen::Success) {
            model->alpha = llt.solve(ys);
            if (model->alpha.allFinite()) {
                model->cholesky = llt.matrixL();
                break;
            }
        }
        if (attempt == 12) throw std::runtime_error("Surrogate::fit: kernel matrix could not be factorised");
        model->noise = std::max(model->noise * 10.0, 1e-10);
    }

    Surrogate surrogate(std::move(model));
    const Eigen::VectorXd predicted = surrogate.predict(used_X.bottomRows(static_cast<Eigen::Index>(validation)));
    const Eigen::VectorXd residual = predicted - used_y.tail(static_cast<Eigen::Index>(validation));
    Model& fitted = *surrogate.model_;
    fitted.validation_rmse = std::sqrt(residual.squaredNorm() / static_cast<double>(validation));
    const double spread = standard_deviation(used_y);
    fitted.relative_validation_error = spread > 0 ? fitted.validation_rmse / spread : 0.0;
    // The likelihood's noise variance is the model's estimate of the scatter about a smooth law;
    // it cannot exceed what the held-out rows show.
    fitted.noise_estimate = std::min(std::sqrt(fitted.noise) * fitted.y_scale, fitted.validation_rmse);
    return surrogate;
}

std::size_t Surrogate::inputs() const noexcept { return static_cast<std::size_t>(model_->train.cols()); }

Eigen::VectorXd Surrogate::predict(const Eigen::MatrixXd& X) const {
    if (X.cols() != model_->train.cols()) throw std::invalid_argument("Surrogate::predict: wrong number of inputs");
    const Eigen::MatrixXd Ks =
        kernel_matrix(model_->standardise(X), model_->train, model_->inverse_length_squared, model_->signal);
    return ((Ks * model_->alpha).array() * model_->y_scale + model_->y_mean).matrix();
}

Eigen::MatrixXd Surrogate::gradient(const Eigen::MatrixXd& X) const {
    if (X.cols() != model_->train.cols()) throw std::invalid_argument("Surrogate::gradient: wrong number of inputs");
    const Eigen::MatrixXd Z = model_->standardise(X);
    const Eigen::MatrixXd Ks = kernel_matrix(Z, model_->train, model_->inverse_length_squared, model_->signal);
    // d/dz_k sum_i alpha_i k(z, t_i) = -w_k (z_k sum_i alpha_i k_i - sum_i alpha_i k_i t_ik).
    const Eigen::VectorXd f = Ks * model_->alpha;
    const Eigen::MatrixXd weighted_train = model_->train.array().colwise() * model_->alpha.array();
    Eigen::MatrixXd G = Ks * weighted_train - (Z.array().colwise() * f.array()).matrix();
    for (Eigen::Index k = 0; k < G.cols(); ++k)
        G.col(k) *= model_->inverse_length_squared[k] * model_->y_scale / model_->x_scale[k];
    return G;
}

Eigen::VectorXd Surrogate::predictive_sd(const Eigen::MatrixXd& X) const {
    if (X.cols() != model_->train.cols())
        throw std::invalid_argument("Surrogate::predictive_sd: wrong number of inputs");
    const Eigen::MatrixXd Ks =
        kernel_matrix(model_->standardise(X), model_->train, model_->inverse_length_squared, model_->signal);
    // var = k(x,x) - k_x^T (K + noise I)^-1 k_x = s - |L^-1 k_x|^2.
    const Eigen::MatrixXd V = model_->cholesky.triangularView<Eigen::Lower>().solve(Ks.transpose());
    const Eigen::ArrayXd variance = (model_->signal - V.colwise().squaredNorm().array()).max(0.0);
    return (variance.sqrt() * model_->y_scale).matrix();
}

Eigen::MatrixXd Surrogate::gradient_sd(const Eigen::MatrixXd& X) const {
    if (X.cols() != model_->train.cols()) throw std::invalid_argument("Surrogate::gradient_sd: wrong number of inputs");
    const Eigen::MatrixXd Z = model_->standardise(X);
    const Eigen::MatrixXd Ks = kernel_matrix(Z, model_->train, model_->inverse_length_squared, model_->signal);
    const auto L = model_->cholesky.triangularView<Eigen::Lower>();
    Eigen::MatrixXd sd(X.rows(), X.cols());
    for (Eigen::Index k = 0; k < X.cols(); ++k) {
        // Covariance of df/dz_k with the training values: dk(z, t_i)/dz_k = -w_k (z_k - t_ik) k(z, t_i);
        // its prior variance is s w_k.
        const double w = model_->inverse_length_squared[k];
        Eigen::MatrixXd D = Ks;
        for (Eigen::Index i = 0; i < D.cols(); ++i) D.col(i).array() *= -w * (Z.col(k).array() - model_->train(i, k));
        const Eigen::MatrixXd V = L.solve(D.transpose());
        const Eigen::ArrayXd variance = (model_->signal * w - V.colwise().squaredNorm().array()).max(0.0);
        sd.col(k) = variance.sqrt() * (model_->y_scale / model_->x_scale[k]);
    }
    return sd;
}

Eigen::VectorXd Surrogate::combination_sd(const Eigen::MatrixXd& X, const Eigen::MatrixXi& index,
                                          const Eigen::MatrixXd& weight) const {
    if (X.cols() != model_->train.cols())
        throw std::invalid_argument("Surrogate::combination_sd: wrong number of inputs");
    if (index.rows() != weight.rows() || index.cols() != weight.cols())
        throw std::invalid_argument("Surrogate::combination_sd: index and weight differ in shape");
    if (index.size() > 0 && (index.minCoeff() < 0 || index.maxCoeff() >= X.rows()))
        throw std::invalid_argument("Surrogate::combination_sd: row index out of range");
    const Eigen::MatrixXd Z = model_->standardise(X);
    const Eigen::MatrixXd Ks = kernel_matrix(Z, model_->train, model_->inverse_length_squared, model_->signal);
    const Eigen::Index groups = index.rows(), terms = index.cols();
    // var(sum_p w_p f(z_p)) = w^T K_pp w - |L^-1 sum_p w_p k(z_p, train)|^2 (posterior covariance).
    Eigen::MatrixXd A(model_->train.rows(), groups);
    Eigen::VectorXd prior(groups);
    for (Eigen::Index g = 0; g < groups; ++g) {
        A.col(g).setZero();
        Eigen::MatrixXd points(terms, Z.cols());
        for (Eigen::Index p = 0; p < terms; ++p) {
            A.col(g) += weight(g, p) * Ks.row(index(g, p)).transpose();
            points.row(p) = Z.row(index(g, p));
        }
        const Eigen::MatrixXd Kpp = kernel_matrix(points, points, model_->inverse_length_squared, model_->signal);
        prior[g] = (weight.row(g) * Kpp * weight.row(g).transpose()).value();
    }
    const Eigen::MatrixXd V = model_->cholesky.triangularView<Eigen::Lower>().solve(A);
    const Eigen::ArrayXd variance = (prior.array() - V.colwise().squaredNorm().transpose().array()).max(0.0);
    return (variance.sqrt() * model_->y_scale).matrix();
}

double Surrogate::validation_rmse() const noexcept { return model_->validation_rmse; }
double Surrogate::relative_validation_error() const noexcept { return model_->relative_validation_error; }
double Surrogate::noise_estimate() const noexcept { return model_->noise_estimate; }

Eigen::VectorXd Surrogate::length_scales() const {
    return (model_->inverse_length_squared.array().rsqrt() * model_->x_scale.transpose().array()).matrix();
}

}  // namespace kepler
