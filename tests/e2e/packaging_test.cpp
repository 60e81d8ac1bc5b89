// The ways vigil is installed: the `vigil` image other images copy it from,
// the Debian package CPack makes from the release build, and its man page.
#include <dirent.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <regex>
#include <set>
#include <string>
#include <vector>

#include "base/exit_status.h"
#include "docker.h"
#include "images.h"
#include "probe/probe_command_line.h"
#include "process_harness.h"
#include "supervisor/supervisor_command_line.h"

using namespace vigil_e2e;
using vigil_test::run;

namespace {

std::vector<std::string> files_ending_with(const std::string& directory,
                                           const std::string& suffix) {
    std::vector<std::string> found;
    if (DIR* listing = opendir(directory.c_str())) {
        while (dirent* entry = readdir(listing)) {
            std::string name = entry->d_name;
            if (name.size() > suffix.size() &&
                name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
                found.push_back(directory + "/" + name);
        }
        closedir(listing);
    }
    return found;
}

// The man page's source with roff's escaped hyphens ("\-") made plain.
std::string man_page_text() {
    std::string text = vigil_test::read_file(source_dir() + "/packaging/vigil.1");
    std::string plain;
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\' && i + 1 < text.size() && text[i + 1] == '-')
            continue;
        plain += text[i];
    }
    return plain;
}

std::set<std::string> all_matches(const std::string& text, const std::regex& pattern) {
    std::set<std::string> matches;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), pattern);
         it != std::sregex_iterator(); ++it)
        matches.insert((*it)[1]);
    return matches;
}

class PackageImage : public DockerTest {};

// The package CPack makes from the static release build, once per test
// program (its directory goes at exit): the .deb, or "" and what went wrong.
struct BuiltPackage {
    BuiltPackage() {
        std::vector<std::string> cpack{CPACK_COMMAND,
                                       "-G",
                                       "DEB",
                                       "--config",
                                       std::string(VIGIL_STATIC_BUILD_DIR) + "/CPackConfig.cmake",
                                       "-B",
                                       directory.path()};
        auto made = run(cpack, 300s);
        std::vector<std::string> debs = files_ending_with(directory.path(), ".deb");
        if (made.result.exit_code != 0 || debs.size() != 1)
            problem = "cpack -G DEB failed: " + made.out + made.err;
        else
            deb = debs[0];
    }
    vigil_test::TempDir directory;
    std::string deb;
    std::string problem;
};

const BuiltPackage& debian_package() {
    static const BuiltPackage package;
    return package;
}

// The first line of packaging/changelog: "vigil (VERSION) DISTRIBUTION; urgency=U".
std::string changelog_version(const std::string& changelog) {
    std::smatch match;
    std::string first_line = changelog.substr(0, changelog.find('\n'));
    if (std::regex_match(first_line, match, std::regex(R"(vigil \(([^)]+)\) \S+; urgency=\S+)")))
        return match[1];
    return "(not a Debian changelog line: " + first_line + ")";
}

}  // namespace

TEST_F(PackageImage, HoldsOnlyTheStaticBinaryAtSlashVigilAndOnPath) {
    const TestImages& images = test_images();
    ASSERT_EQ(images.error, "");
    EXPECT_EQ(image_files(images.package),
              (std::vector<std::string>{"usr/local/bin/vigil", "vigil"}));
    // For the vigil's architecture, which on an arm64 run is not this machine's.
    EXPECT_EQ(inspect(images.package, "{{.Os}}/{{.Architecture}}"),
              "linux/" + vigil_architecture());
    EXPECT_EQ(inspect(images.app, "{{.Os}}/{{.Architecture}}"), "linux/" + vigil_architecture());
    EXPECT_EQ(
        inspect(images.package, "{{index .Config.Labels \"org.opencontainers.image.version\"}}"),
        project_version);

    for (std::vector<std::string> entrypoint :
         {std::vector<std::string>{},
          std::vector<std::string>{"--entrypoint", "/usr/local/bin/vigil"}}) {
        std::string name = resources_.container_name("package");
        std::vector<std::string> args = run_arguments(name);
        args.insert(args.end(), entrypoint.begin(), entrypoint.end());
        args.insert(args.end(), {images.package, "--version"});
        RunOutput output = docker(args);
        EXPECT_EQ(output.result.exit_code, 0) << describe(args, output);
        EXPECT_EQ(output.out.rfind(std::string("vigil ") + project_version, 0), 0u)
            << describe(args, output) << "\n"
            << output.out;
    }
}

