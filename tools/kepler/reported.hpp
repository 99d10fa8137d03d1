// The CLI's one way of reporting bad input from kepler::api: "kepler: error: <message>" on
// stderr (the message carries the file, line and column), and false for the caller to exit 2.
#pragma once

#include <iostream>

#include "kepler/api/input_error.hpp"

namespace kepler::cli {

// Runs `step`; true if it returned, false after printing the InputError it threw.
template <class Step>
bool reported(Step&& step) {
    try {
        step();
        return true;
    } catch (const api::InputError& e) {
        std::cerr << "kepler: error: " << e.what() << "\n";
        return false;
    }
}

}  // namespace kepler::cli
