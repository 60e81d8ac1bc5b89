// How the command lines read the environment: through a lookup function, so
// that parsing stays a pure function that tests hand a fake environment.
#pragma once

namespace vigil {

// Looks an environment variable up (std::getenv in the binary); returns null
// when it is unset.
using EnvironmentLookup = char* (*)(const char* name);

}  // namespace vigil