TEST(DebianPackage, InstallsTheStaticBinaryInUsrBinWithItsManPageAndChangelog) {
    const BuiltPackage& package = debian_package();
    ASSERT_EQ(package.problem, "");
    const std::string& deb = package.deb;

    auto fields = run({"/usr/bin/dpkg-deb", "-f", deb, "Package", "Version", "Depends"}, 60s);
    EXPECT_EQ(fields.out, std::string("Package: vigil\nVersion: ") + project_version + "\n");
    auto people = run({"/usr/bin/dpkg-deb", "-f", deb, "Maintainer", "Homepage"}, 60s);
    EXPECT_TRUE(std::regex_match(people.out, std::regex("Maintainer: [^<\n]+ <[^@>\n]+@[^>\n]+>\n"
                                                        "Homepage: https://[^\n]+\n")))
        << people.out;

    vigil_test::TempDir root;
    auto extracted = run({"/usr/bin/dpkg", "-x", deb, root.path()}, 60s);
    ASSERT_EQ(extracted.result.exit_code, 0) << extracted.err;

    std::string vigil = root.file("usr/bin/vigil");
    EXPECT_EQ(static_binary_problem(vigil), "");
    auto version = run({vigil, "--version"}, 10s);
    EXPECT_EQ(version.result.exit_code, 0);
    EXPECT_EQ(version.out.rfind(std::string("vigil ") + project_version, 0), 0u) << version.out;
    auto child = run({vigil, "--", vigil_test::testapp_binary(), "--exit", "7"}, 20s);
    EXPECT_EQ(child.result.exit_code, 7) << child.err;
    auto killed = run({vigil, "--", vigil_test::testapp_binary(), "--kill-self", "10"}, 20s);
    EXPECT_EQ(killed.result.exit_code, 128 + 10) << killed.err;
    EXPECT_NE(access(root.file("usr/sbin/vigil").c_str(), F_OK), 0) << "a second copy in /usr/sbin";

    // Section 1, as for a program in /usr/bin.
    auto man_page = run({"/bin/gzip", "-dc", root.file("usr/share/man/man1/vigil.1.gz")}, 10s);
    EXPECT_EQ(man_page.result.exit_code, 0) << man_page.err;
    EXPECT_EQ(man_page.out, vigil_test::read_file(source_dir() + "/packaging/vigil.1"));
    EXPECT_FALSE(vigil_test::read_file(root.file("usr/share/doc/vigil/copyright")).empty());

    // The changelog's newest entry is this version: a version bump needs one.
    auto changelog = run({"/bin/gzip", "-dc", root.file("usr/share/doc/vigil/changelog.gz")}, 10s);
    EXPECT_EQ(changelog.result.exit_code, 0) << changelog.err;
    EXPECT_EQ(changelog.out, vigil_test::read_file(source_dir() + "/packaging/changelog"));
    EXPECT_EQ(changelog_version(changelog.out), project_version);
}

// lintian, Debian's package checker, finds nothing at any level; the one
// deliberate exception (the static link) is overridden in the package.
TEST(DebianPackage, IsCleanUnderLintian) {
    if (access("/usr/bin/lintian", X_OK) != 0) {
        if (vigil_test::in_ci())
            FAIL() << "lintian is not installed; CI=true forbids skipping";
        GTEST_SKIP() << "lintian is not installed (Debian: apt-get install lintian)";
    }
    const BuiltPackage& package = debian_package();
    ASSERT_EQ(package.problem, "");
    auto checked = run({"/usr/bin/lintian", "--pedantic", "--display-info", "--fail-on",
                        "error,warning,info,pedantic", package.deb},
                       600s);
    EXPECT_TRUE(checked.result.exited) << "lintian timed out";
    EXPECT_EQ(checked.result.exit_code, 0) << checked.out << checked.err;
    EXPECT_EQ(checked.out, "") << "lintian reported tags";
}

TEST(ManPage, DocumentsEveryOptionEnvironmentVariableAndExitStatus) {
    std::string man = man_page_text();
    // Both command lines: the supervisor's and vigil probe's.
    std::string help = std::string(vigil::supervisor_help_text) + vigil::probe_help_text;
    std::set<std::string> long_options = all_matches(help, std::regex(R"(\s(--[a-z][a-z-]*))"));
    std::set<std::string> short_options = all_matches(help, std::regex(R"(\s(-[a-zA-Z]),)"));
    std::set<std::string> variables = all_matches(help, std::regex(R"((VIGIL_[A-Z_]+))"));
    ASSERT_GE(long_options.size(), 10u) << "could not read the options from --help";
    ASSERT_GE(variables.size(), 4u);
    for (const std::string& option : long_options)
        EXPECT_NE(man.find(option), std::string::npos) << option << " is not in vigil.1";
    for (const std::string& option : short_options) {
        bool documented = man.find(".BR " + option + " ") != std::string::npos ||
                          man.find(".BI " + option + " ") != std::string::npos;
        EXPECT_TRUE(documented) << option << " has no entry in vigil.1";
    }
    size_t environment = man.find(".SH ENVIRONMENT");
    ASSERT_NE(environment, std::string::npos);
    std::string environment_section =
        man.substr(environment, man.find("\n.SH ", environment + 1) - environment);
    for (const std::string& variable : variables)
        EXPECT_TRUE(environment_section.find(" " + variable + "\n") != std::string::npos ||
                    environment_section.find(" " + variable + " ") != std::string::npos)
            << variable << " is not in vigil.1's ENVIRONMENT";
    size_t exit_status = man.find(".SH EXIT STATUS");
    ASSERT_NE(exit_status, std::string::npos);
    for (int code : {vigil::exit_usage, vigil::exit_watchdog, vigil::exit_internal,
                     vigil::exit_cannot_execute, vigil::exit_not_found})
        EXPECT_NE(man.find(".B " + std::to_string(code) + "\n", exit_status), std::string::npos)
            << "exit status " << code << " is not in vigil.1";
    EXPECT_NE(man.find(".B 128+N\n", exit_status), std::string::npos);
    EXPECT_NE(man.find(std::string(".TH VIGIL 1 ")), std::string::npos);
    EXPECT_NE(man.find(std::string("\"vigil ") + project_version + "\""), std::string::npos)
        << "the man page's title line names another version";
}
