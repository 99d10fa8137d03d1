#include "kepler/report/report.hpp"

#include <cctype>
#include <stdexcept>
#include <string>
#include <string_view>

#include "report_assets.hpp"

namespace kepler::report {

namespace {

// Installed before anything else runs: records script errors, rejected promises,
// console.error and requests the Content-Security-Policy blocked, in #kepler-errors and in
// <html data-errors="N">.
constexpr std::string_view kErrorHook = R"js((function () {
  var errors = [];
  function show() {
    var el = document.getElementById('kepler-errors');
    if (el && errors.length) { el.textContent = errors.join('\n'); el.hidden = false; }
  }
  function record(text) {
    errors.push(String(text));
    document.documentElement.setAttribute('data-errors', String(errors.length));
    show();
  }
  document.addEventListener('DOMContentLoaded', show);  // errors from before #kepler-errors existed
  window.keplerErrors = errors;
  window.keplerRecordError = record;
  document.documentElement.setAttribute('data-errors', '0');
  window.addEventListener('error', function (e) {
    var where = e.filename ? ' (' + e.filename + ':' + e.lineno + ')' : '';
    var what = e.message || ('cannot load ' + ((e.target && (e.target.src || e.target.href)) || e.type));
    record('error: ' + what + where);
  }, true);
  window.addEventListener('unhandledrejection', function (e) {
    record('unhandled rejection: ' + ((e.reason && e.reason.stack) || e.reason));
  });
  document.addEventListener('securitypolicyviolation', function (e) {
    record('blocked request: ' + e.blockedURI + ' (' + e.violatedDirective + ')');
  });
  var consoleError = console.error;
  console.error = function () {
    record('console.error: ' + Array.prototype.join.call(arguments, ' '));
    return consoleError.apply(console, arguments);
  };
})();)js";

// No request may leave the page: scripts and styles inline only, images only as data: URLs.
// 'unsafe-eval' is for Vega's expression compiler.
constexpr std::string_view kPolicy =
    "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data:; "
    "font-src data:";

std::string html_escaped(std::string_view text) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

// Script text safe inside <script>...</script>: "</script" (any case) would end the element
// early, so it becomes "<\/script", which means the same in JavaScript strings, regular
// expressions and comments.
std::string script_text(std::string_view code) {
    std::string out;
    out.reserve(code.size());
    constexpr std::string_view kEnd = "</script";
    for (std::size_t i = 0; i < code.size(); ++i) {
        bool is_end = code.size() - i >= kEnd.size();
        for (std::size_t k = 0; is_end && k < kEnd.size(); ++k)
            is_end = std::tolower(static_cast<unsigned char>(code[i + k])) == kEnd[k];
        out += code[i];
        if (is_end) out += '\\';
    }
    return out;
}

// The result as the text of a <script type="application/json">: '<' only occurs inside JSON
// strings, where \u003c reads the same, so no text in it can close the element.
std::string embedded_json(const nlohmann::json& doc) {
    const std::string text = doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        if (c == '<')
            out += "\\u003c";
        else
            out += c;
    }
    return out;
}

std::string page(std::string_view kind, std::string_view title, const nlohmann::json& doc) {
    std::string html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
    html += "<meta http-equiv=\"Content-Security-Policy\" content=\"" + std::string(kPolicy) + "\">\n";
    html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    html += "<title>" + html_escaped(title) + "</title>\n";
    html += "<script>" + std::string(kErrorHook) + "</script>\n";
    html += "<style>" + std::string(assets::report_css()) + "</style>\n</head>\n<body>\n";
    html += "<main id=\"kepler-report\" data-kind=\"" + std::string(kind) + "\"></main>\n";
    html += "<pre id=\"kepler-errors\" hidden></pre>\n";
    html += "<script type=\"application/json\" id=\"kepler-data\">" + embedded_json(doc) + "</script>\n";
    for (std::string_view library :
         {assets::vega_js(), assets::vega_lite_js(), assets::vega_embed_js(), assets::katex_js(), assets::report_js()})
        html += "<script>" + script_text(library) + "</script>\n";
    html += "</body>\n</html>\n";
    return html;
}

void require(const nlohmann::json& doc, const char* key, nlohmann::json::value_t type, const char* expected) {
    if (!doc.is_object()) throw std::invalid_argument("expected a JSON object at the top level");
    const auto it = doc.find(key);
    if (it == doc.end()) throw std::invalid_argument(std::string("no \"") + key + "\" field");
    if (it->type() != type) throw std::invalid_argument(std::string("\"") + key + "\" is not " + expected);
}

}  // namespace

std::string fit_report_html(const nlohmann::json& result) {
    require(result, "target", nlohmann::json::value_t::string, "a string");
    require(result, "front", nlohmann::json::value_t::array, "an array");
    return page("fit", "Kepler: the law for " + result["target"].get<std::string>(), result);
}

std::string bench_report_html(const nlohmann::json& results) {
    require(results, "results", nlohmann::json::value_t::array, "an array");
    require(results, "totals", nlohmann::json::value_t::object, "an object");
    return page("bench", "Kepler on the " + results.value("suite", std::string("benchmark")) + " suite", results);
}

}  // namespace kepler::report
