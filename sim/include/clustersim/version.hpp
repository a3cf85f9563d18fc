#pragma once

namespace clustersim {

const char* version();       // the package version, e.g. "0.1.0"
const char* git_revision();  // the source revision at configure time, or "unknown"

}  // namespace clustersim
