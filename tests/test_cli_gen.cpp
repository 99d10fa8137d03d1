// `kepler gen feynman ID`: a table sampled from a benchmark law, with units in the header.
#include <gtest/gtest.h>

#include <sstream>

#include "cli_runner.hpp"
#include "kepler/grammar/csv_reader.hpp"

using kepler::testing::run_kepler;

namespace {

kepler::Table parse(const std::string& csv) { return kepler::grammar::parse_csv(csv, "gen"); }

}  // namespace

TEST(CliGen, WritesTheLawsTableWithUnits) {
    auto r = run_kepler("gen feynman I.12.1 --rows 50 --seed 3");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    kepler::Table t = parse(r.output);
    ASSERT_EQ(t.names, (std::vector<std::string>{"F", "mu", "Nn"}));
    EXPECT_EQ(t.units[0], "m*s^-2*kg");
    EXPECT_EQ(t.units[1], "1");
    ASSERT_EQ(t.rows(), 50u);
    for (Eigen::Index i = 0; i < t.data.rows(); ++i) {
        EXPECT_GE(t.data(i, 1), 1.0);
        EXPECT_LE(t.data(i, 1), 5.0);
        EXPECT_DOUBLE_EQ(t.data(i, 0), t.data(i, 1) * t.data(i, 2));  // F = mu*Nn, noiseless
    }
    // The same seed gives the same table; another seed another one.
    EXPECT_EQ(run_kepler("gen feynman I.12.1 --rows 50 --seed 3").output, r.output);
    EXPECT_NE(run_kepler("gen feynman I.12.1 --rows 50 --seed 4").output, r.output);
}

TEST(CliGen, NoiseIsAFractionOfTheTargetsRms) {
    auto clean = parse(run_kepler("gen feynman I.12.1 --rows 4000 --seed 3").output);
    auto noisy = parse(run_kepler("gen feynman I.12.1 --rows 4000 --seed 3 --noise 0.1").output);
    // Same inputs, target perturbed with sd = 0.1 * rms(F).
    EXPECT_EQ(clean.data.col(1), noisy.data.col(1));
    const double rms = std::sqrt(clean.data.col(0).squaredNorm() / 4000.0);
    const double sd = std::sqrt((noisy.data.col(0) - clean.data.col(0)).squaredNorm() / 4000.0);
    EXPECT_NEAR(sd / rms, 0.1, 0.005);
}

// Errors in the variables: each input moves by sd = 0.05 * rms(input), the target is the law of
// the exact inputs (so it no longer holds exactly on the table), and --input-noise 0 changes
// nothing.
TEST(CliGen, InputNoiseIsAFractionOfEachInputsRms) {
    auto clean = parse(run_kepler("gen feynman I.12.1 --rows 4000 --seed 3").output);
    auto noisy = parse(run_kepler("gen feynman I.12.1 --rows 4000 --seed 3 --input-noise 0.05").output);
    EXPECT_EQ(clean.data.col(0), noisy.data.col(0));  // the target: the exact inputs' law
    for (Eigen::Index j = 1; j <= 2; ++j) {
        const double rms = std::sqrt(clean.data.col(j).squaredNorm() / 4000.0);
        const double sd = std::sqrt((noisy.data.col(j) - clean.data.col(j)).squaredNorm() / 4000.0);
        EXPECT_NEAR(sd / rms, 0.05, 0.003) << "column " << j;
    }
    EXPECT_EQ(run_kepler("gen feynman I.12.1 --rows 50 --seed 3 --input-noise 0").output,
              run_kepler("gen feynman I.12.1 --rows 50 --seed 3").output);
    auto rig = run_kepler("gen rig gas-piston --rows 5 --input-noise 0.1");
    EXPECT_EQ(rig.exit_code, 2);
    EXPECT_NE(rig.output.find("--input-noise applies to `kepler gen feynman` only"), std::string::npos) << rig.output;
}

TEST(CliGen, UnknownLawOrDatabase) {
    auto law = run_kepler("gen feynman I.99.1");
    EXPECT_EQ(law.exit_code, 2);
    EXPECT_NE(law.output.find("no law 'I.99.1'"), std::string::npos) << law.output;
    auto db = run_kepler("gen srbench I.12.1");
    EXPECT_EQ(db.exit_code, 2);
    EXPECT_NE(db.output.find("unknown law database 'srbench'"), std::string::npos) << db.output;
}
