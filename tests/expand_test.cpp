#include "base/expand.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

using namespace vigil;

namespace {

char* lookup(const char* name) {
    static std::map<std::string, std::string> variables{
        {"PORT", "9090"}, {"EMPTY", ""}, {"HOST_1", "app"}, {"_X", "x"}};
    auto found = variables.find(name);
    return found == variables.end() ? nullptr : found->second.data();
}

std::string expanded(const std::string& text) {
    char out[256];
    ExpandResult result = expand_variables(text, lookup, out, sizeof out);
    return result.ok ? std::string(out, result.length) : "error: " + std::string(result.error);
}

}  // namespace

TEST(Expand, ReplacesSetVariables) {
    EXPECT_EQ(expanded("http://localhost:${PORT}/healthz"), "http://localhost:9090/healthz");
    EXPECT_EQ(expanded("http://${HOST_1}:${PORT}/"), "http://app:9090/");
    EXPECT_EQ(expanded("${_X}${_X}"), "xx");
    EXPECT_EQ(expanded("[${EMPTY}]"), "[]") << "set but empty is empty, as in a shell";
}

TEST(Expand, DefaultsApplyWhenUnsetOrEmpty) {
    EXPECT_EQ(expanded("http://localhost:${NOPE:-8080}/"), "http://localhost:8080/");
    EXPECT_EQ(expanded("${EMPTY:-fallback}"), "fallback");
    EXPECT_EQ(expanded("${PORT:-8080}"), "9090");
    EXPECT_EQ(expanded("${NOPE:-}"), "");
    EXPECT_EQ(expanded("${NOPE:-a:b/c?d}"), "a:b/c?d");
}

TEST(Expand, LeavesEverythingElseAlone) {
    EXPECT_EQ(expanded("no variables"), "no variables");
    EXPECT_EQ(expanded("$PORT and $ and $$ and ${"),
              "error: '${' without its '}' (write $${ for a literal ${)");
    EXPECT_EQ(expanded("$PORT and $ and $$"), "$PORT and $ and $$");
    EXPECT_EQ(expanded("price: $${PORT}"), "price: ${PORT}") << "$${ is a literal ${";
    EXPECT_EQ(expanded(""), "");
}

TEST(Expand, NamesAnUnsetVariable) {
    std::string error = expanded("http://localhost:${APP_PORT}/");
    EXPECT_EQ(error.rfind("error: ", 0), 0u) << error;
    EXPECT_NE(error.find("APP_PORT is not set"), std::string::npos) << error;
}

TEST(Expand, RefusesWhatIsNotOneOfItsTwoForms) {
    for (const char* text : {"${}", "${1X}", "${PORT-8080}", "${PORT:=1}", "${PORT:?}", "${A B}"}) {
        std::string error = expanded(text);
        EXPECT_NE(error.find("is not ${NAME} or ${NAME:-default}"), std::string::npos)
            << text << ": " << error;
    }
}

TEST(Expand, SaysWhenTheResultDoesNotFit) {
    char out[8];
    ExpandResult result = expand_variables("${PORT}${PORT}", lookup, out, sizeof out);
    EXPECT_FALSE(result.ok);
    EXPECT_NE(std::string(result.error).find("longer than fits"), std::string::npos)
        << result.error;
    EXPECT_TRUE(expand_variables("1234567", lookup, out, sizeof out).ok);
    EXPECT_FALSE(expand_variables("12345678", lookup, out, sizeof out).ok);
}
