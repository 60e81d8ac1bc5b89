// The option tables against what users read: every option and every
// environment variable of both command lines appears in --help, in the man
// page and in the README, so that adding a row without documenting it fails.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "probe/probe_command_line.h"
#include "supervisor/supervisor_command_line.h"

using namespace vigil;

namespace {

std::string read_source_file(const std::string& relative) {
    std::ifstream file(std::string(VIGIL_SOURCE_DIR) + "/" + relative);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

// The man page writes a hyphen as "\-": compare without the escapes.
std::string without_roff_escapes(std::string text) {
    std::string plain;
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\' && i + 1 < text.size() && text[i + 1] == '-')
            continue;
        plain += text[i];
    }
    return plain;
}

// "-v" as an option of its own: after a space, '[', '(' or a backtick, and
// followed by a space, comma, ']', ')', a backtick or the end of the line.
bool mentions_short_option(const std::string& text, char name) {
    std::string needle = std::string("-") + name;
    for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
        char before = at == 0 ? ' ' : text[at - 1];
        char after = at + 2 < text.size() ? text[at + 2] : '\n';
        if (std::string(" [(`").find(before) != std::string::npos &&
            std::string(" ,])`\n\"").find(after) != std::string::npos)
            return true;
    }
    return false;
}

// How an option is spelled in docs: --long, or -s when it has no long name.
std::string spelling(const OptionRow& row) {
    return row.long_name ? std::string("--") + row.long_name : std::string("-") + row.short_name;
}

void expect_documented(std::span<const OptionRow> rows, const std::string& help,
                       const char* product) {
    const std::string man = without_roff_escapes(read_source_file("packaging/vigil.1"));
    const std::string readme = read_source_file("README.md");
    ASSERT_FALSE(man.empty()) << "packaging/vigil.1 not found";
    ASSERT_FALSE(readme.empty()) << "README.md not found";
    for (const OptionRow& row : rows) {
        std::string option = spelling(row);
        bool short_only = !row.long_name;
        for (const auto& [name, text] : {std::pair{"--help", &help}, std::pair{"man page", &man},
                                         std::pair{"README", &readme}}) {
            EXPECT_TRUE(short_only ? mentions_short_option(*text, row.short_name)
                                   : text->find(option) != std::string::npos)
                << product << " option " << option << " is missing from the " << name;
            if (row.short_name && row.long_name) {
                EXPECT_TRUE(mentions_short_option(*text, row.short_name))
                    << product << " option -" << row.short_name << " is missing from the " << name;
            }
            if (row.variable) {
                EXPECT_NE(text->find(row.variable), std::string::npos)
                    << product << " variable " << row.variable << " is missing from the " << name;
            }
        }
    }
}

}  // namespace

TEST(OptionDocs, EverySupervisorOptionAndVariableIsInHelpManPageAndReadme) {
    expect_documented(supervisor_options(), supervisor_help_text, "supervisor");
}

TEST(OptionDocs, EveryProbeOptionAndVariableIsInHelpManPageAndReadme) {
    expect_documented(probe_options(), probe_help_text, "probe");
}

TEST(OptionDocs, EveryOptionHasAVariableButHelpVersionAndPeerFlags) {
    for (const OptionRow& row : supervisor_options()) {
        bool exempt = !row.long_name || std::string(row.long_name) == "help" ||
                      std::string(row.long_name) == "version";
        if (!exempt) {
            EXPECT_NE(row.variable, nullptr) << "--" << row.long_name << " has no variable";
        }
    }
    for (const OptionRow& row : probe_options()) {
        if (std::string(row.long_name) != "help") {
            EXPECT_NE(row.variable, nullptr) << "probe --" << row.long_name << " has no variable";
        }
    }
}
