#include "base/error_text.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <string>

using namespace vigil;

TEST(ErrorText, NamesTheErrorsVigilMeetsAsMuslDoes) {
    EXPECT_STREQ(error_text(ENOENT), "No such file or directory");
    EXPECT_STREQ(error_text(EACCES), "Permission denied");
    EXPECT_STREQ(error_text(ECONNREFUSED), "Connection refused");
    EXPECT_STREQ(error_text(EHOSTUNREACH), "Host is unreachable");
    EXPECT_STREQ(error_text(EPERM), "Operation not permitted");
}

TEST(ErrorText, GivesTheNumberOfAnyOther) {
    EXPECT_EQ(std::string(error_text(EDQUOT)), "error " + std::to_string(EDQUOT));
    EXPECT_STREQ(error_text(0), "error 0");
    EXPECT_STREQ(error_text(-3), "error -3");
    EXPECT_STREQ(error_text(4000), "error 4000");
}
