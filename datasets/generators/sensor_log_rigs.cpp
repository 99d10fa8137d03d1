#include "sensor_log_rigs.hpp"

#include <cmath>
#include <memory>

namespace kepler::datasets::rigs {

namespace {

using signals::Series;
using namespace signals;

constexpr double kTwoPi = 6.283185307179586;
constexpr double kDay = 86400.0;
constexpr double kHour = 3600.0;
constexpr double kMinute = 60.0;

// The room around every rig: a daily temperature cycle, barometric drift, humidity that falls
// as the room warms.
struct Ambient {
    Series T;   // K
    Series p;   // kPa
    Series RH;  // fraction
};

Ambient ambient(const RigContext& c) {
    RandomStream r = c.stream("state:ambient");
    Ambient a;
    const double phase = r.uniform(0.0, kTwoPi);
    a.T =
        Series::Constant(c.t().size(), 294.0) + cycle(c.t(), 1.8, kDay, phase) + drift(r, c.rows, c.dt, 2 * kHour, 0.4);
    a.p = Series::Constant(c.t().size(), 101.3) + drift(r, c.rows, c.dt, 6 * kHour, 0.5);
    a.RH = (0.45 - 0.012 * (a.T.array() - 294.0) + drift(r, c.rows, c.dt, 3 * kHour, 0.04).array())
               .max(0.05)
               .min(0.95)
               .matrix();
    return a;
}

// A channel's own measurement noise, from the channel's own stream.
Series measured(const RigContext& c, const std::string& name, const Series& truth, double sd) {
    RandomStream r = c.stream("channel:" + name);
    return truth + white_noise(r, c.rows, sd);
}

Series constant(const RigContext& c, double value) { return Series::Constant(c.t().size(), value); }

// A heater that holds a temperature: the loss to the room plus what warming the mass takes,
// never negative, never above its rating.
Series heater_power(const Series& T, const Series& T_room, double loss_w_per_k, double heat_capacity_j_per_k, double dt,
                    double rating_w) {
    Series power = loss_w_per_k * (T - T_room) + heat_capacity_j_per_k * rate_of_change(lag(T, dt, 30.0), dt);
    return power.array().max(0.0).min(rating_w).matrix();
}

// An on/off state held for random stretches; `on_share` of the stretches are on.
Series on_off(RandomStream& r, const Series& t, double hold_min, double hold_max, double on_share) {
    Series u = schedule(r, t, hold_min, hold_max, 0.0, 1.0);
    return (u.array() < on_share).cast<double>().matrix();
}

double rms(const Series& x) {
    return std::sqrt(x.squaredNorm() / std::max<double>(1.0, static_cast<double>(x.size())));
}

}  // namespace

// Ideal gas in a cylinder: n = 0.05 mol, a heater sets T, a piston sets V; P = n R T / V.
RigRecipe gas_piston(const RigContext& c) {
    static constexpr double kMoles = 0.05;
    static constexpr double kGasConstant = 8.314462618;  // J/(mol K); P [kPa] = n R T [K] / V [L]
    static constexpr double kBoreArea = 0.0050265;       // L per mm of stroke (80 mm bore)
    static constexpr double kDeadVolume = 0.15;          // L

    struct State {
        Ambient room;
        Series T_true, T, x, V, P, speed, p_supply, P_heater, I_motor;
    };
    auto s = std::make_shared<State>();
    s->room = ambient(c);
    {
        // Heater set points 285-385 K held 8-16 min; the gas follows with a 90 s lag.
        RandomStream r = c.stream("state:T");
        s->T_true = lag(schedule(r, c.t(), 8 * kMinute, 16 * kMinute, 285.0, 385.0), c.dt, 90.0) +
                    drift(r, c.rows, c.dt, 2 * kMinute, 0.15);
        s->T = to_resolution(s->T_true, 2);
    }
    {
        // Piston set points 10-140 mm held 2.5-6 min, driven at 1 mm/s at most.
        RandomStream r = c.stream("state:x");
        s->x = rate_limit(schedule(r, c.t(), 150.0, 360.0, 10.0, 140.0), c.dt, 1.0);
        s->V = to_resolution((kDeadVolume + kBoreArea * s->x.array()).matrix(), 5);
        s->speed = rate_of_change(s->x, c.dt).cwiseAbs();
    }
    s->P = (kMoles * kGasConstant * s->T.array() / s->V.array()).matrix();
    {
        RandomStream r = c.stream("state:p_supply");
        s->p_supply = to_resolution(
            Series::Constant(c.t().size(), 600.0) + drift(r, c.rows, c.dt, kHour, 8.0) + white_noise(r, c.rows, 0.4),
            2);
    }
    s->P_heater = heater_power(s->T_true, s->room.T, 1.6, 250.0, c.dt, 450.0);
    {
        // The motor pushes against the gas: its current follows the pressure (a loose copy of
        // the target, 20 kPa of noise in its terms) and the piston's speed.
        RandomStream r = c.stream("state:I_motor");
        s->I_motor = (0.3 + 0.004 * (s->P - s->room.p).array() + 0.25 * s->speed.array()).matrix() +
                     white_noise(r, c.rows, 0.08);
    }

    RigRecipe rig;
    auto add = [&](std::string name, std::string unit, int decimals, std::function<Series()> values,
                   bool in_law = false) {
        rig.channels.push_back({std::move(name), std::move(unit), decimals, in_law, std::move(values)});
    };
    add("p_supply", "kPa", 2, [s] { return s->p_supply; });
    add("p_supply_bar", "bar", 4, [s] { return Series(s->p_supply / 100.0); });
    add("p_amb", "kPa", 3, [s, c] { return measured(c, "p_amb", s->room.p, 0.01); });
    add("T_amb", "K", 2, [s, c] { return measured(c, "T_amb", s->room.T, 0.05); });
    add("RH_amb", "1", 3, [s, c] { return measured(c, "RH_amb", s->room.RH, 0.003); });
    add("U_psu", "V", 2, [c] { return constant(c, 24.0); });
    add("I_psu", "A", 3, [s, c] {
        RandomStream r = c.stream("channel:I_psu");
        return Series((1.2 + 0.05 * (s->speed.array() > 0.0).cast<double>()).matrix() +
                      drift(r, c.rows, c.dt, kHour, 0.02) + white_noise(r, c.rows, 0.004));
    });
    add("x_piston", "mm", 2, [s] { return s->x; });
    add("v_piston", "mm/s", 3, [s, c] { return measured(c, "v_piston", rate_of_change(s->x, c.dt), 0.02); });
    add("I_motor", "A", 3, [s] { return s->I_motor; });
    add("T_motor", "K", 2, [s, c] {
        return measured(c, "T_motor",
                        Series(s->room.T + lag(Series(4.0 * s->I_motor.array().square()), c.dt, 20 * kMinute)), 0.05);
    });
    add(
        "T", "K", 2, [s] { return s->T; }, true);
    add("T_backup", "K", 2, [s, c] { return measured(c, "T_backup", Series(s->T.array() + 0.3), 0.08); });
    add("P_heater", "W", 1, [s, c] { return Series(measured(c, "P_heater", s->P_heater, 3.0).cwiseMax(0.0)); });
    add("T_wall", "K", 2, [s, c] {
        RandomStream r = c.stream("channel:T_wall");
        return Series(s->room.T + 0.75 * lag(Series(s->T_true - s->room.T), c.dt, 15 * kMinute) +
                      drift(r, c.rows, c.dt, kHour, 0.3) + white_noise(r, c.rows, 0.05));
    });
    add("T_head", "K", 2, [s, c] {
        RandomStream r = c.stream("channel:T_head");
        return Series(s->room.T + 0.5 * lag(Series(s->T_true - s->room.T), c.dt, 25 * kMinute) +
                      drift(r, c.rows, c.dt, 2 * kHour, 0.4) + white_noise(r, c.rows, 0.05));
    });
    add(
        "V", "L", 5, [s] { return s->V; }, true);
    add(
        "P", "kPa", 3, [s] { return s->P; }, true);
    add("p_line", "kPa", 2, [c] {
        RandomStream r = c.stream("channel:p_line");
        return Series(constant(c, 420.0) + drift(r, c.rows, c.dt, 40 * kMinute, 6.0) + white_noise(r, c.rows, 0.5) +
                      spikes(r, c.rows, 0.001, 25.0));
    });
    add("p_oil", "kPa", 1, [s, c] {
        RandomStream r = c.stream("channel:p_oil");
        return Series(constant(c, 250.0) + 30.0 * lag(s->speed, c.dt, 10.0) + drift(r, c.rows, c.dt, kHour, 4.0) +
                      white_noise(r, c.rows, 1.5));
    });
    add("T_oil", "K", 2, [s, c] {
        RandomStream r = c.stream("channel:T_oil");
        return Series(s->room.T.array() + 12.0 + drift(r, c.rows, c.dt, 90 * kMinute, 1.0).array() +
                      white_noise(r, c.rows, 0.05).array());
    });
    add("T_cw_in", "K", 2, [c] {
        RandomStream r = c.stream("channel:T_cw_in");
        return Series(constant(c, 288.0) + drift(r, c.rows, c.dt, 2 * kHour, 0.5) + white_noise(r, c.rows, 0.03));
    });
    add("flow_cw", "L/min", 2, [c] {
        RandomStream r = c.stream("channel:flow_cw");
        return Series(constant(c, 4.0) + drift(r, c.rows, c.dt, kHour, 0.15) + white_noise(r, c.rows, 0.03));
    });
    add("T_cw_out", "K", 2, [s, c] {
        RandomStream r = c.stream("channel:T_cw_out");
        return Series(constant(c, 288.6) + drift(r, c.rows, c.dt, 2 * kHour, 0.5) +
                      0.003 * lag(s->P_heater, c.dt, 5 * kMinute) + white_noise(r, c.rows, 0.03));
    });
    for (const char* axis : {"vib_x", "vib_y", "vib_z"}) {
        add(axis, "m/s^2", 3, [s, c, name = std::string(axis)] {
            RandomStream r = c.stream("channel:" + name);
            const double base = r.uniform(0.03, 0.08);
            return Series((base + 0.08 * s->speed.array() + white_noise(r, c.rows, 0.01).array().abs()).matrix() +
                          spikes(r, c.rows, 0.002, 0.8));
        });
    }
    add("U_mains", "V", 1, [c] {
        RandomStream r = c.stream("channel:U_mains");
        return Series(constant(c, 230.0) + drift(r, c.rows, c.dt, 30 * kMinute, 1.5) + white_noise(r, c.rows, 0.3));
    });
    add("T_enclosure", "K", 2, [s, c] {
        return measured(c, "T_enclosure",
                        Series(s->room.T.array() + 4.0 + lag(Series(0.01 * s->P_heater), c.dt, 30 * kMinute).array()),
                        0.05);
    });
    add("f_fan", "Hz", 1, [s, c] {
        return measured(c, "f_fan", Series(20.0 + 2.0 * lag(Series(0.01 * s->P_heater), c.dt, 30 * kMinute).array()),
                        0.3);
    });
    add("leak_rate", "mL/min", 3, [s, c] {
        RandomStream r = c.stream("channel:leak_rate");
        Series leak = (0.02 + 0.0001 * (s->P - s->room.p).array().max(0.0)).matrix() +
                      drift(r, c.rows, c.dt, kHour, 0.005) + white_noise(r, c.rows, 0.01);
        return Series(leak.cwiseMax(0.0));
    });
    add("valve_V1", "1", 0, [c] {
        RandomStream r = c.stream("channel:valve_V1");
        return on_off(r, c.t(), 10 * kMinute, 40 * kMinute, 0.5);
    });
    add("door_open", "1", 0, [c] {
        RandomStream r = c.stream("channel:door_open");
        return on_off(r, c.t(), 2 * kMinute, 60 * kMinute, 0.08);
    });

    rig.target = "P";
    rig.law_inputs = {"T", "V"};
    rig.law = "0.05*8.314462618*T/V";
    rig.relations = {
        {"V", "x_piston", kBoreArea, kDeadVolume, 2e-5, "redundant reading"},
        {"T_backup", "T", 1.0, 0.3, 0.08, "backup sensor"},
        {"p_supply_bar", "p_supply", 0.01, 0.0, 0.0, "exact duplicate"},
    };
    rig.constants = {"U_psu"};
    rig.correlated = {"I_motor", "P_heater", "T_wall", "T_head", "leak_rate"};
    rig.hidden_states = {s->T_true, s->x};
    return rig;
}

// A heated wire in an oven: U = I R0 (1 + alpha (T_wire - T0)), R0 = 2.5 ohm at T0 = 293.15 K,
// alpha = 0.00385 per K (platinum). The wire is warmer than the oven by its own I^2 R.
RigRecipe heated_wire(const RigContext& c) {
    static constexpr double kR0 = 2.5, kAlpha = 0.00385, kT0 = 293.15;
    static constexpr double kShunt = 100.0;  // mV per A (a 0.1 ohm shunt)

    struct State {
        Ambient room;
        Series T_oven, I_true, I, T_wire, U, P_oven, p_chamber;
    };
    auto s = std::make_shared<State>();
    s->room = ambient(c);
    {
        // Oven set points 300-650 K held 10-20 min, 4 min thermal lag.
        RandomStream r = c.stream("state:T_oven");
        s->T_oven = lag(schedule(r, c.t(), 10 * kMinute, 20 * kMinute, 300.0, 650.0), c.dt, 4 * kMinute) +
                    drift(r, c.rows, c.dt, 5 * kMinute, 0.2);
    }
    {
        // The current source steps between 0.05 and 1.5 A every 20-90 s.
        RandomStream r = c.stream("state:I");
        s->I_true = schedule(r, c.t(), 20.0, 90.0, 0.05, 1.5);
        s->I = to_resolution(s->I_true, 4);
    }
    {
        // Self-heating: 3 K per W dissipated, settling in 8 s.
        Series resistance = (kR0 * (1.0 + kAlpha * (s->T_oven.array() - kT0))).matrix();
        Series self_heating = (3.0 * s->I_true.array().square() * resistance.array()).matrix();
        RandomStream r = c.stream("state:T_wire");
        s->T_wire = to_resolution(Series(s->T_oven + lag(self_heating, c.dt, 8.0) + white_noise(r, c.rows, 0.05)), 2);
    }
    s->U = (s->I.array() * kR0 * (1.0 + kAlpha * (s->T_wire.array() - kT0))).matrix();
    s->P_oven = heater_power(s->T_oven, s->room.T, 2.2, 800.0, c.dt, 1500.0);
    {
        RandomStream r = c.stream("state:p_chamber");
        s->p_chamber = to_resolution(
            Series(constant(c, 101800.0) + drift(r, c.rows, c.dt, 45 * kMinute, 120.0) + white_noise(r, c.rows, 3.0)),
            1);
    }

    RigRecipe rig;
    auto add = [&](std::string name, std::string unit, int decimals, std::function<Series()> values,
                   bool in_law = false) {
        rig.channels.push_back({std::move(name), std::move(unit), decimals, in_law, std::move(values)});
    };
    add("T_amb", "K", 2, [s, c] { return measured(c, "T_amb", s->room.T, 0.05); });
    add("p_amb", "kPa", 3, [s, c] { return measured(c, "p_amb", s->room.p, 0.01); });
    add("RH_amb", "1", 3, [s, c] { return measured(c, "RH_amb", s->room.RH, 0.003); });
    add("T_oven", "K", 2, [s, c] { return measured(c, "T_oven", s->T_oven, 0.1); });
    add("T_oven_zone2", "K", 2, [s, c] {
        RandomStream r = c.stream("channel:T_oven_zone2");
        return Series(0.97 * lag(s->T_oven, c.dt, 2 * kMinute) + 0.03 * s->room.T + drift(r, c.rows, c.dt, kHour, 0.8) +
                      white_noise(r, c.rows, 0.1));
    });
    add("P_oven", "W", 1, [s, c] { return Series(measured(c, "P_oven", s->P_oven, 5.0).cwiseMax(0.0)); });
    add("p_chamber", "Pa", 1, [s] { return s->p_chamber; });
    add("p_chamber_mbar", "mbar", 3, [s] { return Series(s->p_chamber / 100.0); });
    add("flow_N2", "L/min", 3, [c] {
        RandomStream r = c.stream("channel:flow_N2");
        return Series(constant(c, 2.0) + drift(r, c.rows, c.dt, 30 * kMinute, 0.05) + white_noise(r, c.rows, 0.01));
    });
    add(
        "I", "A", 4, [s] { return s->I; }, true);
    add("U_shunt", "mV", 2, [s, c] { return measured(c, "U_shunt", Series(kShunt * s->I_true), 0.01); });
    add(
        "T_wire", "K", 2, [s] { return s->T_wire; }, true);
    add("T_wire_tc2", "K", 2, [s, c] { return measured(c, "T_wire_tc2", Series(s->T_wire.array() + 0.5), 0.2); });
    add(
        "U", "V", 4, [s] { return s->U; }, true);
    add("T_cjc", "K", 2, [s, c] {
        RandomStream r = c.stream("channel:T_cjc");
        return Series(lag(s->room.T, c.dt, 10 * kMinute).array() + 1.5 + drift(r, c.rows, c.dt, kHour, 0.2).array() +
                      white_noise(r, c.rows, 0.02).array());
    });
    add("U_ref", "V", 4, [c] { return constant(c, 10.0); });
    add("I_leak", "uA", 3, [s, c] {
        RandomStream r = c.stream("channel:I_leak");
        return Series((0.2 + 0.002 * (s->T_oven.array() - 300.0)).matrix() + drift(r, c.rows, c.dt, 2 * kHour, 0.05) +
                      white_noise(r, c.rows, 0.01));
    });
    add("T_electronics", "K", 2, [s, c] {
        return measured(c, "T_electronics", Series(lag(s->room.T, c.dt, 20 * kMinute).array() + 8.0), 0.05);
    });
    add("T_cw_in", "K", 2, [c] {
        RandomStream r = c.stream("channel:T_cw_in");
        return Series(constant(c, 288.0) + drift(r, c.rows, c.dt, 2 * kHour, 0.5) + white_noise(r, c.rows, 0.03));
    });
    add("T_cw_out", "K", 2, [s, c] {
        RandomStream r = c.stream("channel:T_cw_out");
        return Series(constant(c, 288.8) + drift(r, c.rows, c.dt, 2 * kHour, 0.5) +
                      0.002 * lag(s->P_oven, c.dt, 5 * kMinute) + white_noise(r, c.rows, 0.03));
    });
    add("flow_cw", "L/min", 2, [c] {
        RandomStream r = c.stream("channel:flow_cw");
        return Series(constant(c, 3.5) + drift(r, c.rows, c.dt, kHour, 0.1) + white_noise(r, c.rows, 0.03));
    });
    add("vib_table", "m/s^2", 4, [c] {
        RandomStream r = c.stream("channel:vib_table");
        return Series((0.01 + white_noise(r, c.rows, 0.003).array().abs()).matrix() + spikes(r, c.rows, 0.003, 0.2));
    });
    add("f_fan", "Hz", 1,
        [s, c] { return measured(c, "f_fan", Series(25.0 + 0.01 * lag(s->P_oven, c.dt, 10 * kMinute).array()), 0.3); });
    add("U_mains", "V", 1, [c] {
        RandomStream r = c.stream("channel:U_mains");
        return Series(constant(c, 230.0) + drift(r, c.rows, c.dt, 30 * kMinute, 1.5) + white_noise(r, c.rows, 0.3));
    });
    add("door_interlock", "1", 0, [c] {
        RandomStream r = c.stream("channel:door_interlock");
        return on_off(r, c.t(), 20 * kMinute, 90 * kMinute, 0.9);
    });

    rig.target = "U";
    rig.law_inputs = {"I", "T_wire"};
    rig.law = "I*2.5*(1 + 0.00385*(T_wire - 293.15))";
    rig.relations = {
        // I is logged to 0.1 mA and the shunt to 0.01 mV: both roundings plus the shunt's noise.
        {"U_shunt", "I", kShunt, 0.0, 0.015, "redundant reading"},
        {"T_wire_tc2", "T_wire", 1.0, 0.5, 0.2, "backup sensor"},
        {"p_chamber_mbar", "p_chamber", 0.01, 0.0, 0.0, "exact duplicate"},
    };
    rig.constants = {"U_ref"};
    rig.correlated = {"T_oven", "T_oven_zone2", "P_oven", "I_leak"};
    rig.hidden_states = {s->T_oven, s->I_true};
    return rig;
}

// A pendulum whose length a winch sets: period = 2 pi sqrt(L / g), g = 9.81 m/s^2 (the lab's),
// amplitudes under 10 degrees (the amplitude correction, under 0.2 %, is left out).
RigRecipe pendulum(const RigContext& c) {
    static constexpr double kG = 9.81;
    static constexpr double kWinchZero = 2450.0;      // winch position (mm) at L = 0
    static constexpr double kSuspensionHeight = 2.6;  // m above the floor
    static constexpr double kBackupTimerSd = 0.002;   // s

    struct State {
        Ambient room;
        Series L_true, L, period, amplitude, swings, moving, p_amb_hPa;
    };
    auto s = std::make_shared<State>();
    s->room = ambient(c);
    {
        // Length set points 0.25-2.0 m held 8-15 min, the winch moves at 5 mm/s.
        RandomStream r = c.stream("state:L");
        s->L_true = rate_limit(schedule(r, c.t(), 8 * kMinute, 15 * kMinute, 0.25, 2.0), c.dt, 0.005);
        s->L = to_resolution(s->L_true, 4);
        s->moving = (rate_of_change(s->L_true, c.dt).array().abs() > 0.0).cast<double>().matrix();
    }
    s->period = (kTwoPi * (s->L.array() / kG).sqrt()).matrix();
    {
        // Kicked to 8-10 degrees, decaying with a 10 min time constant, kicked again below 2.
        RandomStream r = c.stream("state:amplitude");
        s->amplitude.resize(c.t().size());
        s->swings.resize(c.t().size());
        double amplitude = r.uniform(8.0, 10.0), swings = 0.0;
        const double decay = std::exp(-c.dt / (10 * kMinute));
        for (Eigen::Index i = 0; i < c.t().size(); ++i) {
            s->amplitude(i) = amplitude;
            s->swings(i) = std::floor(swings);
            amplitude *= decay;
            swings += 2.0 * c.dt / s->period(i);  // a light gate counts each pass
            if (amplitude < 2.0) {
                amplitude = r.uniform(8.0, 10.0);
                swings = 0.0;
            }
        }
    }
    {
        RandomStream r = c.stream("state:p_amb_hPa");
        s->p_amb_hPa = to_resolution(Series(10.0 * s->room.p + white_noise(r, c.rows, 0.05)), 2);
    }
    const double target_noise_sd = c.noise * rms(s->period);

    RigRecipe rig;
    auto add = [&](std::string name, std::string unit, int decimals, std::function<Series()> values,
                   bool in_law = false) {
        rig.channels.push_back({std::move(name), std::move(unit), decimals, in_law, std::move(values)});
    };
    add("T_amb", "K", 2, [s, c] { return measured(c, "T_amb", s->room.T, 0.05); });
    add("p_amb", "hPa", 2, [s] { return s->p_amb_hPa; });
    add("p_amb_kPa", "kPa", 3, [s] { return Series(s->p_amb_hPa / 10.0); });
    add("RH_amb", "1", 3, [s, c] { return measured(c, "RH_amb", s->room.RH, 0.003); });
    add("winch_pos", "mm", 2, [s] { return Series(kWinchZero - 1000.0 * s->L_true.array()); });
    add("I_winch", "A", 3, [s, c] { return measured(c, "I_winch", Series(0.05 + 0.6 * s->moving.array()), 0.01); });
    add("d_floor", "m", 4,
        [s, c] { return measured(c, "d_floor", Series(kSuspensionHeight - s->L_true.array()), 0.002); });
    add(
        "L", "m", 4, [s] { return s->L; }, true);
    add(
        "period", "s", 5, [s] { return s->period; }, true);
    add("period_backup", "s", 5, [s, c] { return measured(c, "period_backup", s->period, kBackupTimerSd); });
    add("amplitude", "deg", 2, [s, c] { return measured(c, "amplitude", s->amplitude, 0.02); });
    add("v_bob", "m/s", 3, [s, c] {
        // The light gate's transit speed at the bottom, 2 sqrt(g L) sin(amplitude / 2), to 3 %.
        RandomStream r = c.stream("channel:v_bob");
        Series v = (2.0 * (kG * s->L_true.array()).sqrt() * (s->amplitude.array() * (kTwoPi / 720.0)).sin()).matrix();
        return Series(v.array() * (1.0 + white_noise(r, c.rows, 0.03).array()));
    });
    add("swing_count", "1", 0, [s] { return s->swings; });
    add("m_bob", "kg", 3, [c] { return constant(c, 0.5); });
    add("T_rod", "K", 2, [s, c] { return measured(c, "T_rod", lag(s->room.T, c.dt, 30 * kMinute), 0.03); });
    add("T_clamp", "K", 2, [s, c] {
        RandomStream r = c.stream("channel:T_clamp");
        return Series(lag(s->room.T, c.dt, 45 * kMinute).array() + 0.6 + drift(r, c.rows, c.dt, kHour, 0.2).array() +
                      white_noise(r, c.rows, 0.03).array());
    });
    add("draft", "m/s", 3, [c] {
        RandomStream r = c.stream("channel:draft");
        return Series((0.05 + drift(r, c.rows, c.dt, 10 * kMinute, 0.03).array()).abs().matrix() +
                      white_noise(r, c.rows, 0.005));
    });
    add("U_gate", "V", 3, [c] {
        RandomStream r = c.stream("channel:U_gate");
        return Series(constant(c, 5.0) + drift(r, c.rows, c.dt, kHour, 0.01) + white_noise(r, c.rows, 0.002));
    });
    add("I_gate", "mA", 2, [c] {
        RandomStream r = c.stream("channel:I_gate");
        return Series(constant(c, 12.0) + drift(r, c.rows, c.dt, kHour, 0.2) + white_noise(r, c.rows, 0.02));
    });
    add("vib_floor", "m/s^2", 4, [s, c] {
        RandomStream r = c.stream("channel:vib_floor");
        return Series((0.005 + 0.02 * s->moving.array() + white_noise(r, c.rows, 0.002).array().abs()).matrix() +
                      spikes(r, c.rows, 0.002, 0.1));
    });
    add("lux_room", "lx", 0, [c] {
        RandomStream r = c.stream("channel:lux_room");
        return Series(on_off(r, c.t(), 30 * kMinute, 3 * kHour, 0.8) * 420.0 + constant(c, 15.0) +
                      white_noise(r, c.rows, 3.0));
    });
    add("U_mains", "V", 1, [c] {
        RandomStream r = c.stream("channel:U_mains");
        return Series(constant(c, 230.0) + drift(r, c.rows, c.dt, 30 * kMinute, 1.5) + white_noise(r, c.rows, 0.3));
    });

    rig.target = "period";
    rig.law_inputs = {"L"};
    rig.law = "2*pi*sqrt(L/9.81)";
    rig.relations = {
        // The encoder reads 0.01 mm, L is logged to 0.1 mm: 0.029 mm of rounding (sd).
        {"winch_pos", "L", -1000.0, kWinchZero, 0.03, "redundant reading"},
        {"d_floor", "L", -1.0, kSuspensionHeight, 0.002, "backup sensor"},
        {"period_backup", "period", 1.0, 0.0, std::hypot(kBackupTimerSd, target_noise_sd), "backup sensor"},
        {"p_amb_kPa", "p_amb", 0.1, 0.0, 0.0, "exact duplicate"},
    };
    rig.constants = {"m_bob"};
    rig.correlated = {"v_bob"};
    rig.hidden_states = {s->L_true, s->amplitude};
    return rig;
}

}  // namespace kepler::datasets::rigs
