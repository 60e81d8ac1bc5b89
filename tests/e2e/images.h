// The images the end-to-end tests run, built the way users build theirs:
// packaging/Dockerfile makes the vigil image around the static binary under
// test, and the test application's image copies vigil out of it with
// `COPY --from=vigil-image:VERSION /vigil /vigil`, FROM scratch.
#pragma once

#include <string>

namespace vigil_e2e {

struct TestImages {
    std::string error;    // why they could not be built; "" when they were
    std::string package;  // vigil-e2e-vigil-XXXXXXXX:VERSION (packaging/Dockerfile)
    // FROM scratch: /vigil from `package`, the test application as /app,
    // ENTRYPOINT ["/vigil", "--"], CMD ["/app"].
    std::string app;
};

// Builds both images on first use; a test program removes them at exit.
const TestImages& test_images();

// The project version (the vigil image's tag, the Debian package's version).
inline constexpr const char* project_version = VIGIL_PROJECT_VERSION;

}  // namespace vigil_e2e
