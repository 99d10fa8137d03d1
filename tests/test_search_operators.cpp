#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "cli_runner.hpp"
#include "kepler/search/search_options.hpp"

using namespace kepler;
using kepler::testing::run_kepler;

TEST(SearchOperators, NamesAreTheFormulaTextNames) {
    EXPECT_EQ(operators_from_names("+,-,*,/"), (std::vector<Op>{Op::Add, Op::Sub, Op::Mul, Op::Div}));
    EXPECT_EQ(operators_from_names(" * , sqrt,exp ,^, neg"),
              (std::vector<Op>{Op::Mul, Op::Sqrt, Op::Exp, Op::Pow, Op::Neg}));
    EXPECT_EQ(operators_from_names("sin,sin,cos"), (std::vector<Op>{Op::Sin, Op::Cos}));
}

TEST(SearchOperators, AnUnknownOrEmptyNameIsReportedWithItsPosition) {
    try {
        operators_from_names("+,*,cosh");
        FAIL() << "no exception";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("position 5: unknown operator 'cosh'; expected one of: + - * /"),
                  std::string::npos)
            << e.what();
    }
    EXPECT_THROW(operators_from_names("+,,*"), std::invalid_argument);
    EXPECT_THROW(operators_from_names(""), std::invalid_argument);
}

TEST(SearchOperators, FitUsesTheOperatorsGiven) {
    const std::string data = std::string(KEPLER_SOURCE_DIR) + "/datasets/examples/ideal_gas.csv";
    auto ok = run_kepler("fit " + data + " --target P --ops '*,/' --time-limit 30 --quiet");
    EXPECT_EQ(ok.exit_code, 0) << ok.output;
    EXPECT_NE(ok.output.find("P = 8.314*n*T/V"), std::string::npos) << ok.output;
    auto bad = run_kepler("fit " + data + " --target P --ops '*,cosh'");
    EXPECT_EQ(bad.exit_code, 2);
    EXPECT_NE(bad.output.find("--ops: position 3: unknown operator 'cosh'"), std::string::npos) << bad.output;
}
