// The report page's scripts and style sheet, compiled in from tools/report/web by
// tools/report/CMakeLists.txt (kepler_embed_text): the pinned npm bundles and the page's own code.
#pragma once

#include <string_view>

namespace kepler::report::assets {

std::string_view vega_js();        // vega/build/vega.min.js
std::string_view vega_lite_js();   // vega-lite/build/vega-lite.min.js
std::string_view vega_embed_js();  // vega-embed/build/vega-embed.min.js
std::string_view katex_js();       // katex/dist/katex.min.js
std::string_view report_js();      // web/src/report.js: builds the page from the embedded result
std::string_view report_css();     // web/src/report.css

}  // namespace kepler::report::assets
